"""Helpers for baking the template the way users do."""

import json
import subprocess
import sys
from pathlib import Path

from cookiecutter.main import cookiecutter

TEMPLATE_DIR = Path(__file__).resolve().parent.parent
BIN_DIR = Path(sys.executable).parent
DEFAULTS = json.loads((TEMPLATE_DIR / "cookiecutter.json").read_text())


def bake(output_dir: Path, **answers) -> Path:
    """Bakes the template without prompts and returns the generated project's directory."""
    return Path(cookiecutter(str(TEMPLATE_DIR), no_input=True, output_dir=str(output_dir), extra_context=answers))


def bake_cli(output_dir: Path, *answers: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Runs the cookiecutter command as a user would, answers as key=value, in ``env`` if given."""
    return subprocess.run(
        [BIN_DIR / "cookiecutter", "--no-input", "--output-dir", str(output_dir), str(TEMPLATE_DIR), *answers],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )
