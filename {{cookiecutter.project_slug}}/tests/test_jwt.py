"""JWT access and refresh tokens for the app client, and the key set that lets other services verify them."""

import base64
import hashlib
import hmac
import json
import subprocess
import sys
import uuid

import jwt
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from accounts import jwt_keys
from config.environment import Env

from .conftest import EMAIL, PASSWORD, HeadlessClient

pytestmark = pytest.mark.usefixtures("jwt_tokens")

NEW_PASSWORD = "Another-long-passphrase-4"


@pytest.fixture
def app(user) -> HeadlessClient:
    """Logged in through the app client, sending only its access token."""
    client = HeadlessClient("app", bearer=True)
    client.login()
    return client


def refresh(refresh_token: str):
    """Asks for new tokens as an app whose access token has expired: with nothing but the refresh token."""
    return HeadlessClient("app").post("tokens/refresh", {"refresh_token": refresh_token})


def key_set() -> dict:
    response = Client().get("/.well-known/jwks.json")
    assert response.status_code == 200
    return response.json()


def verify_with_key_set(token: str) -> dict:
    """Checks ``token`` as another service would: the key with the token's kid from the published key set."""
    kid = jwt.get_unverified_header(token)["kid"]
    [key] = [key for key in jwt.PyJWKSet.from_dict(key_set()).keys if key.key_id == kid]
    return jwt.decode(token, key=key, algorithms=["RS256"])


def test_login_gives_an_access_and_a_refresh_token(app):
    assert app.access_token
    assert app.refresh_token
    assert jwt.get_unverified_header(app.access_token)["alg"] == "RS256"


def test_the_access_token_works_on_the_headless_api_and_the_project_api(app):
    app.session_token = None  # nothing but the access token is sent

    assert app.get("auth/session").status_code == 200
    me = app.api("GET", "me")
    assert me.status_code == 200
    assert me.json()["email"] == EMAIL


def test_an_expired_access_token_is_refused(settings, user):
    settings.HEADLESS_JWT_ACCESS_TOKEN_EXPIRES_IN = -1
    app = HeadlessClient("app", bearer=True)
    app.login()

    assert app.api("GET", "me").status_code == 401
    assert app.get("auth/session").status_code == 401


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def changed_claims(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["sub"] = str(uuid.uuid4())
    return f"{header}.{_b64(json.dumps(claims).encode())}.{signature}"


def changed_signature(token: str) -> str:
    head, signature = token.rsplit(".", 1)
    return f"{head}.{signature[::-1]}"


def signed_with_another_key(token: str) -> str:
    claims = jwt.decode(token, options={"verify_signature": False})
    other_key = jwt_keys.new_private_key()
    return jwt.encode(claims, other_key, algorithm="RS256", headers=jwt.get_unverified_header(token))


def unsigned(token: str) -> str:
    claims = jwt.decode(token, options={"verify_signature": False})
    return jwt.encode(claims, None, algorithm="none")


def signed_with_the_public_key_as_hmac_secret(token: str) -> str:
    """The algorithm-confusion attack: HS256 keyed with the (public) verification key."""
    _header, payload, _signature = token.split(".")
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    secret = jwt_keys.public_key_of(settings.HEADLESS_JWT_PRIVATE_KEY).encode()
    signature = hmac.new(secret, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(signature)}"


@pytest.mark.parametrize(
    "tamper",
    [changed_claims, changed_signature, signed_with_another_key, unsigned, signed_with_the_public_key_as_hmac_secret],
)
def test_a_tampered_access_token_is_refused(app, tamper):
    app.session_token = None
    app.access_token = tamper(app.access_token)

    assert app.api("GET", "me").status_code == 401
    assert app.get("auth/session").status_code == 401


def test_refreshing_rotates_the_refresh_token(app):
    used = app.refresh_token

    response = refresh(used)

    assert response.status_code == 200, response.content
    tokens = response.json()["data"]
    assert tokens["refresh_token"] != used
    app.access_token = tokens["access_token"]
    assert app.api("GET", "me").status_code == 200
    assert refresh(tokens["refresh_token"]).status_code == 200


def test_a_refresh_token_used_again_ends_its_session(app):
    """RFC 9700, 4.14.2: a rotated refresh token sent again means that it leaked; the session ends."""
    used = app.refresh_token
    tokens = refresh(used).json()["data"]

    reused = refresh(used)

    assert reused.status_code == 400
    assert reused.json()["errors"] == [
        {
            "message": "This refresh token was used before, so its session has been ended to protect the account. "
            "Log in again.",
            "code": "token_reused",
            "param": "refresh_token",
        }
    ]
    assert refresh(tokens["refresh_token"]).status_code == 400
    app.access_token = tokens["access_token"]
    assert app.api("GET", "me").status_code == 401
    app.bearer, app.access_token = False, None
    assert app.get("auth/session").status_code in (401, 410)


def test_a_refresh_token_that_is_not_rotated_is_used_again(app, settings):
    settings.HEADLESS_JWT_ROTATE_REFRESH_TOKEN = False  # allauth's option; this site rotates them

    assert refresh(app.refresh_token).status_code == 200
    assert refresh(app.refresh_token).status_code == 200


def test_a_refresh_token_is_refused_as_an_access_token_and_the_other_way_round(app):
    response = refresh(app.access_token)
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "message": "The refresh token is not valid (expired, already used or revoked). Log in again.",
            "code": "invalid_token",
            "param": "refresh_token",
        }
    ]
    app.access_token = app.refresh_token
    assert app.api("GET", "me").status_code == 401


def test_logout_revokes_the_access_and_the_refresh_token(app):
    access_token, refresh_token = app.access_token, app.refresh_token

    assert app.delete("auth/session").status_code == 401  # logged out

    app.access_token = access_token
    assert app.api("GET", "me").status_code == 401
    assert app.get("auth/session").status_code == 401
    assert refresh(refresh_token).status_code == 400


def test_ending_a_session_from_another_device_revokes_its_tokens(app):
    other_device = HeadlessClient("app", bearer=True)
    other_device.login()
    [other] = [session for session in app.get("auth/sessions").json()["data"] if not session["is_current"]]

    assert app.delete("auth/sessions", {"sessions": [other["id"]]}).status_code == 200

    assert other_device.api("GET", "me").status_code == 401
    assert refresh(other_device.refresh_token).status_code == 400
    assert app.api("GET", "me").status_code == 200


def test_a_password_change_revokes_the_tokens_of_every_session(app):
    other_device = HeadlessClient("app", bearer=True)
    other_device.login()
    old_access_token, old_refresh_token, old_session_token = app.access_token, app.refresh_token, app.session_token

    response = app.post("account/password/change", {"current_password": PASSWORD, "new_password": NEW_PASSWORD})

    assert response.status_code == 200, response.content
    assert other_device.api("GET", "me").status_code == 401
    assert refresh(other_device.refresh_token).status_code == 400
    # Django gives the session that changed the password a new key, so its tokens name a session that is gone;
    # the answer carries the session's new token, which keeps this app logged in.
    app.access_token = old_access_token
    assert app.api("GET", "me").status_code == 401
    assert refresh(old_refresh_token).status_code == 400
    assert response.json()["meta"]["session_token"] not in (None, old_session_token)
    app.bearer = False
    assert app.api("GET", "me").status_code == 200


def test_another_service_verifies_an_access_token_with_the_published_key_set(app, user):
    claims = verify_with_key_set(app.access_token)

    assert claims["sub"] == str(user.pk)
    assert claims["token_use"] == "access"


def test_the_key_set_holds_public_keys_only(app):
    keys = key_set()["keys"]

    assert jwt.get_unverified_header(app.access_token)["kid"] in [key["kid"] for key in keys]
    for key in keys:
        assert key["kty"] == "RSA"
        assert key["use"] == "sig"
        assert key["alg"] == "RS256"
        assert not {"d", "p", "q", "dp", "dq", "qi"} & set(key)


def test_during_a_key_rotation_the_previous_key_still_verifies_the_tokens_it_signed(app, settings, user):
    signed_before = app.access_token
    settings.JWT_PREVIOUS_PUBLIC_KEY = jwt_keys.public_key_of(settings.HEADLESS_JWT_PRIVATE_KEY)
    settings.HEADLESS_JWT_PRIVATE_KEY = jwt_keys.new_private_key()
    signed_after = HeadlessClient("app", bearer=True)
    signed_after.login()

    assert verify_with_key_set(signed_before)["sub"] == str(user.pk)
    assert verify_with_key_set(signed_after.access_token)["sub"] == str(user.pk)
    # allauth itself checks its tokens against the current key only: apps log in again after a rotation.
    assert refresh(app.refresh_token).status_code == 400


def test_the_rotation_command_prints_a_new_key_and_the_current_public_key(capsys):
    call_command("rotate_jwt_key")

    lines = dict(line.split("=", 1) for line in capsys.readouterr().out.splitlines())
    new_key = lines["HEADLESS_JWT_PRIVATE_KEY"].replace("\\n", "\n")
    previous = lines["JWT_PREVIOUS_PUBLIC_KEY"].replace("\\n", "\n")
    assert jwt_keys.find_problems(new_key, previous, required=True) == []
    assert previous == jwt_keys.public_key_of(settings.HEADLESS_JWT_PRIVATE_KEY).strip()
    assert new_key != settings.HEADLESS_JWT_PRIVATE_KEY.strip()


def test_a_new_key_is_made_without_django_and_read_back_from_a_dotenv_file(tmp_path):
    no_django = (
        "import runpy, sys; sys.modules['django'] = None; runpy.run_module('accounts.jwt_keys', run_name='__main__')"
    )
    result = subprocess.run(
        [sys.executable, "-c", no_django], cwd=settings.BASE_DIR, capture_output=True, text=True, check=True
    )
    (tmp_path / ".env").write_text(result.stdout)

    class DotEnvOnly(Env):
        ENVIRON = {}

    env = DotEnvOnly()
    env.read_env(tmp_path / ".env")
    key = env.str("HEADLESS_JWT_PRIVATE_KEY", multiline=True)
    assert key.startswith("-----BEGIN PRIVATE KEY-----\n")
    assert jwt_keys.find_problems(key, "", required=True) == []
