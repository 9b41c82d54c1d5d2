"""Bake a covering set of answers; each bake must be clean, lint-free, consistent and pass its own suite."""

import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import BIN_DIR, DEFAULTS, TEMPLATE_DIR, actionlint_command, bake, site_free_environ

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
# Answers that change only CI, packaging and deployment files (SITE_INDEPENDENT_FILES), never the site's code
# or settings: their bakes are rendered, linted and validated, and the site's own checks and suite run on the
# bakes whose site differs. test_files_only_answers_change_no_site_file holds each of them to that.
FILES_ONLY = {"ci", "docker", "kubernetes", "python_version"}
SITE_INDEPENDENT_FILES = {
    ".github",
    ".gitlab-ci.yml",
    "Dockerfile",
    ".dockerignore",
    "compose.yaml",
    "nginx.conf",
    "deploy",
    ".python-version",
    "Makefile",
    "README.md",
}
FILES_ONLY_BAKES = [name for name in COMBINATIONS if name.split("=")[0] in FILES_ONLY]
SITE_BAKES = [name for name in COMBINATIONS if name not in FILES_ONLY_BAKES]
# The default bake's suite runs whole on PostgreSQL and Redis, as its CI runs it, and with `make test`
# under each other Python on SQLite (both below): a third run here would repeat them.
SUITE_BAKES = [name for name in SITE_BAKES if name != "default"]
# The browser tests drive the demo frontend in Chromium, the slowest part of a bake's suite. They run
# on the bake with every feature on, and on the default bake with PostgreSQL and Redis below; the other
# bakes run the rest of their suite.
BROWSER_TESTS = {"all_on"}
# The fuzz tests send a few requests to every operation of both OpenAPI documents; the surface they
# cover differs most between the default bake (below), all on and all off.
FUZZ_TESTS = {"all_on", "all_off"}
ENV_READ = re.compile(r"""(?:env\.\w+|environ\.get)\(\s*["']([A-Z][A-Z_]+)["']""")
LEFTOVER = re.compile(r"\{\{-?\s*cookiecutter|\{%-?\s*(if|for|endif|endfor|else|elif|raw|endraw)\b|cookiecutter\.")

SHOW_BACKENDS = (
    "from django.conf import settings; from django.db import connection; from django.core.cache import caches; "
    "print(connection.vendor, type(caches['default']).__name__, settings.SESSION_ENGINE.rsplit('.', 1)[-1])"
)


def bake_params(names: list[str]) -> list:
    """Each bake's tests go to one worker (--dist loadgroup), which bakes it once."""
    return [pytest.param(name, id=name, marks=pytest.mark.xdist_group(name)) for name in names]


@pytest.fixture(scope="session")
def baked(tmp_path_factory):
    """Bakes a combination on first use and hands out the same directory after that."""
    projects = {}

    def bake_once(name: str) -> Path:
        if name not in projects:
            projects[name] = bake(tmp_path_factory.mktemp("bake"), **COMBINATIONS[name])
        return projects[name]

    return bake_once


@pytest.fixture(scope="module", params=bake_params(list(COMBINATIONS)))
def project(request, baked):
    return baked(request.param)


@pytest.fixture(scope="module", params=bake_params(SITE_BAKES))
def site_project(request, baked):
    """A bake whose site's code or settings differ from every other's (FILES_ONLY)."""
    return baked(request.param)


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


def test_the_github_workflow_passes_actionlint(project):
    if not (project / ".github").exists():
        pytest.skip("this bake has no GitHub workflow")

    assert_ok(run(project, *actionlint_command(".github/workflows/ci.yml")))


def test_ci_says_without_failing_when_a_newer_template_is_out(project):
    """The README's "Updating from the template": a job runs the pinned cruft's check, allowed to fail."""
    cruft = re.search(r"^cruft==(\S+)", (TEMPLATE_DIR / "requirements" / "template.txt").read_text(), re.MULTILINE)
    if (project / ".github").exists():
        job = yaml.safe_load((project / ".github/workflows/ci.yml").read_text())["jobs"]["template"]
        assert job["continue-on-error"] is True
        [check] = [step for step in job["steps"] if "cruft" in step.get("run", "")]
        assert check["run"] == f"pipx run --spec cruft=={cruft.group(1)} cruft check"
    elif (project / ".gitlab-ci.yml").exists():
        job = yaml.safe_load((project / ".gitlab-ci.yml").read_text())["template"]
        assert job["allow_failure"] is True
        assert job["script"] == [f"pip install cruft=={cruft.group(1)}", "cruft check"]
    else:
        pytest.skip("this bake has no CI")
    assert f"pipx install cruft=={cruft.group(1)}" in (project / "README.md").read_text()


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


def site_files(project: Path) -> dict[str, bytes]:
    """The bake's files but SITE_INDEPENDENT_FILES, with .env's fresh secrets left out."""
    files = {}
    for path in project.rglob("*"):
        name = path.relative_to(project)
        if path.is_file() and name.parts[0] not in SITE_INDEPENDENT_FILES:
            files[str(name)] = path.read_bytes()
    files[".env"] = re.sub(rb"^(SECRET_KEY|MFA_ENCRYPTION_KEYS)=.*$", rb"\1=", files[".env"], flags=re.MULTILINE)
    return files


@pytest.mark.parametrize("name", FILES_ONLY_BAKES)
def test_files_only_answers_change_no_site_file(tmp_path, name):
    """What lets FILES_ONLY bakes skip the site's suite: their site is the default bake's, byte for byte."""
    # Fresh bakes: the shared ones gather caches and databases as their suites run.
    default = site_files(bake(tmp_path / "default"))
    files_only = site_files(bake(tmp_path / "answer", **COMBINATIONS[name]))

    assert sorted(files_only) == sorted(default)
    assert [path for path in sorted(default) if files_only[path] != default[path]] == []


def test_django_check_passes(site_project):
    assert_ok(run(site_project, sys.executable, "manage.py", "check", "--fail-level", "WARNING"))


def test_migrations_match_the_models(site_project):
    assert_ok(run(site_project, sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"))


@pytest.mark.parametrize("site_project", bake_params(SUITE_BAKES), indirect=True)
def test_its_own_suite_passes(site_project, request):
    bake_name = request.node.callspec.id
    # pytest refuses a marker in -m that no test of the bake registers.
    deselected = [
        *(["browser"] if (site_project / "tests" / "browser").exists() and bake_name not in BROWSER_TESTS else []),
        *(["fuzz"] if bake_name not in FUZZ_TESTS else []),
    ]
    selection = ["-m", " and ".join(f"not {marker}" for marker in deselected)] if deselected else []
    assert_ok(run(site_project, sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *selection))


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


THIS_PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"
# The bakes above run their suites under this Python; the python_version answer's other Pythons run one here.
OTHER_PYTHONS = [version for version in DEFAULTS["python_version"] if version != THIS_PYTHON]


def find_python(version: str) -> str | None:
    """An interpreter of ``version``, looked for where bin/lib.sh looks: uv, python3.X on the PATH, pyenv."""
    candidates = []
    for uv in filter(None, (shutil.which("uv"), shutil.which("uv", path=str(BIN_DIR)))):
        found = subprocess.run([uv, "python", "find", "--no-project", version], capture_output=True, text=True)
        candidates.append(found.stdout.strip())
    candidates.append(shutil.which(f"python{version}"))
    if pyenv := shutil.which("pyenv"):
        root = subprocess.run([pyenv, "root"], capture_output=True, text=True).stdout.strip()
        candidates += [str(path) for path in sorted(Path(root).glob(f"versions/{version}.*/bin/python{version}"))]
    show_version = "import sys; print('%d.%d' % sys.version_info[:2])"
    for candidate in filter(None, candidates):
        shown = subprocess.run([candidate, "-c", show_version], capture_output=True, text=True, check=False)
        if shown.returncode == 0 and shown.stdout.strip() == version:
            return candidate
    return None


@pytest.mark.parametrize(
    "version", [pytest.param(version, marks=pytest.mark.xdist_group(f"python{version}")) for version in OTHER_PYTHONS]
)
def test_the_readme_test_command_passes_under_each_other_python(tmp_path, version):
    """`make test` as the generated README gives it, in the bake for that python_version, under that Python:
    its own .venv from requirements/dev.txt.

    A Python that is not installed skips, CI included: no registry CI reaches ships CPython builds.
    """
    python = find_python(version)
    if python is None:
        pytest.skip(
            f"No Python {version} here (looked at uv, python{version} on the PATH and pyenv): the "
            f"python_version={version} bake is rendered and linted, but its suite did not run under {version}."
        )
    project = bake(tmp_path, python_version=version)

    # The browser tests run on this bake's site with PostgreSQL and Redis above.
    result = run(project, "make", "test", f"PYTHON={python}", PYTEST_ADDOPTS="-m 'not browser'")

    assert_ok(result)
    assert (project / ".venv" / ".installed").exists()
    venv_version = subprocess.run([project / ".venv" / "bin" / "python", "--version"], capture_output=True, text=True)
    assert venv_version.stdout.startswith(f"Python {version}.")
    assert " passed" in result.stdout
