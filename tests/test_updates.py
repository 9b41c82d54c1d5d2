"""A project baked with cruft from an older commit, then customised, takes the current template with cruft update.

The template comes from a local clone of this repository (no network). The clone's newest commit is the
working tree as it is, committed on top of HEAD when it has changes, so that the version the project is
updated to is the code under test, as in the other template tests; in CI the two are the same.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import BIN_DIR, TEMPLATE_DIR, bake, site_free_environ

# 2026-11-23, before the first release: its projects predate [tool.cruft] in pyproject.toml, as any
# project baked before 2026.11.30 does (CHANGELOG.md, "Updating a project" in README.md).
OLD_COMMIT = "3dae554a6a4aa0ea801f9a5fb1d5c2d7323d6d17"
SLUG = "auth_service"
# A git that reads no user's configuration: the commits here are the test's own.
GIT_ENV = site_free_environ(
    GIT_CONFIG_GLOBAL=os.devnull,
    GIT_CONFIG_NOSYSTEM="1",
    GIT_AUTHOR_NAME="Template Tests",
    GIT_AUTHOR_EMAIL="tests@example.com",
    GIT_COMMITTER_NAME="Template Tests",
    GIT_COMMITTER_EMAIL="tests@example.com",
)
# What the pyproject.toml of a project generated before 2026.11.30 lacks, and README.md says to add.
CRUFT_SKIP = """
[tool.cruft]
# cruft update takes later versions of the template into this project (README: "Updating from the template").
# .env holds this copy's own secrets: a new version must never merge freshly generated ones into it.
skip = [".env"]
"""
SUBSCRIPTION_ENDPOINT = '''"""The caller's plan, GET /api/v1/me/subscription."""

from django.http import HttpRequest
from ninja import Router, Schema

from .errors import NOT_AUTHENTICATED

router = Router(tags=["subscription"])


class Subscription(Schema):
    plan: str


@router.get("/me/subscription", response={200: Subscription, **NOT_AUTHENTICATED}, summary="The caller's plan")
def read_subscription(request: HttpRequest) -> Subscription:
    return Subscription(plan="free")
'''
SUBSCRIPTION_TEST = '''"""GET /api/v1/me/subscription."""

import pytest
from django.test import Client


def test_the_plan_is_shown_to_its_user(api_client):
    response = api_client.api("GET", "me/subscription")

    assert response.status_code == 200, response.content
    assert response.json() == {"plan": "free"}


@pytest.mark.django_db
def test_the_plan_needs_a_login():
    assert Client().get("/api/v1/me/subscription").status_code == 401
'''
# (file, the template's text, the user's) for each line the user changes in a file of the template.
EDITS = [
    (
        "templates/account/email/password_reset_key_message.txt",
        "If you did not ask for this, ignore this mail; your password stays as it is.",
        "Not you? Then nothing happens: your password stays the same until you choose a new one.",
    ),
    ("config/settings.py", 'TIME_ZONE = "UTC"', 'TIME_ZONE = "Europe/Amsterdam"'),
    (
        "api/v1.py",
        "from .security import AUTHENTICATION, CSRFFailed\n",
        "from .security import AUTHENTICATION, CSRFFailed\nfrom .subscription import router as subscription_router\n",
    ),
    (
        "api/v1.py",
        'api.add_router("", mfa.router)\n',
        'api.add_router("", mfa.router)\napi.add_router("", subscription_router)\n',
    ),
]
NEW_FILES = {"api/subscription.py": SUBSCRIPTION_ENDPOINT, "tests/test_subscription.py": SUBSCRIPTION_TEST}

pytestmark = pytest.mark.xdist_group("update")


def run(cwd: Path, *command, env: dict[str, str] = GIT_ENV) -> subprocess.CompletedProcess:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=900, check=False)
    assert result.returncode == 0, f"{' '.join(map(str, command))}\n{result.stdout[-6000:]}\n{result.stderr[-6000:]}"
    return result


def git(cwd: Path, *args: str) -> str:
    return run(cwd, "git", *args).stdout.strip()


def customise(project: Path) -> None:
    """What a user does to a generated project: a reworded mail, a setting, an endpoint with its test."""
    for name, template_text, own_text in EDITS:
        path = project / name
        text = path.read_text()
        assert text.count(template_text) == 1, f"{name} no longer has {template_text!r}: choose another edit"
        path.write_text(text.replace(template_text, own_text))
    for name, text in NEW_FILES.items():
        (project / name).write_text(text)


def files(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }


@pytest.fixture(scope="module")
def template_repository(tmp_path_factory) -> Path:
    """A clone of this repository whose HEAD is the working tree under test."""
    if subprocess.run(["git", "cat-file", "-e", f"{OLD_COMMIT}^{{commit}}"], cwd=TEMPLATE_DIR, check=False).returncode:
        pytest.fail(f"This clone of the template lacks commit {OLD_COMMIT} (a shallow clone? git fetch --unshallow).")
    clone = tmp_path_factory.mktemp("template") / "template"
    git(TEMPLATE_DIR, "clone", "--quiet", str(TEMPLATE_DIR), str(clone))
    for name in filter(None, git(clone, "ls-files", "-z").split("\0")):
        (clone / name).unlink()
    working_tree = git(TEMPLATE_DIR, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, working_tree.split("\0")):
        source = TEMPLATE_DIR / name
        if source.is_file():  # a file deleted in the working tree stays deleted
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, clone / name)
    git(clone, "add", "--all")
    if git(clone, "status", "--porcelain"):
        git(clone, "commit", "--quiet", "--no-verify", "-m", "The working tree under test")
    return clone


@pytest.fixture(scope="module")
def updated(template_repository, tmp_path_factory):
    """The project baked from OLD_COMMIT, customised and committed, after cruft update; and what it saw."""
    output = tmp_path_factory.mktemp("projects")
    cruft = BIN_DIR / "cruft"
    run(output, cruft, "create", "--no-input", "--default-config", "--checkout", OLD_COMMIT, str(template_repository))
    project = output / SLUG
    git(project, "init", "--quiet")
    git(project, "add", "--all")
    git(project, "commit", "--quiet", "-m", "Generated from the template")
    customise(project)
    git(project, "add", "--all")
    git(project, "commit", "--quiet", "-m", "Our mail, time zone and subscription endpoint")
    with (project / "pyproject.toml").open("a") as pyproject:
        pyproject.write(CRUFT_SKIP)
    git(project, "commit", "--quiet", "--all", "-m", "Keep .env out of template updates")
    env_before = (project / ".env").read_bytes()

    update = run(project, cruft, "update", "--skip-apply-ask")

    return {"project": project, "env_before": env_before, "output": update.stdout + update.stderr}


def test_the_update_reaches_the_current_commit_without_conflicts(updated, template_repository):
    project = updated["project"]
    assert "Good work! Project's cruft has been updated" in updated["output"]
    assert '"commit": "' + git(template_repository, "rev-parse", "HEAD") + '"' in (project / ".cruft.json").read_text()
    assert sorted(path.name for path in project.rglob("*.rej")) == []
    markers = subprocess.run(
        ["git", "grep", "-nE", "^(<<<<<<<|>>>>>>>)( |$)"], cwd=project, capture_output=True, text=True, check=False
    )
    assert markers.stdout == ""
    # The post-generation hook ran twice inside the update, and kept its next steps to itself.
    assert "Next steps" not in updated["output"]


def test_the_env_file_and_its_secrets_are_untouched(updated):
    assert (updated["project"] / ".env").read_bytes() == updated["env_before"]


def test_the_project_is_the_current_template_with_the_users_changes(updated, tmp_path):
    """Every file is the current template's, but for the user's changes, which are all there."""
    expected = bake(tmp_path)
    customise(expected)
    skipped = {".env", ".cruft.json"}

    got, wanted = files(updated["project"]), files(expected)

    assert sorted(set(got) - skipped) == sorted(set(wanted) - skipped)
    assert [name for name in sorted(set(got) - skipped) if got[name] != wanted[name]] == []


def test_its_own_suite_passes_once_env_has_the_new_versions_variables(updated):
    """.env is the user's: the start-up check names what the new version requires, and the user adds it."""
    project = updated["project"]
    env = site_free_environ()
    check = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=project, env=env, capture_output=True, text=True, check=False
    )
    assert check.returncode != 0
    # The variables this version requires that the old one did not write into .env (CHANGELOG.md).
    assert set(re.findall(r"^- ([A-Z_]+)=", check.stderr, re.MULTILINE)) == {
        "LOGIN_URL",
        "MFA_ENCRYPTION_KEYS",
        "ACCOUNT_DELETION_CANCEL_URL",
    }
    made = run(project, sys.executable, "-m", "accounts.mfa_encryption", env=env)
    with (project / ".env").open("a") as env_file:
        env_file.write(made.stdout + "LOGIN_URL=http://localhost:8000/account/login\n")
        env_file.write("ACCOUNT_DELETION_CANCEL_URL=http://localhost:8000/account/delete/cancel/{key}\n")

    run(project, sys.executable, "manage.py", "check", env=env)
    run(project, "ruff", "check", "--no-cache", ".", env=env)
    # The default bake runs the browser and fuzz tests of the same code (tests/test_bakes.py).
    selection = ["-m", "not browser and not fuzz"]
    result = run(project, sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *selection, env=env)
    assert " passed" in result.stdout
