"""Signup, email verification from the mailed link, login, session and logout, on both clients."""

from django.contrib.auth import get_user_model

from .conftest import EMAIL, PASSWORD, link_in_mail, mails_to, path_params

NEW_EMAIL = "grace@example.com"


def signup(client, email=NEW_EMAIL, username="grace"):
    data = {"email": email, "password": PASSWORD}
    if "username" in client.get("config").json()["data"]["account"]["login_methods"]:
        data["username"] = username
    return client.post("auth/signup", data)


def test_signup_asks_for_verification_and_the_mailed_link_completes_it(headless_client, db):
    response = signup(headless_client)

    assert response.status_code == 401
    flows = {flow["id"]: flow for flow in response.json()["data"]["flows"]}
    assert flows["verify_email"]["is_pending"] is True
    link = link_in_mail(NEW_EMAIL, "EMAIL_VERIFICATION_URL")
    key = path_params(link, "EMAIL_VERIFICATION_URL")["token"]

    info = headless_client.get("auth/email/verify", headers={"X-Email-Verification-Key": key})
    assert info.status_code == 200
    assert info.json()["data"]["email"] == NEW_EMAIL

    verified = headless_client.post("auth/email/verify", {"key": key})
    assert verified.status_code == 200
    assert verified.json()["meta"]["is_authenticated"] is True

    session = headless_client.get("auth/session")
    assert session.status_code == 200
    assert session.json()["data"]["user"]["email"] == NEW_EMAIL


def test_verification_mail_has_the_link_in_text_and_html(headless_client, db):
    signup(headless_client)

    [message] = mails_to(NEW_EMAIL)
    link = link_in_mail(NEW_EMAIL, "EMAIL_VERIFICATION_URL")
    assert link in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert f'href="{link}"' in html


def test_login_is_refused_until_the_email_is_verified(headless_client, db):
    signup(headless_client)
    other = type(headless_client)(headless_client.kind)

    response = other.post("auth/login", {"email": NEW_EMAIL, "password": PASSWORD})

    assert response.status_code == 401
    assert any(flow["id"] == "verify_email" and flow.get("is_pending") for flow in response.json()["data"]["flows"])


def test_signup_with_a_taken_email_reveals_nothing_and_mails_the_owner(headless_client, user):
    response = signup(headless_client, email=EMAIL)

    # The same answer as for a new address (enumeration prevention) ...
    assert response.status_code == 401
    assert get_user_model().objects.filter(email=EMAIL).count() == 1
    # ... and the owner learns of it, with a link to reset the password.
    link_in_mail(EMAIL, "ACCOUNT_RESET_PASSWORD_URL")


def test_signup_with_the_email_of_an_account_without_password_offers_to_set_one(headless_client, user):
    user.set_unusable_password()
    user.save()

    signup(headless_client, email=EMAIL, username="someone_else")

    link_in_mail(EMAIL, "SET_PASSWORD_URL")


def test_login_session_and_logout(headless_client, user):
    login = headless_client.login()
    assert login.json()["data"]["user"]["email"] == EMAIL
    assert login.json()["data"]["user"]["id"] == str(user.pk)

    assert headless_client.get("auth/session").status_code == 200

    logout = headless_client.delete("auth/session")
    assert logout.status_code == 401
    assert logout.json()["meta"]["is_authenticated"] is False
    assert headless_client.get("auth/session").status_code in (401, 410)


def test_login_with_a_wrong_password_fails(headless_client, user):
    response = headless_client.post("auth/login", {"email": EMAIL, "password": "not-the-password"})

    assert response.status_code == 400
    assert response.json()["errors"][0]["param"] == "password"
    assert headless_client.get("auth/session").status_code == 401


def test_repeated_failed_logins_lock_the_account_for_a_while(headless_client, user):
    failures = [headless_client.post("auth/login", {"email": EMAIL, "password": "wrong"}) for _ in range(6)]

    assert [response.status_code for response in failures] == [400] * 6
    assert failures[0].json()["errors"][0]["code"] == "email_password_mismatch"
    assert failures[-1].json()["errors"][0]["code"] == "too_many_login_attempts"
    # Even the right password is refused until the limit has passed.
    locked = headless_client.post("auth/login", {"email": EMAIL, "password": PASSWORD})
    assert locked.json()["errors"][0]["code"] == "too_many_login_attempts"
