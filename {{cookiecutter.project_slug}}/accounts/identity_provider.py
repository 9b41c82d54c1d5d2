"""The site as an OpenID Connect provider: where allauth.idp.oidc is adapted to this site.

- Client secrets are URL-safe, so that they stand unquoted in a .env file or a shell.
- The ``profile`` scope's ``name`` is the display name users choose (PATCH /api/v1/me).
- allauth's authorization endpoint sends a signed-out user to settings.LOGIN_URL with ``?next=``
  the request to come back to, which the frontend's login page handles. For ``prompt=login``,
  though, it reverses allauth's own login or reauthentication page, which a site with
  HEADLESS_ONLY on does not have. Here such a request goes to the frontend's login page as
  well, with ``prompt=login`` so that the frontend asks for the password again, even of a
  signed-in user, before it follows ``next`` (the request without ``login`` in its prompt).
  This follows allauth's own handling of ``prompt=login``; accounts/allauth_compat.py notices
  when that changes.
"""

import secrets
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from allauth.idp.oidc.adapter import DefaultOIDCAdapter
from allauth.idp.oidc.views import authorization as allauth_authorization
from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict


class OIDCAdapter(DefaultOIDCAdapter):
    def generate_client_secret(self) -> str:
        # allauth's default is Django's secret-key alphabet, whose # and $ a .env file or a shell would mangle.
        return secrets.token_urlsafe(40)

    def get_claims(self, purpose, user, client, scopes, email=None, **kwargs) -> dict[str, Any]:
        claims = super().get_claims(purpose, user, client, scopes, email=email, **kwargs)
        if "profile" in scopes and user.display_name:
            claims["name"] = user.display_name
        return claims


def authorization(request: HttpRequest) -> HttpResponse:
    prompts = request.GET.get("prompt", "").split()
    login_url = settings.FRONTEND_URLS.get("LOGIN_URL")
    if request.method != "GET" or "login" not in prompts or not login_url:
        return allauth_authorization(request)
    again = request.GET.copy()
    if remaining := [prompt for prompt in prompts if prompt != "login"]:
        again["prompt"] = " ".join(remaining)
    else:
        del again["prompt"]
    params = {REDIRECT_FIELD_NAME: _next_url(request, again), "prompt": "login"}
    return HttpResponseRedirect(_with_params(login_url, params))


def _next_url(request: HttpRequest, query: QueryDict) -> str:
    """The request again with ``query``: a path if the login page is on this origin, as in Django's login_required."""
    path = f"{request.path}?{query.urlencode()}"
    absolute = request.build_absolute_uri(path)
    login = urlsplit(settings.FRONTEND_URLS["LOGIN_URL"])
    here = urlsplit(absolute)
    return path if (login.scheme, login.netloc) == (here.scheme, here.netloc) else absolute


def _with_params(url: str, params: dict[str, str]) -> str:
    parts = urlsplit(url)
    query = QueryDict(parts.query, mutable=True)
    for name, value in params.items():
        query[name] = value
    return urlunsplit(parts._replace(query=query.urlencode(safe="/")))
