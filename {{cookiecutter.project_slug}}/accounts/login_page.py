"""The redirect of a signed-out user to the login page (settings.LOGIN_URL), with ``?next=`` the way back.

The frontend's login page logs the user in through the headless API, second factor included, then opens
``next``. A login page on another origin gets the whole address, one on this origin a path, as Django's
``login_required`` gives it.
"""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponseRedirect, QueryDict
from django.shortcuts import resolve_url


def redirect(request: HttpRequest, back_to: str, login_url: str | None = None, **params: str) -> HttpResponseRedirect:
    """To ``login_url`` (default: settings.LOGIN_URL), to come back to the path ``back_to`` after logging in."""
    login_url = resolve_url(login_url or settings.LOGIN_URL)
    next_url = _next_url(request, back_to, login_url)
    return HttpResponseRedirect(_with_params(login_url, {REDIRECT_FIELD_NAME: next_url, **params}))


def _next_url(request: HttpRequest, path: str, login_url: str) -> str:
    absolute = request.build_absolute_uri(path)
    login = urlsplit(login_url)
    here = urlsplit(absolute)
    same_origin = login.scheme in ("", here.scheme) and login.netloc in ("", here.netloc)
    return path if same_origin else absolute


def _with_params(url: str, params: dict[str, str]) -> str:
    parts = urlsplit(url)
    query = QueryDict(parts.query, mutable=True)
    for name, value in params.items():
        query[name] = value
    return urlunsplit(parts._replace(query=query.urlencode(safe="/")))
