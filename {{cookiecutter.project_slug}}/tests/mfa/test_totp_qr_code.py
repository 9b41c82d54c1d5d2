"""The project API draws the QR code of a pending authenticator-app set-up, for each way to authenticate."""

import pyotp
from allauth.mfa.adapter import get_adapter
from django.test import Client

from ..conftest import PASSWORD
from .conftest import totp_code

TOTP_SETUP = "account/authenticators/totp"


def start_setup(client) -> dict:
    """What the frontend does first: allauth hands out a new secret and its otpauth:// URL."""
    response = client.get(TOTP_SETUP)
    assert response.status_code == 404, response.content  # no authenticator app yet, so a set-up is offered
    return response.json()["meta"]


def test_the_qr_code_shows_the_pending_secret(api_client):
    setup = start_setup(api_client)

    response = api_client.api("GET", "mfa/totp/qr")

    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "image/svg+xml"
    assert "no-store" in response["Cache-Control"]
    svg = response.content.decode()
    assert svg.startswith("<?xml") and "<svg" in svg
    # The same drawing as allauth's own for the URL it handed out, and that URL holds the secret.
    assert svg == get_adapter().build_totp_svg(setup["totp_url"])
    assert pyotp.parse_uri(setup["totp_url"]).secret == setup["secret"]


def test_the_secret_in_the_qr_code_is_the_one_that_activates(api_client):
    setup = start_setup(api_client)
    api_client.api("GET", "mfa/totp/qr")
    # An authenticator app that scanned the code computes codes from the URL's secret.
    code = totp_code(pyotp.parse_uri(setup["totp_url"]).secret)
    assert api_client.post("auth/reauthenticate", {"password": PASSWORD}).status_code == 200

    activated = api_client.post(TOTP_SETUP, {"code": code})

    assert activated.status_code == 200, activated.content
    assert "totp" in api_client.api("GET", "me").json()["mfa_factors"]
    # Activated: nothing is pending any more.
    assert api_client.api("GET", "mfa/totp/qr").status_code == 404


def test_without_a_pending_setup_the_answer_is_404(api_client):
    response = api_client.api("GET", "mfa/totp/qr")

    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "totp_setup_not_pending"


def test_one_session_does_not_see_another_sessions_secret(api_client, user):
    start_setup(api_client)
    other_device = type(api_client)(api_client.kind, bearer=api_client.bearer)
    other_device.login()

    assert other_device.api("GET", "mfa/totp/qr").status_code == 404


def test_without_authentication_the_answer_is_401(db):
    response = Client().get("/api/v1/mfa/totp/qr")

    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "not_authenticated"
