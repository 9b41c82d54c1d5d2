"""Logging in with Google and GitHub: the browser's redirect flow and the app's token flow, against the stand-in."""

from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model

from ..conftest import EMAIL, FRONTEND, HeadlessClient
from .conftest import (
    CALLBACK_URL,
    GITHUB_CLIENT,
    GOOGLE_CLIENT,
    assert_answered_as_a_signup_for_a_taken_address,
    consent,
    redirect_login,
    start_redirect,
    token_login,
)
from .stand_in import SigningKey

LOGIN_ERROR_URL = f"{FRONTEND}/account/provider/callback"


def provider_token(stand_in, provider: str) -> dict:
    """What the app sends after signing in with the provider's own SDK."""
    if provider == "google":
        return {"client_id": GOOGLE_CLIENT[0], "id_token": stand_in.google_id_token(GOOGLE_CLIENT[0])}
    return {"client_id": GITHUB_CLIENT[0], "access_token": stand_in.github_access_token(GITHUB_CLIENT[0])}


def query_of(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


@pytest.mark.parametrize("provider", ["google", "github"])
def test_the_redirect_flow_signs_up_a_new_user_and_lands_on_the_frontend(stand_in, db, provider):
    client = HeadlessClient("browser")

    response = redirect_login(client, provider)

    assert response.status_code == 302
    assert response["Location"] == CALLBACK_URL
    session = client.get("auth/session")
    assert session.status_code == 200, session.content
    assert session.json()["data"]["user"]["email"] == EMAIL
    account = SocialAccount.objects.get(provider=provider)
    assert account.uid == stand_in.user.id
    assert EmailAddress.objects.get(user=account.user).verified  # the provider vouched for it
    assert any(request.endswith(("/google/token", "/oauth/access_token")) for request in stand_in.requests)


@pytest.mark.parametrize("provider", ["google", "github"])
def test_the_token_flow_signs_up_a_new_user(headless_client, stand_in, db, provider):
    response = token_login(headless_client, provider, provider_token(stand_in, provider))

    assert response.status_code == 200, response.content
    assert response.json()["data"]["user"]["email"] == EMAIL
    assert headless_client.get("auth/session").status_code == 200
    assert SocialAccount.objects.get(provider=provider).uid == stand_in.user.id


@pytest.mark.parametrize("provider", ["google", "github"])
def test_a_verified_address_logs_in_to_its_account_and_connects_the_provider(headless_client, stand_in, user, provider):
    response = token_login(headless_client, provider, provider_token(stand_in, provider))

    assert response.status_code == 200, response.content
    assert get_user_model().objects.count() == 1
    assert SocialAccount.objects.get(provider=provider).user == user


def test_an_unverified_address_of_an_account_does_not_log_in_to_it(headless_client, stand_in, user):
    stand_in.user.email_verified = False

    response = token_login(headless_client, "google", provider_token(stand_in, "google"))

    assert_answered_as_a_signup_for_a_taken_address(headless_client, response)


def google_token_with(stand_in, **claims) -> dict:
    return {"client_id": GOOGLE_CLIENT[0], "id_token": stand_in.google_id_token(GOOGLE_CLIENT[0], **claims)}


@pytest.mark.parametrize(
    "claims",
    [
        {"aud": "another-app.apps.googleusercontent.com"},
        {"iss": "https://accounts.example.com"},
        {"exp": 1_000_000_000},
    ],
    ids=["another_audience", "another_issuer", "expired"],
)
def test_a_google_id_token_for_another_app_issuer_or_time_is_refused(headless_client, stand_in, db, claims):
    response = token_login(headless_client, "google", google_token_with(stand_in, **claims))

    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["code"] == "invalid_token"
    assert headless_client.get("auth/session").status_code == 401


def test_a_google_id_token_signed_by_another_key_is_refused(headless_client, stand_in, db):
    forged = SigningKey(kid=stand_in.google_key.kid).sign(
        {"iss": "https://accounts.google.com", "aud": GOOGLE_CLIENT[0], "sub": "1", "exp": 4_000_000_000}
    )

    response = token_login(headless_client, "google", {"client_id": GOOGLE_CLIENT[0], "id_token": forged})

    assert response.status_code == 400, response.content
    assert headless_client.get("auth/session").status_code == 401


def test_a_google_id_token_is_used_once(headless_client, stand_in, db):
    token = google_token_with(stand_in)
    assert token_login(headless_client, "google", token).status_code == 200
    other = HeadlessClient(headless_client.kind)

    response = token_login(other, "google", token)

    assert response.status_code == 400, response.content


def test_a_github_token_issued_to_another_app_is_refused(headless_client, stand_in, db):
    stand_in.register_app("Iv1.otherapp", "other-secret")
    token = {"client_id": GITHUB_CLIENT[0], "access_token": stand_in.github_access_token("Iv1.otherapp")}

    response = token_login(headless_client, "github", token)

    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["code"] == "invalid_token"
    assert headless_client.get("auth/session").status_code == 401


@pytest.mark.parametrize(
    "token",
    [
        {"client_id": GITHUB_CLIENT[0], "access_token": "gho_unknown"},
        {"client_id": GITHUB_CLIENT[0]},
        {"client_id": "Iv1.otherapp", "access_token": "gho_unknown"},
        {"access_token": "gho_unknown"},
        "not an object",
    ],
    ids=["unknown_token", "no_token", "unknown_client", "no_client", "not_an_object"],
)
def test_a_bad_github_token_is_a_400(headless_client, stand_in, db, token):
    response = token_login(headless_client, "github", token)

    assert response.status_code == 400, response.content
    assert headless_client.get("auth/session").status_code == 401


def test_a_provider_that_is_off_is_refused(headless_client, stand_in, db, settings):
    del settings.SOCIALACCOUNT_PROVIDERS["google"]

    response = token_login(headless_client, "google", google_token_with(stand_in))

    assert response.status_code == 400, response.content


def test_the_redirect_needs_the_csrf_token(stand_in, db):
    client = HeadlessClient("browser")

    response = start_redirect(client, "google", csrfmiddlewaretoken="")

    assert response.status_code == 403


def test_the_redirect_takes_a_multipart_form_too(stand_in, db):
    client = HeadlessClient("browser")
    form = {"provider": "google", "process": "login", "callback_url": CALLBACK_URL}

    response = client.http.post(
        client.url("auth/provider/redirect"), form | {"csrfmiddlewaretoken": client.csrf_token()}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(stand_in.url)


@pytest.mark.parametrize(
    "callback_url",
    [
        "https://evil.example.net/account/provider/callback",
        "//evil.example.net/account/provider/callback",
        "https://app.example.com.evil.example.net/",
        "https://app.example.com@evil.example.net/",
        "javascript:alert(1)",
        "ftp://app.example.com/",
    ],
)
def test_the_redirect_refuses_a_callback_url_off_the_frontend(stand_in, db, settings, callback_url):
    settings.HEADLESS_ONLY = True
    client = HeadlessClient("browser")

    response = start_redirect(client, "google", callback_url=callback_url)

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_ERROR_URL + "?")
    assert "error" in query_of(response["Location"])
    assert not any(request.endswith("/authorize") for request in stand_in.requests)


@pytest.mark.parametrize("callback_url", [CALLBACK_URL, f"{FRONTEND}/elsewhere?next=%2Fhome", "/account/done"])
def test_the_redirect_accepts_frontend_and_relative_callback_urls(stand_in, db, callback_url):
    response = redirect_login(HeadlessClient("browser"), "google", callback_url=callback_url)

    assert response["Location"] == callback_url


def test_a_callback_with_a_forged_state_lands_on_the_login_error_url(stand_in, db, settings):
    settings.HEADLESS_ONLY = True
    client = HeadlessClient("browser")

    response = client.http.get("/accounts/google/login/callback/", {"code": "stolen", "state": "forged"})

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_ERROR_URL + "?")
    assert query_of(response["Location"])["error_process"] == "login"
    assert client.get("auth/session").status_code == 401


def test_a_refused_consent_lands_on_the_callback_url_with_the_error(stand_in, db):
    client = HeadlessClient("browser")
    start = start_redirect(client, "github")
    state = query_of(start["Location"])["state"]

    response = client.http.get("/accounts/github/login/callback/", {"error": "access_denied", "state": state})

    assert response.status_code == 302
    assert response["Location"].startswith(CALLBACK_URL + "?")
    assert query_of(response["Location"])["error"] == "cancelled"
    assert client.get("auth/session").status_code == 401


def test_a_callback_is_used_once(stand_in, db, settings):
    settings.HEADLESS_ONLY = True
    client = HeadlessClient("browser")
    path, query = consent(start_redirect(client, "google"))
    assert client.http.get(path, query)["Location"] == CALLBACK_URL

    replay = client.http.get(path, query)

    # Its state is spent, so the attempt matches no callback URL any more.
    assert replay["Location"].startswith(LOGIN_ERROR_URL + "?")
    assert "error" in query_of(replay["Location"])


def test_the_config_offers_redirect_to_the_browser_and_tokens_to_both(headless_client, stand_in, db):
    flows = {flow["id"]: flow.get("providers") for flow in headless_client.get("auth/session").json()["data"]["flows"]}

    assert sorted(flows["provider_token"]) == ["github", "google"]
    assert ("provider_redirect" in flows) == (headless_client.kind == "browser")
