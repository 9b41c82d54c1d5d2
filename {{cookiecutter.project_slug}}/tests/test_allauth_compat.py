"""What accounts/allauth_compat.py records about allauth still holds for the installed allauth.

A failure here after an upgrade of allauth is not a bug in the site yet: it
says which of the site's code follows allauth code that changed. Re-check that
code against allauth's new version, then record the new hash and version.
"""

from importlib.metadata import version

import jwt
import pytest
from django.conf import settings

from accounts import allauth_compat, jwks, jwt_keys
from accounts.allauth_compat import COPIES

from .conftest import HeadlessClient

INSTALLED = version("django-allauth")

# RFC 7638, section 3.1: an RSA key and its thumbprint.
RFC_7638_KEY = {
    "kty": "RSA",
    "n": (
        "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMs"
        "tn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5ha"
        "jrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
    ),
    "e": "AQAB",
    "alg": "RS256",
    "kid": "2011-04-29",
}
RFC_7638_THUMBPRINT = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"


@pytest.mark.parametrize("entry", COPIES, ids=lambda entry: f"{entry.copy} after {entry.original}")
def test_the_allauth_code_each_copy_follows_is_unchanged(entry):
    assert entry.original_sha256() == entry.source_sha256, (
        f"django-allauth {INSTALLED} changed {entry.original}, which {entry.copy} follows: it {entry.why}. "
        f"It was checked against django-allauth {entry.checked_against}. Re-check {entry.copy} against the new "
        "code, then record the new source_sha256 and checked_against in accounts/allauth_compat.py."
    )


@pytest.mark.parametrize("entry", COPIES, ids=lambda entry: entry.copy)
def test_each_copy_is_where_the_table_says(entry):
    assert allauth_compat.resolve(entry.copy)


def test_jwk_thumbprint_is_still_rfc_7638s():
    assert allauth_compat.jwk_thumbprint(RFC_7638_KEY) == RFC_7638_THUMBPRINT


def test_allauth_still_signs_access_tokens_under_the_kid_the_key_set_publishes(jwt_tokens, user):
    client = HeadlessClient("app")
    client.login()

    published = jwks.public_jwk(jwt_keys.public_key_of(jwt_tokens.HEADLESS_JWT_PRIVATE_KEY))

    assert jwt.get_unverified_header(client.access_token)["kid"] == published["kid"]


@pytest.mark.skipif("allauth.mfa" not in settings.INSTALLED_APPS, reason="this site has no second factors")
def test_allauth_still_keeps_a_pending_totp_secret_under_secret_session_key(reauthenticated_client):
    response = reauthenticated_client.get("account/authenticators/totp")

    assert response.status_code == 404
    secret = response.json()["meta"]["secret"]
    assert reauthenticated_client.session()[allauth_compat.SECRET_SESSION_KEY] == secret
