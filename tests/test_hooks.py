"""The pre-generation hook rejects bad answers; the post-generation hook finishes the bake."""

import os
import re
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet

from .conftest import DEFAULTS, bake, bake_cli, site_free_environ

ERROR_LINE = re.compile(r"^ERROR: ", re.MULTILINE)


def errors(result) -> list[str]:
    return [line.removeprefix("ERROR: ") for line in result.stderr.splitlines() if line.startswith("ERROR: ")]


@pytest.mark.parametrize(
    ("slug", "complaint"),
    [
        ("my-service", "is not a Python identifier"),
        ("1service", "is not a Python identifier"),
        ("MyService", "must be lower case"),
        ("class", "is a Python keyword"),
        ("django", "would shadow the module 'django'"),
        ("test", "would shadow the module 'test'"),
        ("site", "would shadow the module 'site'"),
        ("config", "would shadow the module 'config'"),
        ("accounts", "would shadow the module 'accounts'"),
    ],
)
def test_a_bad_slug_is_rejected(tmp_path, slug, complaint):
    result = bake_cli(tmp_path, f"project_slug={slug}")

    assert result.returncode != 0
    [error] = errors(result)
    assert f"project_slug {slug!r}" in error
    assert complaint in error
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize("email", ["nobody", "a@b", "two words@example.com", "@example.com"])
def test_a_bad_email_is_rejected(tmp_path, email):
    result = bake_cli(tmp_path, f"author_email={email}")

    assert result.returncode != 0
    assert errors(result) == [f"author_email {email!r} is not an email address; use e.g. you@example.com."]


@pytest.mark.parametrize(
    ("url", "complaint"),
    [
        ("app.example.com", "is not an absolute http(s) URL"),
        ("ftp://app.example.com", "is not an absolute http(s) URL"),
        ("/relative", "is not an absolute http(s) URL"),
        ("https://app.example.com/path", "must be an origin"),
        ("https://app.example.com?x=1", "must be an origin"),
        ("https://app.example.com:99999", "has an invalid port"),
    ],
)
def test_a_frontend_url_that_is_not_an_origin_is_rejected(tmp_path, url, complaint):
    result = bake_cli(tmp_path, f"frontend_url={url}")

    assert result.returncode != 0
    [error] = errors(result)
    assert f"frontend_url {url!r}" in error
    assert complaint in error


def test_every_problem_is_reported_at_once(tmp_path):
    result = bake_cli(tmp_path, "project_slug=Bad-Slug", "author_email=nobody", "frontend_url=ftp://x")

    assert result.returncode != 0
    assert [error.split(" ", 1)[0] for error in errors(result)] == ["project_slug", "author_email", "frontend_url"]


def test_a_project_name_that_would_break_the_code_is_rejected(tmp_path):
    result = bake_cli(tmp_path, 'project_name=Say "hi"', "project_slug=say_hi")

    assert result.returncode != 0
    assert errors(result) == ["project_name must not contain double quotes, backslashes or line breaks."]


def test_the_env_file_has_fresh_secrets_and_the_frontend_routes(tmp_path):
    first = bake(tmp_path / "one", frontend_url="https://app.example.com")
    second = bake(tmp_path / "two", frontend_url="https://app.example.com")

    env = dict(line.split("=", 1) for line in (first / ".env").read_text().splitlines() if "=" in line)
    other = dict(line.split("=", 1) for line in (second / ".env").read_text().splitlines() if "=" in line)
    assert env["DEBUG"] == "on"
    assert len(env["SECRET_KEY"]) >= 50
    assert env["SECRET_KEY"] != other["SECRET_KEY"]
    assert env["EMAIL_VERIFICATION_URL"] == "https://app.example.com/account/verify-email/{token}"
    assert env["PASSWORD_RESET_URL"] == "https://app.example.com/account/password/reset/{uidb64}/{token}"  # noqa: S105
    assert (first / ".env").stat().st_mode & 0o077 == 0


def test_the_env_example_lists_the_same_routes_as_the_env_file(tmp_path):
    project = bake(tmp_path, frontend_url="https://app.example.com", identity_provider=True)

    def urls(name):
        lines = (project / name).read_text().splitlines()
        return {key: value for key, _, value in (line.partition("=") for line in lines) if key.endswith("_URL")}

    env, example = urls(".env"), urls(".env.example")
    assert env
    assert {key: value for key, value in example.items() if key in env} == env


def test_the_bake_prints_the_next_steps_and_records_the_template_version(tmp_path):
    version = DEFAULTS["_template_version"]

    result = bake_cli(tmp_path)

    assert result.returncode == 0, result.stderr
    project = tmp_path / "auth_service"
    assert f"Auth Service is in {project} (template version {version}). Next steps:" in result.stdout
    for step in (f"cd {project}", "make run", "make test", "until EMAIL_URL is set", "for local development only"):
        assert step in result.stdout
    assert f"generated from version {version} of the template" in (project / "README.md").read_text()


CI_FILES = {"github": ".github/workflows/ci.yml", "gitlab": ".gitlab-ci.yml"}
DOCKER_FILES = ["Dockerfile", ".dockerignore", "compose.yaml"]


@pytest.mark.parametrize("ci", ["github", "gitlab", "none"])
def test_only_the_chosen_ci_files_are_kept(tmp_path, ci):
    project = bake(tmp_path, ci=ci)

    assert {name for name, path in CI_FILES.items() if (project / path).exists()} == ({ci} - {"none"})
    assert (project / ".github").exists() == (ci == "github")


@pytest.mark.parametrize("docker", [True, False])
def test_docker_files_exist_only_when_chosen(tmp_path, docker):
    project = bake(tmp_path, docker=docker)

    assert [(project / path).exists() for path in DOCKER_FILES] == [docker] * len(DOCKER_FILES)


@pytest.mark.parametrize(
    ("url", "complaint"),
    [
        ("http://127.0.0.1:8000", "browsers offer passkeys only on https pages"),
        ("https://192.0.2.1", "has an IP address for its host"),
    ],
)
def test_a_frontend_url_without_passkeys_is_rejected_when_they_are_chosen(tmp_path, url, complaint):
    result = bake_cli(tmp_path, f"frontend_url={url}")

    assert result.returncode != 0
    [error] = errors(result)
    assert "MFA_WEBAUTHN_ALLOWED_ORIGINS" in error
    assert complaint in error
    assert "mfa=totp" in error


def test_a_frontend_url_without_passkeys_is_fine_without_them(tmp_path):
    result = bake_cli(tmp_path, "frontend_url=http://127.0.0.1:8000", "mfa=totp")

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("mfa", "kept", "removed"),
    [
        (
            "totp and passkeys",
            [
                "accounts/passkeys.py",
                "accounts/headless/passkey_responses.py",
                "tests/mfa/test_passkeys.py",
                "templates/mfa/email",
                "api/mfa.py",
                "accounts/admin/authenticators.py",
                "tests/browser/test_passkeys.py",
            ],
            [],
        ),
        (
            "totp",
            [
                "tests/mfa/test_totp.py",
                "templates/mfa/email/totp_activated_message.html",
                "api/mfa.py",
                "tests/browser/test_second_factors.py",
                "tests/browser/test_account_data_second_factor.py",
                "tests/mfa/test_security_events.py",
                "accounts/mfa_encryption.py",
                "accounts/migrations/0002_encrypt_second_factor_secrets.py",
                "accounts/management/commands/reencrypt_mfa_secrets.py",
            ],
            [
                "tests/browser/test_passkeys.py",
                "accounts/passkeys.py",
                "accounts/headless/passkey_responses.py",
                "tests/mfa/test_passkeys.py",
                "tests/mfa/webauthn_authenticator.py",
                "templates/mfa/email/webauthn_added_message.txt",
            ],
        ),
        (
            "none",
            ["tests/browser/test_account_journey.py", "accounts/admin/sessions.py"],
            [
                "accounts/passkeys.py",
                "accounts/headless/passkey_responses.py",
                "tests/mfa",
                "templates/mfa",
                "api/mfa.py",
                "accounts/admin_access.py",
                "accounts/admin/authenticators.py",
                "tests/browser/test_second_factors.py",
                "tests/browser/test_account_data_second_factor.py",
                "accounts/mfa_encryption.py",
                "accounts/migrations/0002_encrypt_second_factor_secrets.py",
                "accounts/management/commands/reencrypt_mfa_secrets.py",
            ],
        ),
    ],
)
def test_files_of_unchosen_factors_are_removed(tmp_path, mfa, kept, removed):
    project = bake(tmp_path, mfa=mfa)

    assert [path for path in kept if not (project / path).exists()] == []
    assert [path for path in removed if (project / path).exists()] == []


def test_without_the_demo_frontend_its_files_and_browser_tests_are_removed(tmp_path):
    project = bake(tmp_path, demo_frontend=False)

    removed = ["demo", "tests/browser", "tests/test_demo_frontend.py"]
    assert [path for path in removed if (project / path).exists()] == []
    assert "demo" not in (project / "config" / "urls.py").read_text()
    assert '"demo"' not in (project / "config" / "settings.py").read_text()


def env_values(project) -> dict[str, str]:
    lines = (project / ".env").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))


def site_check(project) -> subprocess.CompletedProcess:
    """manage.py check in the baked project, with its .env and none of this process's site settings."""
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=project,
        env=site_free_environ(),
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_bake_with_second_factors_gets_a_fresh_key_for_their_secrets_in_its_env_file(tmp_path):
    first = bake(tmp_path / "one")
    second = bake(tmp_path / "two", mfa="totp")
    without = bake(tmp_path / "three", mfa="none")

    key = env_values(first)["MFA_ENCRYPTION_KEYS"]
    assert Fernet(key).decrypt(Fernet(key).encrypt(b"secret")) == b"secret"
    assert key != env_values(second)["MFA_ENCRYPTION_KEYS"]
    assert "MFA_ENCRYPTION_KEYS" not in (without / ".env").read_text()
    assert site_check(first).returncode == 0
    assert site_check(without).returncode == 0


JWT = {"app_token_strategy": "jwt"}


def test_a_jwt_bake_gets_a_fresh_signing_key_in_its_env_file(tmp_path):
    first = bake(tmp_path / "one", **JWT)
    second = bake(tmp_path / "two", **JWT)
    session = bake(tmp_path / "three")  # the default: session tokens

    key = env_values(first)["HEADLESS_JWT_PRIVATE_KEY"]
    assert key.startswith("-----BEGIN PRIVATE KEY-----\\n")
    assert key != env_values(second)["HEADLESS_JWT_PRIVATE_KEY"]
    assert "HEADLESS_JWT_PRIVATE_KEY" not in env_values(session)
    assert site_check(first).returncode == 0


def without_cryptography(tmp_path) -> dict[str, str]:
    """An environment whose Python cannot import cryptography: a cookiecutter installed without it."""
    blocker = tmp_path / "blocker" / "cryptography"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text("raise ImportError('cryptography is not installed here')\n")
    return {**os.environ, "PYTHONPATH": str(blocker.parent)}


def test_without_cryptography_the_bake_succeeds_and_the_site_says_how_to_make_a_key(tmp_path):
    env = without_cryptography(tmp_path)

    result = bake_cli(tmp_path / "out", "app_token_strategy=jwt", env=env)

    assert result.returncode == 0, result.stderr
    assert "python -m accounts.jwt_keys >> .env" in result.stderr
    project = tmp_path / "out" / "auth_service"
    assert "HEADLESS_JWT_PRIVATE_KEY" not in env_values(project)
    refused = site_check(project)
    assert refused.returncode != 0
    assert "HEADLESS_JWT_PRIVATE_KEY: is empty, and APP_TOKEN_STRATEGY is jwt" in refused.stderr
    assert "python -m accounts.jwt_keys >> .env" in refused.stderr

    made = subprocess.run(
        [sys.executable, "-m", "accounts.jwt_keys"], cwd=project, capture_output=True, text=True, check=True
    )
    with (project / ".env").open("a") as env_file:
        env_file.write(made.stdout)

    assert site_check(project).returncode == 0


IDENTITY_PROVIDER_FILES = [
    "accounts/identity_provider.py",
    "accounts/admin/identity_provider.py",
    "accounts/management/commands/oidc_client.py",
    "tests/test_identity_provider.py",
    "tests/html_forms.py",
    "tests/mfa/test_identity_provider_login.py",
]


def test_an_identity_provider_bake_gets_its_files_and_a_signing_key(tmp_path):
    provider = bake(tmp_path / "one", identity_provider=True)
    other = bake(tmp_path / "two", identity_provider=True)
    plain = bake(tmp_path / "three")  # the default: no identity provider

    key = env_values(provider)["IDP_OIDC_PRIVATE_KEY"]
    assert key.startswith("-----BEGIN PRIVATE KEY-----\\n")
    assert key != env_values(other)["IDP_OIDC_PRIVATE_KEY"]
    assert [path for path in IDENTITY_PROVIDER_FILES if not (provider / path).exists()] == []
    assert [path for path in IDENTITY_PROVIDER_FILES if (plain / path).exists()] == []
    assert "IDP_OIDC_PRIVATE_KEY" not in env_values(plain)
    # The login page the admin, and the provider, send signed-out users to: in every bake.
    assert env_values(provider)["LOGIN_URL"] == env_values(plain)["LOGIN_URL"] == "http://localhost:8000/account/login"
    assert site_check(provider).returncode == 0


def test_without_cryptography_an_identity_provider_bake_says_how_to_make_its_key(tmp_path):
    env = without_cryptography(tmp_path)

    result = bake_cli(tmp_path / "out", "identity_provider=yes", env=env)

    assert result.returncode == 0, result.stderr
    assert "python -m accounts.jwt_keys IDP_OIDC_PRIVATE_KEY >> .env" in result.stderr
    refused = site_check(tmp_path / "out" / "auth_service")
    assert refused.returncode != 0
    assert "IDP_OIDC_PRIVATE_KEY: is empty, and this site is an OpenID Connect provider" in refused.stderr
