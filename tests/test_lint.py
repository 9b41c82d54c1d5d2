"""The template's own Python (its tests and the Jinja extension) is ruff-clean too."""

import subprocess

from .conftest import BIN_DIR, TEMPLATE_DIR


def test_ruff_check_and_format_pass():
    for command in (["check"], ["format", "--check"]):
        result = subprocess.run(
            [BIN_DIR / "ruff", *command, "--no-cache", "."],
            cwd=TEMPLATE_DIR,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
