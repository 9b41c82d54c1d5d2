"""The template repository's own files: its release, its CI workflow and its pre-commit configuration."""

import re
import subprocess

import yaml

from .conftest import BIN_DIR, DEFAULTS, TEMPLATE_DIR, actionlint_command

WORKFLOW = ".github/workflows/test.yml"


def pinned(package: str) -> str:
    template_pins = (TEMPLATE_DIR / "requirements" / "template.txt").read_text()
    return re.search(rf"^{package}==(\S+)", template_pins, re.MULTILINE).group(1)


def assert_ok(command: list) -> None:
    result = subprocess.run(command, cwd=TEMPLATE_DIR, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_latest_changelog_entry_is_the_template_version():
    headings = re.findall(r"^## (\S+)", (TEMPLATE_DIR / "CHANGELOG.md").read_text(), re.MULTILINE)
    versions = [heading for heading in headings if heading != "Unreleased"]  # CONTRIBUTING.md, "Releasing"

    assert versions
    assert versions[0] == DEFAULTS["_template_version"]
    assert all(re.fullmatch(r"\d{4}\.\d{2}\.\d{2}(\.\d+)?", version) for version in versions), versions
    assert (TEMPLATE_DIR / "LICENSE").read_text().startswith("MIT License")


def test_the_workflow_matches_its_schema_and_passes_actionlint():
    assert_ok([BIN_DIR / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", WORKFLOW])
    assert_ok(actionlint_command(WORKFLOW))


def test_the_workflow_runs_what_ci_runs_with_what_the_tests_need():
    [job] = yaml.safe_load((TEMPLATE_DIR / WORKFLOW).read_text())["jobs"].values()
    steps = {step.get("uses", "").split("@")[0]: step for step in job["steps"]}

    assert job["steps"][-1]["run"] == "bash .ci/run"
    assert {"postgres", "redis"} <= set(job["services"])
    # tests/test_updates.py bakes from an older commit; each python_version's bake runs under its Python.
    assert steps["actions/checkout"]["with"]["fetch-depth"] == 0
    assert set(steps["actions/setup-python"]["with"]["python-version"].split()) == set(DEFAULTS["python_version"])


def test_pre_commit_runs_the_pinned_tools():
    repos = {
        repo["repo"].rsplit("/", 1)[-1]: repo["rev"]
        for repo in yaml.safe_load((TEMPLATE_DIR / ".pre-commit-config.yaml").read_text())["repos"]
    }

    assert repos == {"ruff-pre-commit": f"v{pinned('ruff')}", "check-jsonschema": pinned("check-jsonschema")}
