"""Finish the bake: drop the files of options not chosen, write .env with fresh secrets, print the next steps."""

import base64
import importlib
import secrets
import shutil
import sys
from pathlib import Path

PROJECT_DIR = Path.cwd()
PROJECT_NAME = {{ cookiecutter.project_name | tojson }}
TEMPLATE_DIR = Path({{ template_dir | tojson }})
TEMPLATE_VERSION = {{ cookiecutter._template_version | tojson }}
FRONTEND_URL = {{ cookiecutter.frontend_url | tojson }}
SOCIAL_LOGIN = {{ cookiecutter.social_login }}
IDENTITY_PROVIDER = {{ cookiecutter.identity_provider }}
APP_TOKEN_STRATEGY = {{ cookiecutter.app_token_strategy | tojson }}
CI = {{ cookiecutter.ci | tojson }}
DOCKER = {{ cookiecutter.docker }}
# The manifests run the Docker image, so without Docker there are none, whatever the answer.
KUBERNETES = DOCKER and {{ cookiecutter.kubernetes }}
MFA = {{ cookiecutter.mfa | tojson }}
DEMO_FRONTEND = {{ cookiecutter.demo_frontend }}

# Files that belong to one answer only.
CI_FILES = {
    "github": [".github"],
    "gitlab": [".gitlab-ci.yml"],
}
DOCKER_FILES = ["Dockerfile", ".dockerignore", "compose.yaml", "nginx.conf"]
KUBERNETES_FILES = ["deploy"]  # deploy/kubernetes/, and nothing else
# Second factors: passkeys only with "totp and passkeys", the rest unless "none".
PASSKEY_FILES = [
    "accounts/passkeys.py",
    "accounts/headless/passkey_responses.py",
    "templates/mfa/email/webauthn_*",
    "tests/mfa/test_passkey*.py",
    "tests/mfa/webauthn_authenticator.py",
    "tests/browser/test_passkeys.py",
]
MFA_FILES = [
    "templates/mfa",
    "tests/mfa",
    "api/mfa.py",
    "accounts/second_factors.py",
    "tests/browser/test_second_factors.py",
    "tests/browser/test_account_data_second_factor.py",
    "accounts/mfa_encryption.py",
    "accounts/migrations/0002_encrypt_second_factor_secrets.py",
    "accounts/management/commands/reencrypt_mfa_secrets.py",
    "accounts/admin_access.py",
    "accounts/admin/authenticators.py",
]
SOCIAL_FILES = [
    "accounts/social_providers.py",
    "accounts/github_provider.py",
    "accounts/admin/social_accounts.py",
    "templates/socialaccount",
    "tests/social",
]
IDENTITY_PROVIDER_FILES = [
    "accounts/identity_provider.py",
    "accounts/admin/identity_provider.py",
    "accounts/management/commands/oidc_client.py",
    "tests/test_identity_provider.py",
    "tests/html_forms.py",
    "tests/mfa/test_identity_provider_login.py",
    "tests/browser/test_identity_provider.py",
]
DEMO_FRONTEND_FILES = ["demo", "tests/browser", "tests/test_demo_frontend.py"]


def remove(pattern: str) -> None:
    for path in PROJECT_DIR.glob(pattern):
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


def remove_unchosen_files() -> None:
    for choice, paths in CI_FILES.items():
        if choice != CI:
            for path in paths:
                remove(path)
    if not DOCKER:
        for path in DOCKER_FILES:
            remove(path)
    if not KUBERNETES:
        for path in KUBERNETES_FILES:
            remove(path)
    if MFA != "totp and passkeys":
        for path in PASSKEY_FILES:
            remove(path)
    if MFA == "none":
        for path in MFA_FILES:
            remove(path)
    if not SOCIAL_LOGIN:
        for path in SOCIAL_FILES:
            remove(path)
    if not IDENTITY_PROVIDER:
        for path in IDENTITY_PROVIDER_FILES:
            remove(path)
    if not DEMO_FRONTEND:
        for path in DEMO_FRONTEND_FILES:
            remove(path)


def load_accounts_module(name: str):
    """One of the site's plain-Python modules in accounts/, loaded without Django."""
    sys.dont_write_bytecode = True  # leave no __pycache__ behind in the project
    if str(PROJECT_DIR) not in sys.path:
        sys.path.insert(0, str(PROJECT_DIR))
    return importlib.import_module(f"accounts.{name}")


def signing_key_lines(setting: str, purpose: str) -> list[str]:
    """A fresh RSA signing key for ``setting``, made here if this Python has the cryptography package."""
    try:
        jwt_keys = load_accounts_module("jwt_keys")
    except ImportError:
        argument = "" if setting == "HEADLESS_JWT_PRIVATE_KEY" else f" {setting}"
        print(
            f"Note: .env has no {setting}, because the Python running cookiecutter lacks the "
            "cryptography package. Once the project's requirements are installed, run in the project: "
            f"python -m accounts.jwt_keys{argument} >> .env",
            file=sys.stderr,
        )
        return []
    return ["", f"# {purpose}", jwt_keys.env_line(setting, jwt_keys.new_private_key())]


def fernet_key() -> str:
    """A key for MFA_ENCRYPTION_KEYS, made as cryptography's Fernet.generate_key() makes one, without that package."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii")


def write_env_file() -> None:
    frontend_urls = load_accounts_module("frontend_urls")
    urls = frontend_urls.ACCOUNT_URLS + (frontend_urls.SOCIAL_URLS if SOCIAL_LOGIN else ())
    lines = [
        "# Written when this project was generated, for local development only.",
        "# Never commit it; production takes its settings from the real environment.",
        "DEBUG=on",
        f"SECRET_KEY={secrets.token_urlsafe(50)}",
        "ALLOWED_HOSTS=localhost,127.0.0.1,[::1]",
        "",
        "# Links in mails open the frontend at these routes.",
        *(f"{setting}={url}" for setting, url in frontend_urls.defaults(FRONTEND_URL, urls).items()),
        *(
            ["", "# Encrypts the secrets of second factors in the database.", f"MFA_ENCRYPTION_KEYS={fernet_key()}"]
            if MFA != "none"
            else []
        ),
        *(
            signing_key_lines("HEADLESS_JWT_PRIVATE_KEY", "Signs the app client's JWT access tokens.")
            if APP_TOKEN_STRATEGY == "jwt"
            else []
        ),
        *(
            signing_key_lines("IDP_OIDC_PRIVATE_KEY", "Signs the ID tokens of the site's OpenID Connect provider.")
            if IDENTITY_PROVIDER
            else []
        ),
    ]
    env_file = PROJECT_DIR / ".env"
    env_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env_file.chmod(0o600)


def is_cruft_update() -> bool:
    """Whether cruft is rendering the template to compute an update, rather than a user baking a project.

    cruft update clones the template into <tmp>/repo and renders the old and the new version beside it,
    the old one into <tmp>/current_template, then applies the difference: next steps would be noise there.
    That is cruft 2.16's layout (requirements/template.txt); tests/test_updates.py fails if the steps show.
    """
    return TEMPLATE_DIR.name == "repo" and (TEMPLATE_DIR.parent / "current_template").is_dir()


def print_next_steps() -> None:
    serves = "the demo frontend on http://localhost:8000" if DEMO_FRONTEND else "http://127.0.0.1:8000"
    print(
        f"""
{PROJECT_NAME} is in {PROJECT_DIR} (template version {TEMPLATE_VERSION}). Next steps:

  cd {PROJECT_DIR}
  make run    # creates .venv, migrates and serves {serves}
  make test   # ruff, the migrations check and the test suite

Mail (address verification, password reset) is printed in the terminal of make run until EMAIL_URL is set.
.env holds this copy's settings with fresh secrets, for local development only: it stays out of git, and
production takes its settings from its own environment (.env.example lists them all).
README.md says how to take later versions of the template into the project (cruft update)."""
    )


if __name__ == "__main__":
    remove_unchosen_files()
    write_env_file()
    if not is_cruft_update():
        print_next_steps()
