"""Password reset through the mailed link, and password change with its notice, on both clients."""

from .conftest import EMAIL, PASSWORD, link_in_mail, mails_to, path_params

NEW_PASSWORD = "Another-long-passphrase-4"


def test_password_reset_through_the_mailed_link(headless_client, user):
    assert headless_client.post("auth/password/request", {"email": EMAIL}).status_code == 200
    link = link_in_mail(EMAIL, "PASSWORD_RESET_URL")
    params = path_params(link, "PASSWORD_RESET_URL")
    # The frontend joins the two halves of allauth's key with a dash.
    key = f"{params['uidb64']}-{params['token']}"

    check = headless_client.get("auth/password/reset", headers={"X-Password-Reset-Key": key})
    assert check.status_code == 200
    assert check.json()["data"]["user"]["email"] == EMAIL

    reset = headless_client.post("auth/password/reset", {"key": key, "password": NEW_PASSWORD})
    assert reset.status_code == 401  # done, but not logged in (ACCOUNT_LOGIN_ON_PASSWORD_RESET is off)
    assert headless_client.post("auth/login", {"email": EMAIL, "password": PASSWORD}).status_code == 400
    headless_client.login(password=NEW_PASSWORD)
    # The owner is told, with a link to review the account.
    link_in_mail(EMAIL, "PASSWORD_CHANGED_URL")


def test_a_reset_key_works_once(headless_client, user):
    headless_client.post("auth/password/request", {"email": EMAIL})
    params = path_params(link_in_mail(EMAIL, "PASSWORD_RESET_URL"), "PASSWORD_RESET_URL")
    key = f"{params['uidb64']}-{params['token']}"
    headless_client.post("auth/password/reset", {"key": key, "password": NEW_PASSWORD})

    again = headless_client.post("auth/password/reset", {"key": key, "password": "Yet-another-passphrase-5"})

    assert again.status_code == 400
    assert again.json()["errors"][0]["param"] == "key"


def test_a_tampered_reset_key_is_rejected(headless_client, user):
    headless_client.post("auth/password/request", {"email": EMAIL})
    params = path_params(link_in_mail(EMAIL, "PASSWORD_RESET_URL"), "PASSWORD_RESET_URL")

    response = headless_client.post(
        "auth/password/reset", {"key": f"{params['uidb64']}-{params['token']}x", "password": NEW_PASSWORD}
    )

    assert response.status_code == 400


def test_reset_for_an_unknown_address_looks_the_same_and_offers_signup(headless_client, db):
    response = headless_client.post("auth/password/request", {"email": "nobody@example.com"})

    assert response.status_code == 200
    link_in_mail("nobody@example.com", "ACCOUNT_SIGNUP_URL")


def test_password_change_sends_a_notice_with_the_frontend_link(logged_in_client):
    response = logged_in_client.post(
        "account/password/change", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )

    assert response.status_code == 200
    [notice] = mails_to(EMAIL)
    assert "password" in notice.subject.lower()
    link_in_mail(EMAIL, "PASSWORD_CHANGED_URL")
    fresh = type(logged_in_client)(logged_in_client.kind)
    fresh.login(password=NEW_PASSWORD)


def test_password_change_needs_the_current_password(logged_in_client):
    response = logged_in_client.post(
        "account/password/change", {"current_password": "wrong", "new_password": NEW_PASSWORD}
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["param"] == "current_password"
