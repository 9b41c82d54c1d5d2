"""Bake a covering set of answers; each bake must be clean, lint-free, consistent and pass its own suite."""

import os
import re
import subprocess
import sys

import pytest

from .conftest import BIN_DIR, bake

# The default, every other value of every option once, then all on and all off.
FLIPS = {
    "headless_only": [False],
    "login_method": ["username and email"],
    "mfa": ["totp", "none"],
    "app_token_strategy": ["jwt"],
    "social_login": [False],
    "demo_frontend": [False],
    "docker": [False],
    "ci": ["gitlab", "none"],
    "python_version": ["3.12", "3.14"],
}
ALL_ON = {
    "headless_only": True,
    "login_method": "username and email",
    "mfa": "totp and passkeys",
    "app_token_strategy": "jwt",
    "social_login": True,
    "demo_frontend": True,
    "docker": True,
    "ci": "github",
}
ALL_OFF = {
    "headless_only": False,
    "login_method": "email",
    "mfa": "none",
    "app_token_strategy": "session",
    "social_login": False,
    "demo_frontend": False,
    "docker": False,
    "ci": "none",
}
COMBINATIONS = {
    "default": {},
    **{f"{option}={value}": {option: value} for option, values in FLIPS.items() for value in values},
    "all_on": ALL_ON,
    "all_off": ALL_OFF,
}
# Settings a bake's checks must not inherit from this process (CI sets some of them).
SITE_VARIABLES = {"DATABASE_URL", "REDIS_URL", "CACHE_URL", "EMAIL_URL", "DEBUG", "SECRET_KEY", "HEADLESS_ONLY"}
ENV_READ = re.compile(r"""(?:env\.\w+|environ\.get)\(\s*["']([A-Z][A-Z_]+)["']""")
LEFTOVER = re.compile(r"\{\{-?\s*cookiecutter|\{%-?\s*(if|for|endif|endfor|else|elif|raw|endraw)\b|cookiecutter\.")

SHOW_BACKENDS = (
    "from django.conf import settings; from django.db import connection; from django.core.cache import caches; "
    "print(connection.vendor, type(caches['default']).__name__, settings.SESSION_ENGINE.rsplit('.', 1)[-1])"
)

PARAMS = [pytest.param(answers, id=name, marks=pytest.mark.xdist_group(name)) for name, answers in COMBINATIONS.items()]


@pytest.fixture(scope="module", params=PARAMS)
def project(request, tmp_path_factory):
    return bake(tmp_path_factory.mktemp("bake"), **request.param)


def run(project, *command: str, services: bool = False) -> subprocess.CompletedProcess:
    """Runs a command in the baked project, with its .env and without this process's site settings."""
    env = {key: value for key, value in os.environ.items() if key not in SITE_VARIABLES}
    if services:
        env |= {key: os.environ[key] for key in ("DATABASE_URL", "REDIS_URL")}
    env["PATH"] = f"{BIN_DIR}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=600, check=False)


def assert_ok(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 0, f"{' '.join(map(str, result.args))}\n{result.stdout[-6000:]}\n{result.stderr[-6000:]}"


def test_no_template_syntax_is_left(project):
    leftovers = [
        f"{path.relative_to(project)}: {match.group(0)}"
        for path in project.rglob("*")
        if path.is_file() and "/templates/" not in str(path)
        for match in [LEFTOVER.search(path.read_text(errors="replace"))]
        if match
    ]
    assert leftovers == []


def test_env_example_documents_exactly_what_the_site_reads(project):
    code = (project / "config" / "settings.py").read_text() + (project / "config" / "gunicorn.py").read_text()
    read = set(ENV_READ.findall(code))
    # The frontend URL settings are read in a loop; the post-generation hook writes each into .env.
    read |= set(re.findall(r"^([A-Z_]+)=", (project / ".env").read_text(), re.MULTILINE))
    documented = set(re.findall(r"^#? ?([A-Z][A-Z_]+)=", (project / ".env.example").read_text(), re.MULTILINE))

    assert documented == read


def test_ruff_check_passes(project):
    assert_ok(run(project, "ruff", "check", "--no-cache", "."))


def test_ruff_format_check_passes(project):
    assert_ok(run(project, "ruff", "format", "--check", "--no-cache", "."))


def test_django_check_passes(project):
    assert_ok(run(project, sys.executable, "manage.py", "check", "--fail-level", "WARNING"))


def test_migrations_match_the_models(project):
    assert_ok(run(project, sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"))


def test_its_own_suite_passes(project):
    assert_ok(run(project, sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"))


@pytest.mark.xdist_group("services")
def test_the_default_suite_passes_on_postgresql_and_redis(tmp_path):
    missing = [name for name in ("DATABASE_URL", "REDIS_URL") if not os.environ.get(name)]
    if missing:
        message = f"{' and '.join(missing)} not set: set them to run the suite on PostgreSQL and Redis."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    project = bake(tmp_path)
    backends = run(project, sys.executable, "manage.py", "shell", "--no-imports", "-c", SHOW_BACKENDS, services=True)
    assert_ok(backends)
    assert backends.stdout.split() == ["postgresql", "RedisCache", "cached_db"]

    result = run(project, sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", services=True)

    assert_ok(result)
    summary = result.stdout.strip().splitlines()[-1]
    assert "passed" in summary
    assert "skipped" not in summary, summary  # the tests that need PostgreSQL and Redis ran


@pytest.mark.xdist_group("make")
def test_the_generated_readme_test_command_passes(tmp_path):
    """`make test` as the generated README gives it: its own .venv from requirements/dev.txt."""
    project = bake(tmp_path)

    result = run(project, "make", "test", f"PYTHON={sys.executable}")

    assert_ok(result)
    assert (project / ".venv" / ".installed").exists()
    assert " passed" in result.stdout
