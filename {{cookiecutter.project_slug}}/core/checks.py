"""Deployment checks for the proxies in front of the site (core.W130): manage.py check --deploy."""

from allauth import app_settings as allauth_settings
from django.conf import settings
from django.core.checks import Tags, Warning, register

from . import proxies


@register(Tags.security, deploy=True)
def check_trusted_proxies(app_configs, **kwargs) -> list[Warning]:
    problems = proxies.untrusted_proxy_problems(
        settings.SECURE_PROXY_SSL_HEADER,
        allauth_settings.TRUSTED_PROXY_COUNT,
        allauth_settings.TRUSTED_CLIENT_IP_HEADER,
    )
    return [Warning(problem.message, hint=problem.hint, id=problem.id) for problem in problems]
