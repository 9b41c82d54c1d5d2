"""System checks for the frontend URL settings (IDs accounts.E001 to accounts.E007)."""

from django.conf import settings
from django.core.checks import Error, register

from . import frontend_urls


@register()
def check_frontend_urls(app_configs, **kwargs) -> list[Error]:
    problems = frontend_urls.find_problems(
        settings.FRONTEND_URLS, required=settings.HEADLESS_ONLY, allow_http=settings.DEBUG
    )
    return [
        Error(f"{problem.setting}={problem.value!r}: {problem.message}", hint=problem.hint, id=problem.id)
        for problem in problems
    ]
