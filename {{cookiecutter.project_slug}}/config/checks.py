"""Every settings rule applied to the settings, in one place.

config/settings.py calls ``find_problems`` on its own values and stops the
site with every problem at once. Importing this module also registers the
system checks below, so `manage.py check` reports the same problems for the
settings in force (a test's overrides included), each with its stable ID;
`--deploy` adds what matters only in production, and `--database default` what
only the database can show.
"""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

from account_data import grace_period
from accounts import (
{%- if cookiecutter.mfa != "none" %}
    admin_access,
{%- endif %}
    frontend_urls,
    jwt_keys,
{%- if cookiecutter.mfa != "none" %}
    mfa_encryption,
{%- endif %}
{%- if cookiecutter.mfa == "totp and passkeys" %}
    passkeys,
{%- endif %}
{%- if cookiecutter.mfa != "none" %}
    second_factors,
{%- endif %}
{%- if cookiecutter.social_login %}
    social_providers,
{%- endif %}
    token_strategies,
)
from core import cors, production, proxies
from core.validation import Problem
from security_events import retention


def find_problems(site_settings: Any) -> list[Problem]:
    """Every problem with ``site_settings``: the settings module while it loads, or django.conf.settings."""
    problems = production.admin_url_problems(site_settings.ADMIN_URL)
    if not site_settings.DEBUG:
        problems += production.find_problems(
            secret_key=site_settings.SECRET_KEY,
            allowed_hosts=site_settings.ALLOWED_HOSTS,
            example_host="{{ cookiecutter.domain_name }}",
        )
        problems += production.wildcard_host_problems(site_settings.ALLOWED_HOSTS, example="{{ cookiecutter.domain_name }}")
        problems += production.cache_problems(
            site_settings.CACHES["default"]["BACKEND"],
            site_settings.CACHE_URL,
            single_process=site_settings.SINGLE_PROCESS,
        )
    problems += proxies.find_problems(site_settings.TRUSTED_PROXY_COUNT, site_settings.TRUSTED_CLIENT_IP_HEADER)
{%- if cookiecutter.mfa != "none" %}
    problems += second_factors.find_problems(
        supported=site_settings.MFA_SUPPORTED_TYPES,
        offered=site_settings.MFA_OFFERED_TYPES,
        totp_tolerance=site_settings.MFA_TOTP_TOLERANCE,
    )
    problems += mfa_encryption.find_problems(site_settings.MFA_ENCRYPTION_KEYS)
    problems += admin_access.find_problems(
        site_settings.ADMIN_REQUIRES_SECOND_FACTOR, site_settings.ADMIN_URL, site_settings.MFA_SUPPORTED_TYPES
    )
{%- endif %}
    problems += frontend_urls.find_problems(
        site_settings.FRONTEND_URLS,
        required=site_settings.HEADLESS_ONLY,
        allow_http=site_settings.DEBUG,
        codes_by_mail=[switch for switch in frontend_urls.LINKS_REPLACED_BY_CODES if getattr(site_settings, switch)],
    )
{%- if cookiecutter.social_login %}
    problems += social_providers.find_problems(site_settings.SOCIAL_PROVIDER_VARIABLES, allow_http=site_settings.DEBUG)
    problems += social_providers.email_authentication_problems(
        site_settings.SOCIAL_PROVIDER_VARIABLES, oidc_email_authentication=site_settings.OIDC_EMAIL_AUTHENTICATION
    )
{%- endif %}
{%- if cookiecutter.mfa == "totp and passkeys" %}
    problems += passkeys.signup_problems(
        signup_enabled=site_settings.MFA_PASSKEY_SIGNUP_ENABLED,
        verification_by_code=site_settings.ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED,
    )
    if "webauthn" in site_settings.MFA_SUPPORTED_TYPES:
        problems += passkeys.find_problems(
            site_settings.MFA_WEBAUTHN_RP_ID,
            site_settings.MFA_WEBAUTHN_ALLOWED_ORIGINS,
            required=site_settings.HEADLESS_ONLY,
        )
{%- endif %}
    problems += token_strategies.find_problems(site_settings.APP_TOKEN_STRATEGY)
    problems += jwt_keys.find_problems(
        site_settings.HEADLESS_JWT_PRIVATE_KEY,
        site_settings.JWT_PREVIOUS_PUBLIC_KEY,
        required=site_settings.APP_TOKEN_STRATEGY == "jwt",  # noqa: S105  (a strategy's name, not a secret)
    )
{%- if cookiecutter.identity_provider %}
    problems += jwt_keys.private_key_problems(
        "IDP_OIDC_PRIVATE_KEY",
        site_settings.IDP_OIDC_PRIVATE_KEY,
        required_because="this site is an OpenID Connect provider",
    )
{%- endif %}
    problems += retention.find_problems(site_settings.SECURITY_EVENTS_RETENTION_DAYS)
    problems += grace_period.find_problems(site_settings.ACCOUNT_DELETION_GRACE_DAYS)
    problems += cors.find_problems(site_settings.CORS_ALLOWED_ORIGINS, allow_http=site_settings.DEBUG)
    problems += cors.cookie_domain_problems("CSRF_COOKIE_DOMAIN", site_settings.CSRF_COOKIE_DOMAIN)
    return problems


def as_check_message(problem: Problem) -> CheckMessage:
    kind = Warning if problem.is_warning else Error
    return kind(f"{problem.subject}: {problem.message}", hint=problem.hint, id=problem.id)


@register()
def check_settings(app_configs, **kwargs) -> list[CheckMessage]:
    return [as_check_message(problem) for problem in find_problems(settings)]


@register(Tags.security, deploy=True)
def check_trusted_proxies(app_configs, **kwargs) -> list[CheckMessage]:
    problems = proxies.untrusted_proxy_problems(
        getattr(settings, "SECURE_PROXY_SSL_HEADER", None),
        settings.ALLAUTH_TRUSTED_PROXY_COUNT,
        settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER,
    )
    return [as_check_message(problem) for problem in problems]
{%- if cookiecutter.social_login %}


@register(Tags.database)
def check_social_apps_in_the_database(app_configs, databases=None, **kwargs) -> list[CheckMessage]:
    from allauth.socialaccount.models import SocialApp
    from django.db import connections

    providers = [
        app.provider
        for database in databases or []
        # migrate runs these checks before it creates the table.
        if SocialApp._meta.db_table in connections[database].introspection.table_names()
        for app in SocialApp.objects.using(database).all()
    ]
    return [as_check_message(problem) for problem in social_providers.database_app_problems(providers)]
{%- endif %}
