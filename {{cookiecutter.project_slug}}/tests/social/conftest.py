"""Fixtures: Google and GitHub configured from their variables and served by the stand-in on loopback."""

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from allauth.socialaccount.providers.github.views import GitHubOAuth2Adapter
from allauth.socialaccount.providers.google import views as google_views
from django.contrib.auth import get_user_model

from accounts import social_providers
from core.validation import origins_of

from ..conftest import EMAIL, FRONTEND, HeadlessClient, link_in_mail
from .stand_in import Identity, StandIn

GOOGLE_CLIENT = ("google-client.apps.googleusercontent.com", "google-secret")
GITHUB_CLIENT = ("Iv1.githubclient", "github-secret")
# Another page than SOCIALACCOUNT_LOGIN_ERROR_URL, so that the tests tell where a browser lands.
CALLBACK_URL = f"{FRONTEND}/welcome"


@pytest.fixture(scope="session")
def stand_in_server():
    server = StandIn().start()
    yield server
    server.stop()


@pytest.fixture
def stand_in(stand_in_server, settings, monkeypatch) -> StandIn:
    """Google and GitHub on, as their variables turn them on, and pointed at the stand-in.

    allauth reads these providers' endpoint URLs once, when their views
    module is imported (from SOCIALACCOUNT_PROVIDERS' google "CERTS_URL" etc.
    and github "GITHUB_URL"), so a settings change comes too late: the URLs are
    patched on allauth's adapter classes and Google's views module instead.
    """
    url = stand_in_server.url
    for name, value in {
        "access_token_url": f"{url}/google/token",
        "authorize_url": f"{url}/google/authorize",
        "identity_url": f"{url}/google/userinfo",
    }.items():
        monkeypatch.setattr(google_views.GoogleOAuth2Adapter, name, value)
    monkeypatch.setattr(google_views, "CERTS_URL", f"{url}/google/certs")
    for name, value in {
        "access_token_url": f"{url}/github/login/oauth/access_token",
        "authorize_url": f"{url}/github/login/oauth/authorize",
        "api_url": f"{url}/github/api/v3",
        "profile_url": f"{url}/github/api/v3/user",
        "emails_url": f"{url}/github/api/v3/user/emails",
    }.items():
        monkeypatch.setattr(GitHubOAuth2Adapter, name, value)

    values = dict.fromkeys(social_providers.ALL_VARIABLES, "") | {
        "GOOGLE_CLIENT_ID": GOOGLE_CLIENT[0],
        "GOOGLE_CLIENT_SECRET": GOOGLE_CLIENT[1],
        "GITHUB_CLIENT_ID": GITHUB_CLIENT[0],
        "GITHUB_CLIENT_SECRET": GITHUB_CLIENT[1],
    }
    assert social_providers.find_problems(values, allow_http=False) == []
    settings.SOCIALACCOUNT_PROVIDERS = social_providers.allauth_providers(values)
    # As in settings.py: the frontend's origin is trusted, so callback URLs on it are accepted.
    settings.CSRF_TRUSTED_ORIGINS = origins_of(settings.FRONTEND_URLS.values())
    stand_in_server.register_app(*GOOGLE_CLIENT)
    stand_in_server.register_app(*GITHUB_CLIENT)
    stand_in_server.user = Identity(id="1234567890", name="Ada Lovelace", email="ada@example.com")
    stand_in_server.requests.clear()
    return stand_in_server


def start_redirect(
    client: HeadlessClient, provider: str, *, process: str = "login", callback_url: str = CALLBACK_URL, **fields: str
):
    """The frontend's form post that sends the browser to the provider, encoded as a browser encodes it."""
    form = {
        "provider": provider,
        "process": process,
        "callback_url": callback_url,
        "csrfmiddlewaretoken": client.csrf_token(),
        **fields,
    }
    return client.http.post(
        client.url("auth/provider/redirect"), urlencode(form), content_type="application/x-www-form-urlencoded"
    )


def consent(start) -> tuple[str, dict[str, list[str]]]:
    """The browser at the provider, which consents and sends it back: the callback's path and query."""
    assert start.status_code == 302, start.content
    answer = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["Location"])
    return back.path, parse_qs(back.query)


def redirect_login(client: HeadlessClient, provider: str, **kwargs):
    """The browser's whole redirect flow; returns the callback's answer, a redirect into the frontend."""
    path, query = consent(start_redirect(client, provider, **kwargs))
    return client.http.get(path, query)


def token_login(client: HeadlessClient, provider: str, token: dict, *, process: str = "login"):
    return client.post("auth/provider/token", {"provider": provider, "process": process, "token": token})


def flows_of(response) -> list[str]:
    return [flow["id"] for flow in response.json()["data"]["flows"] if flow.get("is_pending")]


def assert_answered_as_a_signup_for_a_taken_address(client: HeadlessClient, response) -> None:
    """As for a signup by password with a taken address: the answer for a new one, and a mail to the owner."""
    assert response.status_code == 401, response.content
    assert flows_of(response) == ["verify_email"]
    assert client.get("auth/session").json()["meta"]["is_authenticated"] is False
    assert not SocialAccount.objects.exists()
    assert get_user_model().objects.count() == 1
    link_in_mail(EMAIL, "ACCOUNT_RESET_PASSWORD_URL")
