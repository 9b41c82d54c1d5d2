"""Passkeys through the headless API, with a software authenticator whose every response py_webauthn checks first.

The frontend is at https://app.example.com and passkeys belong to example.com,
as for a site whose API is at api.example.com.
"""

import pytest
from django.conf import settings
from django.core import mail
from fido2 import cbor

from security_events.models import SecurityEvent

from ..conftest import EMAIL, FRONTEND, PASSWORD, HeadlessClient, flow_ids, mails_to, pending_flow
from ..test_security_events import events, latest
from .webauthn_authenticator import SoftwareAuthenticator, decode, encode

RP_ID = "example.com"
PASSKEYS = "account/authenticators/webauthn"
# Pages that must not use the site's passkeys: another site, a subdomain that is not the frontend, plain http.
FOREIGN_ORIGINS = ["https://evil.example.org", "https://other.example.com", "http://app.example.com"]


@pytest.fixture(autouse=True)
def relying_party(settings):
    settings.MFA_WEBAUTHN_RP_ID = RP_ID
    settings.MFA_WEBAUTHN_ALLOWED_ORIGINS = [FRONTEND]


@pytest.fixture
def authenticator() -> SoftwareAuthenticator:
    return SoftwareAuthenticator()


def add_passkey(client: HeadlessClient, authenticator: SoftwareAuthenticator, *, origin=FRONTEND, rp_id=None):
    options = client.get(f"{PASSKEYS}?passwordless")
    assert options.status_code == 200, options.content
    credential = authenticator.create(options.json()["data"]["creation_options"], origin=origin, rp_id=rp_id)
    return client.post(PASSKEYS, {"name": "Laptop", "credential": credential, "passwordless": True})


@pytest.fixture
def passkey(user, authenticator) -> dict:
    """A passkey of ``user`` that logs in on its own, added through the API."""
    setup = HeadlessClient("app")
    setup.login()
    assert setup.post("auth/reauthenticate", {"password": PASSWORD}).status_code == 200
    response = add_passkey(setup, authenticator)
    assert response.status_code == 200, response.content
    mail.outbox.clear()
    return response.json()["data"]


def passkey_login(client: HeadlessClient, authenticator: SoftwareAuthenticator, **made_on):
    options = client.get("auth/webauthn/login").json()["data"]["request_options"]
    credential = authenticator.get(options, **{"origin": FRONTEND, **made_on})
    return client.post("auth/webauthn/login", {"credential": credential}), credential


def assert_refused(response) -> None:
    assert response.status_code == 400, response.content
    assert [error["code"] for error in response.json()["errors"]] == ["incorrect_code"]


def test_creation_options_name_the_frontends_relying_party(reauthenticated_client):
    options = reauthenticated_client.get(PASSKEYS).json()["data"]["creation_options"]["publicKey"]

    assert options["rp"] == {"id": RP_ID, "name": settings.SITE_NAME}
    assert options["user"]["name"] == EMAIL


def test_adding_a_passkey_needs_reauthentication(logged_in_client):
    response = logged_in_client.get(PASSKEYS)

    assert response.status_code == 401
    assert "reauthenticate" in flow_ids(response)


def test_a_passkey_is_added_renamed_and_removed(reauthenticated_client, authenticator):
    response = add_passkey(reauthenticated_client, authenticator)

    assert response.status_code == 200, response.content
    added = response.json()
    assert added["data"]["type"] == "webauthn"
    assert (added["data"]["name"], added["data"]["is_passwordless"]) == ("Laptop", True)
    assert added["meta"]["recovery_codes_generated"] is True
    [notice] = mails_to(EMAIL)
    assert "A passkey was added" in notice.body
    assert "A passkey was added" in notice.alternatives[0][0]

    renamed = reauthenticated_client.put(PASSKEYS, {"id": added["data"]["id"], "name": "Work laptop"})
    assert renamed.status_code == 200, renamed.content
    assert renamed.json()["data"]["name"] == "Work laptop"

    removed = reauthenticated_client.delete(PASSKEYS, {"authenticators": [added["data"]["id"]]})
    assert removed.status_code == 200, removed.content
    assert reauthenticated_client.get("account/authenticators").json()["data"] == []
    assert "A passkey was removed" in mail.outbox[-1].body


def test_the_config_offers_passkey_login(headless_client, db):
    config = headless_client.get("config").json()["data"]["mfa"]

    assert "webauthn" in config["supported_types"]
    assert config["passkey_login_enabled"] is True
    assert "mfa_login_webauthn" in flow_ids(headless_client.get("auth/session"))


def test_a_passkey_logs_in_without_a_password(headless_client, passkey, authenticator):
    response, _credential = passkey_login(headless_client, authenticator)

    assert response.status_code == 200, response.content
    assert response.json()["data"]["user"]["email"] == EMAIL
    [method] = response.json()["data"]["methods"]
    assert (method["method"], method["type"], method["passwordless"]) == ("mfa", "webauthn", True)
    assert headless_client.get("auth/session").status_code == 200


def test_a_passkey_is_the_second_step_after_a_password(headless_client, passkey, authenticator):
    response = headless_client.post("auth/login", {"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 401
    assert "webauthn" in pending_flow(response)["types"]

    options = headless_client.get("auth/webauthn/authenticate").json()["data"]["request_options"]
    credential = authenticator.get(options, origin=FRONTEND)
    response = headless_client.post("auth/webauthn/authenticate", {"credential": credential})

    assert response.status_code == 200, response.content
    assert [method["method"] for method in response.json()["data"]["methods"]] == ["password", "mfa"]


def test_a_passkey_reauthenticates(headless_client, passkey, authenticator):
    passkey_login(headless_client, authenticator)
    blocked = headless_client.get("account/authenticators/recovery-codes")
    assert blocked.status_code == 401
    assert "mfa_reauthenticate" in flow_ids(blocked)

    options = headless_client.get("auth/webauthn/reauthenticate").json()["data"]["request_options"]
    response = headless_client.post(
        "auth/webauthn/reauthenticate", {"credential": authenticator.get(options, origin=FRONTEND)}
    )

    assert response.status_code == 200, response.content
    assert headless_client.get("account/authenticators/recovery-codes").status_code == 200


@pytest.mark.parametrize("origin", FOREIGN_ORIGINS)
def test_a_passkey_made_on_another_origin_is_not_added(reauthenticated_client, authenticator, origin):
    assert_refused(add_passkey(reauthenticated_client, authenticator, origin=origin))
    assert reauthenticated_client.get("account/authenticators").json()["data"] == []


@pytest.mark.parametrize("origin", FOREIGN_ORIGINS)
def test_a_login_on_another_origin_is_refused(headless_client, passkey, authenticator, origin):
    response, _credential = passkey_login(headless_client, authenticator, origin=origin)

    assert_refused(response)
    assert headless_client.get("auth/session").status_code == 401


def test_under_a_path_prefix_a_login_on_another_origin_is_still_refused(headless_client, passkey, authenticator):
    headless_client.http.defaults["SCRIPT_NAME"] = "/auth"  # mounted at /auth/ behind a proxy

    response, _credential = passkey_login(headless_client, authenticator, origin="https://other.example.com")

    assert_refused(response)
    assert headless_client.get("auth/session").status_code == 401


def test_without_allowed_origins_the_relying_party_still_decides(settings, headless_client, passkey, authenticator):
    # HEADLESS_ONLY off and no frontend URLs: allauth's pages use passkeys, and fido2 checks the origin.
    settings.MFA_WEBAUTHN_ALLOWED_ORIGINS = []

    response, _credential = passkey_login(headless_client, authenticator, origin="https://evil.example.org")

    assert_refused(response)
    assert passkey_login(headless_client, authenticator)[0].status_code == 200


@pytest.mark.parametrize("rp_id", ["evil.example.org", "app.example.com"])
def test_a_passkey_for_another_relying_party_is_not_added(reauthenticated_client, authenticator, rp_id):
    assert_refused(add_passkey(reauthenticated_client, authenticator, rp_id=rp_id))
    assert reauthenticated_client.get("account/authenticators").json()["data"] == []


@pytest.mark.parametrize("rp_id", ["evil.example.org", "app.example.com"])
def test_a_login_for_another_relying_party_is_refused(headless_client, passkey, authenticator, rp_id):
    response, _credential = passkey_login(headless_client, authenticator, rp_id=rp_id)

    assert_refused(response)
    assert headless_client.get("auth/session").status_code == 401


def test_a_replayed_login_is_refused(headless_client, passkey, authenticator):
    response, credential = passkey_login(headless_client, authenticator)
    assert response.status_code == 200

    # Sent again as it was: the challenge it signed has been used up.
    assert_refused(headless_client.post("auth/webauthn/login", {"credential": credential}))
    # Sent against a fresh challenge: it signed another one.
    replaying = HeadlessClient(headless_client.kind)
    assert replaying.get("auth/webauthn/login").status_code == 200
    assert_refused(replaying.post("auth/webauthn/login", {"credential": credential}))
    assert replaying.get("auth/session").status_code == 401


NOT_PASSKEY_RESPONSES = [
    "not a passkey",
    42,
    [],
    {},
    {"id": "abc", "type": "public-key"},
    {"id": "abc", "rawId": "abc", "type": "public-key", "response": {"clientDataJSON": "!!!"}},
    {"id": "abc", "rawId": "abc", "type": "public-key", "response": {"clientDataJSON": "e30", "signature": 1}},
]


@pytest.mark.parametrize("credential", NOT_PASSKEY_RESPONSES, ids=repr)
def test_a_body_that_is_no_passkey_response_is_a_400(headless_client, passkey, credential):
    headless_client.get("auth/webauthn/login")
    login = headless_client.post("auth/webauthn/login", {"credential": credential})
    headless_client.post("auth/login", {"email": EMAIL, "password": PASSWORD})
    headless_client.get("auth/webauthn/authenticate")
    second_step = headless_client.post("auth/webauthn/authenticate", {"credential": credential})

    for response in (login, second_step):
        assert response.status_code == 400, response.content
        assert response.json()["errors"][0]["param"] == "credential"


@pytest.mark.parametrize("credential", NOT_PASSKEY_RESPONSES, ids=repr)
def test_adding_something_that_is_no_passkey_response_is_a_400(reauthenticated_client, credential):
    reauthenticated_client.get(PASSKEYS)

    response = reauthenticated_client.post(PASSKEYS, {"credential": credential})

    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["param"] == "credential"


def test_a_registration_without_the_new_key_is_a_400(reauthenticated_client, authenticator):
    options = reauthenticated_client.get(PASSKEYS).json()["data"]["creation_options"]
    credential = authenticator.create(options, origin=FRONTEND)
    attestation = cbor.decode(decode(credential["response"]["attestationObject"]))
    # Keep the relying party hash, the flags without "attested credential data", and the counter.
    auth_data = attestation["authData"]
    attestation["authData"] = auth_data[:32] + bytes([auth_data[32] & ~0x40]) + auth_data[33:37]
    credential["response"]["attestationObject"] = encode(cbor.encode(attestation))

    response = reauthenticated_client.post(PASSKEYS, {"credential": credential})

    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["param"] == "credential"


def test_passkey_signup_is_off_unless_enabled(headless_client, db):
    assert headless_client.post("auth/webauthn/signup", {"email": "grace@example.com"}).status_code == 404
    assert headless_client.get("config").json()["data"]["account"]["email_verification_by_code_enabled"] is False


@pytest.fixture
def passkey_signup(routed_settings) -> None:
    """MFA_PASSKEY_SIGNUP_ENABLED=on, as config/settings.py turns it into allauth's settings."""
    routed_settings(MFA_PASSKEY_SIGNUP_ENABLED=True, ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED=True)


def test_a_passkey_signs_up_after_a_code_from_the_mail(passkey_signup, headless_client, authenticator, db):
    new_email = "grace@example.com"
    response = headless_client.post("auth/webauthn/signup", {"email": new_email, "username": "grace"})
    assert response.status_code == 401, response.content
    assert pending_flow(response)["id"] == "verify_email"

    [message] = mails_to(new_email)
    code = message.body.split("to confirm your email address:", 1)[1].split()[0]
    assert code in message.alternatives[0][0]
    assert "/account/verify-email/" not in message.body
    response = headless_client.post("auth/email/verify", {"key": code})
    assert response.status_code == 401, response.content
    assert pending_flow(response)["id"] == "mfa_signup_webauthn"

    options = headless_client.get("auth/webauthn/signup").json()["data"]["creation_options"]
    credential = authenticator.create(options, origin=FRONTEND)
    response = headless_client.put("auth/webauthn/signup", {"name": "Phone", "credential": credential})

    assert response.status_code == 200, response.content
    assert response.json()["data"]["user"]["email"] == new_email
    again = HeadlessClient(headless_client.kind)
    assert passkey_login(again, authenticator)[0].status_code == 200


def test_with_passkey_signup_a_new_address_is_confirmed_by_code_too(passkey_signup, reauthenticated_client):
    assert reauthenticated_client.post("account/email", {"email": "new@example.com"}).status_code == 200

    [message] = mails_to("new@example.com")
    code = message.body.split("to confirm it:", 1)[1].split()[0]
    assert code in message.alternatives[0][0]
    assert "/account/email/confirm/" not in message.body
    response = reauthenticated_client.post("auth/email/verify", {"key": code})

    assert response.status_code == 200, response.content
    assert response.json()["data"]["user"]["email"] == "new@example.com"


# allauth announces the recovery codes that come with a first passkey once committed, which the usual
# test transaction never is.
@pytest.mark.django_db(transaction=True)
def test_adding_and_removing_a_passkey_are_recorded(reauthenticated_client, authenticator, user):
    added = add_passkey(reauthenticated_client, authenticator)
    assert added.status_code == 200, added.content
    removed = reauthenticated_client.delete(PASSKEYS, {"authenticators": [added.json()["data"]["id"]]})
    assert removed.status_code == 200, removed.content

    assert events(user)[-4:] == [
        ("second_factor_added", {"type": "webauthn"}),
        ("recovery_codes_generated", {}),
        ("second_factor_removed", {"type": "webauthn"}),
        ("second_factor_removed", {"type": "recovery_codes"}),
    ]
    assert latest(user, "second_factor_added").client == reauthenticated_client.kind


def test_a_login_by_passkey_is_recorded_as_such(headless_client, passkey, authenticator, user):
    SecurityEvent.objects.all().delete()  # those of adding the passkey

    assert passkey_login(headless_client, authenticator)[0].status_code == 200

    assert events(user) == [("login", {"method": "passkey"})]
    assert latest(user, "login").client == headless_client.kind


def test_a_passkey_as_the_second_step_is_recorded_with_the_login(headless_client, passkey, authenticator, user):
    SecurityEvent.objects.all().delete()  # those of adding the passkey
    assert headless_client.post("auth/login", {"email": EMAIL, "password": PASSWORD}).status_code == 401

    options = headless_client.get("auth/webauthn/authenticate").json()["data"]["request_options"]
    credential = authenticator.get(options, origin=FRONTEND)
    assert headless_client.post("auth/webauthn/authenticate", {"credential": credential}).status_code == 200

    assert events(user) == [("login", {"method": "password", "second_factor": "webauthn"})]
