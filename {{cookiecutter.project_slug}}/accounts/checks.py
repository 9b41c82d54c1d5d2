"""System checks for the settings rules: each problem with its stable ID, as the README lists them."""

from django.conf import settings
from django.core.checks import Error, register

from . import {% if cookiecutter.mfa != "none" %}admin_access, {% endif %}frontend_urls{% if cookiecutter.mfa == "totp and passkeys" %}, passkeys{% endif %}


@register()
def check_frontend_urls(app_configs, **kwargs) -> list[Error]:
    problems = frontend_urls.find_problems(
        settings.FRONTEND_URLS,
        required=settings.HEADLESS_ONLY,
        allow_http=settings.DEBUG,
        verification_by_code=settings.ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED,
    )
    return [_error(problem) for problem in problems]
{%- if cookiecutter.mfa == "totp and passkeys" %}


@register()
def check_passkeys(app_configs, **kwargs) -> list[Error]:
    if "webauthn" not in settings.MFA_SUPPORTED_TYPES:
        return []
    problems = passkeys.find_problems(
        settings.MFA_WEBAUTHN_RP_ID, settings.MFA_WEBAUTHN_ALLOWED_ORIGINS, required=settings.HEADLESS_ONLY
    )
    return [_error(problem) for problem in problems]
{%- endif %}
{%- if cookiecutter.mfa != "none" %}


@register()
def check_admin_access(app_configs, **kwargs) -> list[Error]:
    problems = admin_access.find_problems(
        settings.ADMIN_REQUIRES_SECOND_FACTOR, settings.ADMIN_URL, settings.MFA_SUPPORTED_TYPES
    )
    return [_error(problem) for problem in problems]
{%- endif %}


def _error(problem: frontend_urls.Problem) -> Error:
    return Error(f"{problem.setting}={problem.value!r}: {problem.message}", hint=problem.hint, id=problem.id)
