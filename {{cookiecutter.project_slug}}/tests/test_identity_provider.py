"""The site as an OpenID Connect provider: discovery, key set, the code flow with PKCE, userinfo, logout, consent,
and the command that registers clients. Tokens are checked with PyJWT against the published key set, as a
relying party checks them."""

import base64
import hashlib
import io
import re
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest
from allauth.idp.oidc.models import Client as OIDCClient
from allauth.idp.oidc.models import Token
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from accounts import jwt_keys

from .conftest import EMAIL, PASSWORD, HeadlessClient, username_if_any
from .html_forms import FormFields
from .test_admin_pages import admin_pages

ISSUER = "http://testserver"
AUTHORIZE = "/identity/o/authorize"
TOKEN = "/identity/o/api/token"
USERINFO = "/identity/o/api/userinfo"
LOGOUT = "/identity/o/logout"
REDIRECT_URI = "https://rp.example.org/accounts/oidc/callback/"
SIGNED_OUT_URI = "https://rp.example.org/signed-out"


@pytest.fixture(autouse=True)
def login_page(settings):
    """The authorization endpoint sends signed-out users to the frontend's login page."""
    settings.LOGIN_URL = settings.FRONTEND_URLS["LOGIN_URL"]


def register(*options: str) -> dict[str, str]:
    """``manage.py oidc_client create`` for a relying party; its output, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET."""
    out = io.StringIO()
    call_command(
        "oidc_client",
        "create",
        "--name",
        "Relying Party",
        "--redirect-uri",
        REDIRECT_URI,
        "--post-logout-redirect-uri",
        SIGNED_OUT_URI,
        *options,
        stdout=out,
        stderr=io.StringIO(),
    )
    return dict(line.split("=", 1) for line in out.getvalue().splitlines())


@pytest.fixture
def relying_party(db) -> dict[str, str]:
    return register()


def pkce_pair() -> tuple[str, str]:
    """A PKCE code verifier and its S256 challenge (RFC 7636)."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def submit(browser: HeadlessClient, page, path: str, action: str):
    """Submits the form of ``page`` with the button ``action``, as the user's browser does."""
    assert page.status_code == 200, page.content
    fields = FormFields(page.content.decode()).fields
    return browser.http.post(path, urlencode({**fields, "action": action}, doseq=True), content_type=FORM)


FORM = "application/x-www-form-urlencoded"


def query(url: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


class Authorization:
    """One authorization request of the relying party, with a fresh state, nonce and PKCE pair."""

    def __init__(self, client_id: str, **params: str) -> None:
        self.client_id = client_id
        self.state = secrets.token_urlsafe(16)
        self.nonce = secrets.token_urlsafe(16)
        self.verifier, challenge = pkce_pair()
        self.path = f"{AUTHORIZE}?" + urlencode(
            {
                "response_type": "code",
                "client_id": client_id,
                "redirect_uri": REDIRECT_URI,
                "scope": "openid profile email",
                "state": self.state,
                "nonce": self.nonce,
                "code_challenge": challenge,
                "code_challenge_method": "S256",
                **params,
            }
        )

    def code_from(self, redirect) -> str:
        assert redirect.status_code == 302, redirect.content
        assert redirect["Location"].startswith(REDIRECT_URI)
        params = query(redirect["Location"])
        assert params["state"] == self.state
        return params["code"]


def consent_page(browser: HeadlessClient, authorization: Authorization):
    """A signed-in browser opens the authorization request: allauth asks for consent."""
    page = browser.http.get(authorization.path)
    assert page.status_code == 200, page.content
    assert b"Relying Party" in page.content
    return page


def exchange(relying_party: dict[str, str], code: str, verifier: str):
    """The relying party's server trades the code for tokens, authenticating with its secret (HTTP Basic)."""
    credentials = f"{relying_party['OIDC_CLIENT_ID']}:{relying_party['OIDC_CLIENT_SECRET']}"
    body = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI, "code_verifier": verifier}
    return Client().post(
        TOKEN,
        urlencode(body),
        content_type=FORM,
        headers={"Authorization": "Basic " + base64.b64encode(credentials.encode()).decode()},
    )


def verify_id_token(id_token: str, client_id: str) -> dict:
    """The claims of ``id_token``, checked as a relying party does: the published key, issuer, audience, expiry."""
    kid = jwt.get_unverified_header(id_token)["kid"]
    key_set = jwt.PyJWKSet.from_dict(Client().get("/.well-known/jwks.json").json())
    [key] = [key for key in key_set.keys if key.key_id == kid]
    return jwt.decode(id_token, key=key, algorithms=["RS256"], audience=client_id, issuer=ISSUER)


@pytest.fixture
def signed_in(user) -> HeadlessClient:
    """A browser signed in through the frontend (the browser client of the headless API)."""
    browser = HeadlessClient("browser")
    browser.login()
    return browser


@pytest.fixture
def tokens(relying_party, signed_in) -> dict:
    """The token answer after a user consented, and the authorization it answered."""
    authorization = Authorization(relying_party["OIDC_CLIENT_ID"])
    code = authorization.code_from(submit(signed_in, consent_page(signed_in, authorization), AUTHORIZE, "grant"))
    response = exchange(relying_party, code, authorization.verifier)
    assert response.status_code == 200, response.content
    return {**response.json(), "authorization": authorization}


def test_the_discovery_document_names_the_endpoints_and_pkce(db):
    response = Client().get("/.well-known/openid-configuration")

    assert response.status_code == 200
    document = response.json()
    assert document["issuer"] == ISSUER
    assert document["authorization_endpoint"] == ISSUER + AUTHORIZE
    assert document["token_endpoint"] == ISSUER + TOKEN
    assert document["userinfo_endpoint"] == ISSUER + USERINFO
    assert document["end_session_endpoint"] == ISSUER + LOGOUT
    assert document["jwks_uri"] == ISSUER + "/.well-known/jwks.json"
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert document["id_token_signing_alg_values_supported"] == ["RS256"]
    assert "authorization_code" in document["grant_types_supported"]


def test_the_key_set_publishes_the_public_half_of_the_signing_key(db):
    published = jwt.PyJWKSet.from_dict(Client().get("/.well-known/jwks.json").json())

    public_keys = [
        key.key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        for key in published.keys
    ]
    assert jwt_keys.public_key_of(settings.IDP_OIDC_PRIVATE_KEY).encode() in public_keys


def test_a_signed_out_user_signs_in_on_the_frontend_consents_and_the_client_gets_verified_tokens(
    relying_party, user, headless_only
):
    browser = HeadlessClient("browser")
    authorization = Authorization(relying_party["OIDC_CLIENT_ID"])

    to_login = browser.http.get(authorization.path)

    assert to_login.status_code == 302
    login_page = to_login["Location"]
    assert login_page.startswith(settings.FRONTEND_URLS["LOGIN_URL"] + "?")
    next_url = query(login_page)["next"]
    assert next_url == ISSUER + authorization.path
    # The frontend logs the user in through the headless API, then opens next.
    browser.login()
    page = browser.http.get(next_url)
    code = authorization.code_from(submit(browser, page, AUTHORIZE, "grant"))
    response = exchange(relying_party, code, authorization.verifier)

    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["token_type"] == "Bearer"
    claims = verify_id_token(answer["id_token"], relying_party["OIDC_CLIENT_ID"])
    assert claims["sub"] == str(user.pk)
    assert claims["nonce"] == authorization.nonce
    assert (claims["email"], claims["email_verified"]) == (EMAIL, True)


def test_userinfo_answers_the_access_token_with_the_granted_claims(tokens, user):
    user.display_name = "Ada Lovelace"
    user.save()

    response = Client().get(USERINFO, headers={"Authorization": f"Bearer {tokens['access_token']}"})

    assert response.status_code == 200, response.content
    claims = response.json()
    expected = {"sub": str(user.pk), "email": EMAIL, "email_verified": True, "name": "Ada Lovelace"}
    assert claims.items() >= expected.items()
    assert claims.get("preferred_username") == username_if_any().get("username")


def test_deleting_the_account_revokes_the_tokens_other_sites_hold(tokens, signed_in, user):
    assert signed_in.post("auth/reauthenticate", {"password": PASSWORD}).status_code == 200

    assert signed_in.api("DELETE", "me").status_code == 202

    assert not Token.objects.filter(user=user).exists()
    userinfo = Client().get(USERINFO, headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert userinfo.status_code == 401


def test_userinfo_refuses_a_made_up_access_token(db):
    response = Client().get(USERINFO, headers={"Authorization": "Bearer not-a-token"})

    assert response.status_code == 401


def test_a_code_works_only_with_its_pkce_verifier_and_only_once(relying_party, signed_in):
    authorization = Authorization(relying_party["OIDC_CLIENT_ID"])
    code = authorization.code_from(submit(signed_in, consent_page(signed_in, authorization), AUTHORIZE, "grant"))

    wrong = exchange(relying_party, code, pkce_pair()[0])
    right = exchange(relying_party, code, authorization.verifier)
    again = exchange(relying_party, code, authorization.verifier)

    assert (wrong.status_code, wrong.json()["error"]) == (400, "invalid_grant")
    assert right.status_code == 200, right.content
    assert (again.status_code, again.json()["error"]) == (400, "invalid_grant")


def test_a_wrong_client_secret_gets_no_tokens(relying_party, signed_in):
    authorization = Authorization(relying_party["OIDC_CLIENT_ID"])
    code = authorization.code_from(submit(signed_in, consent_page(signed_in, authorization), AUTHORIZE, "grant"))

    response = exchange({**relying_party, "OIDC_CLIENT_SECRET": "wrong"}, code, authorization.verifier)

    assert (response.status_code, response.json()["error"]) == (401, "invalid_client")


def test_a_public_client_must_use_pkce(db, signed_in):
    public = register("--public")
    assert "OIDC_CLIENT_SECRET" not in public
    without_pkce = Authorization(public["OIDC_CLIENT_ID"]).path.split("&code_challenge")[0]

    response = signed_in.http.get(without_pkce)

    assert response.status_code == 302
    assert response["Location"].startswith(REDIRECT_URI)
    assert query(response["Location"])["error"] == "invalid_request"


def test_denied_consent_sends_the_user_back_with_access_denied(relying_party, signed_in):
    authorization = Authorization(relying_party["OIDC_CLIENT_ID"])

    response = submit(signed_in, consent_page(signed_in, authorization), AUTHORIZE, "cancel")

    assert response.status_code == 302
    assert response["Location"].startswith(REDIRECT_URI)
    assert query(response["Location"]) == {"error": "access_denied", "state": authorization.state}


def test_consent_is_refused_without_the_csrf_token(relying_party, signed_in):
    authorization = Authorization(relying_party["OIDC_CLIENT_ID"])
    fields = FormFields(consent_page(signed_in, authorization).content.decode()).fields
    del fields["csrfmiddlewaretoken"]

    response = signed_in.http.post(AUTHORIZE, urlencode({**fields, "action": "grant"}, doseq=True), content_type=FORM)

    assert response.status_code == 403


def test_a_first_party_client_skips_the_consent_page(db, signed_in):
    first_party = register("--skip-consent")
    authorization = Authorization(first_party["OIDC_CLIENT_ID"])

    code = authorization.code_from(signed_in.http.get(authorization.path))

    assert exchange(first_party, code, authorization.verifier).status_code == 200


def test_prompt_login_sends_even_a_signed_in_user_to_the_frontend_to_log_in_again(relying_party, signed_in):
    authorization = Authorization(relying_party["OIDC_CLIENT_ID"], prompt="login consent")

    response = signed_in.http.get(authorization.path)

    assert response.status_code == 302
    params = query(response["Location"])
    assert response["Location"].startswith(settings.FRONTEND_URLS["LOGIN_URL"] + "?")
    assert params["prompt"] == "login"
    again = query(params["next"])
    assert again["prompt"] == "consent"
    assert again["state"] == authorization.state
    assert params["next"].startswith(ISSUER + AUTHORIZE + "?")


def test_rp_initiated_logout_asks_the_user_then_ends_the_session_and_the_tokens(tokens, signed_in):
    authorization = tokens["authorization"]
    request = {
        "id_token_hint": tokens["id_token"],
        "client_id": authorization.client_id,
        "post_logout_redirect_uri": SIGNED_OUT_URI,
        "state": "after-logout",
    }

    question = signed_in.http.get(f"{LOGOUT}?{urlencode(request)}")
    response = submit(signed_in, question, LOGOUT, "logout")

    assert response.status_code == 302
    assert response["Location"] == f"{SIGNED_OUT_URI}?state=after-logout"
    assert signed_in.get("auth/session").status_code == 401
    userinfo = Client().get(USERINFO, headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert userinfo.status_code == 401


def test_logout_refuses_a_redirect_the_client_did_not_register(tokens, signed_in):
    request = {"client_id": tokens["authorization"].client_id, "post_logout_redirect_uri": "https://evil.example.net/"}

    response = signed_in.http.get(f"{LOGOUT}?{urlencode(request)}")

    assert "evil.example.net" not in response.get("Location", "")
    assert signed_in.get("auth/session").status_code == 200


def test_the_command_prints_a_url_safe_secret_that_only_its_hash_is_kept_of(db):
    printed = register()

    client = OIDCClient.objects.get(id=printed["OIDC_CLIENT_ID"])
    assert re.fullmatch(r"[A-Za-z0-9_-]{40,}", printed["OIDC_CLIENT_SECRET"])
    assert client.secret != printed["OIDC_CLIENT_SECRET"]
    assert client.check_secret(printed["OIDC_CLIENT_SECRET"])
    assert client.get_redirect_uris() == [REDIRECT_URI]
    assert client.get_post_logout_redirect_uris() == [SIGNED_OUT_URI]
    assert client.type == OIDCClient.Type.CONFIDENTIAL
    assert not client.skip_consent


@pytest.mark.parametrize("uri", ["/relative/callback", "https:///no-host", "https://rp.example.org/cb#fragment"])
def test_the_command_refuses_a_redirect_uri_that_is_not_absolute_or_has_a_fragment(db, uri):
    with pytest.raises(CommandError, match=re.escape(repr(uri))):
        call_command("oidc_client", "create", "--name", "Bad", "--redirect-uri", uri, stdout=io.StringIO())

    assert not OIDCClient.objects.exists()


def test_the_command_lists_and_deletes_clients(relying_party):
    client_id = relying_party["OIDC_CLIENT_ID"]
    listed = io.StringIO()
    call_command("oidc_client", "list", stdout=listed)
    call_command("oidc_client", "delete", client_id, stdout=io.StringIO())

    assert listed.getvalue().split("\t")[:3] == [client_id, "confidential", "Relying Party"]
    assert not OIDCClient.objects.filter(id=client_id).exists()
    with pytest.raises(CommandError, match="There is no client"):
        call_command("oidc_client", "delete", client_id, stdout=io.StringIO())


def test_clients_can_be_registered_in_the_admin_too(admin_client):
    response = admin_client.get(reverse("admin:allauth_idp_oidc_client_add"))

    assert response.status_code == 200
    assert b'name="redirect_uris"' in response.content


@pytest.mark.parametrize(
    ("value", "complaint"),
    [
        ("", "IDP_OIDC_PRIVATE_KEY: is empty, and this site is an OpenID Connect provider"),
        ("not a key", "IDP_OIDC_PRIVATE_KEY: is not an unencrypted RSA private key"),
    ],
)
def test_without_a_good_signing_key_the_site_does_not_start(settings_from, value, complaint):
    with pytest.raises(ImproperlyConfigured, match=complaint) as raised:
        settings_from(IDP_OIDC_PRIVATE_KEY=value)

    assert "python -m accounts.jwt_keys IDP_OIDC_PRIVATE_KEY >> .env" in str(raised.value)


def test_the_admin_shows_neither_a_clients_secret_nor_its_hash(admin_client, relying_party):
    client = OIDCClient.objects.get(id=relying_party["OIDC_CLIENT_ID"])

    pages = admin_pages(admin_client, client)

    assert relying_party["OIDC_CLIENT_SECRET"] not in pages
    assert client.secret.rsplit("$", 1)[-1] not in pages
    assert "Relying Party" in pages


def test_the_admin_shows_no_token_or_its_hash(admin_client, tokens):
    token = Token.objects.filter(type=Token.Type.ACCESS_TOKEN).get()

    pages = admin_pages(admin_client, token)

    assert tokens["access_token"] not in pages
    assert token.hash not in pages
