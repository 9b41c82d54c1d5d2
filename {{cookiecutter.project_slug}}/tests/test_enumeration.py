"""Whether an address has an account cannot be told from the answers to signup, login and password reset.

For an address with an account and one without, each answer has the same
status and the same body, but for the session tokens each answer carries.
(The mail that goes out differs: it tells the owner of the address.) A
signup does the same work for both, so its time tells nothing either.
"""

from collections import Counter

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .conftest import EMAIL, PASSWORD, HeadlessClient, shape, username_if_any

UNKNOWN_EMAIL = "nobody@example.com"


def signup_body(email: str) -> dict[str, str]:
    username = {"username": email.split("@")[0] + "2"} if username_if_any() else {}
    return {"email": email, "password": "A-new-passphrase-42", **username}


REQUESTS = {
    "signup": ("auth/signup", signup_body),
    "login": ("auth/login", lambda email: {"email": email, "password": "Not-the-password-1"}),
    "password_reset": ("auth/password/request", lambda email: {"email": email}),
}


@pytest.mark.parametrize("flow", REQUESTS)
def test_an_address_with_an_account_is_answered_as_one_without(headless_client, user, flow):
    path, body = REQUESTS[flow]

    known = headless_client.post(path, body(EMAIL))
    unknown = HeadlessClient(headless_client.kind).post(path, body(UNKNOWN_EMAIL))

    assert known.status_code == unknown.status_code
    assert shape(known.json()) == shape(unknown.json())
    assert sorted(known.cookies) == sorted(unknown.cookies)


def test_a_wrong_password_and_an_unknown_address_get_the_same_error(headless_client, user):
    client = headless_client

    answers = [
        client.post("auth/login", {"email": email, "password": "wrong"}).json() for email in (EMAIL, UNKNOWN_EMAIL)
    ]

    assert answers[0] == answers[1]
    assert answers[0]["errors"][0]["code"] == "email_password_mismatch"
    assert client.post("auth/login", {"email": EMAIL, "password": PASSWORD}).status_code == 200


def test_a_wrong_password_and_an_unknown_address_each_cost_one_password_hash(headless_client, user, counting_hasher):
    hashes = []
    for email in (EMAIL, UNKNOWN_EMAIL):
        counting_hasher.calls = 0
        assert headless_client.post("auth/login", {"email": email, "password": "wrong"}).status_code == 400
        hashes.append(counting_hasher.calls)

    assert hashes == [1, 1]


def rows_written(queries: CaptureQueriesContext) -> Counter:
    """How many INSERT statements went to each table."""
    return Counter(
        query["sql"].split()[2].strip('"') for query in queries.captured_queries if query["sql"].startswith("INSERT")
    )


def work_of(send, hasher) -> tuple[int, Counter]:
    """The passwords hashed and the rows written while ``send()`` runs."""
    hasher.calls = 0
    with CaptureQueriesContext(connection) as queries:
        response = send()
    assert response.status_code in (200, 302, 401), response.content
    return hasher.calls, rows_written(queries)


def test_a_signup_for_an_address_with_an_account_hashes_and_writes_as_a_new_one_does(
    headless_client, user, counting_hasher
):
    def sign_up(email: str):
        return lambda: HeadlessClient(headless_client.kind).post("auth/signup", signup_body(email))

    new = work_of(sign_up(UNKNOWN_EMAIL), counting_hasher)
    taken = work_of(sign_up(EMAIL), counting_hasher)

    assert new[0] >= 1
    assert taken == new


@pytest.mark.parametrize("headless_only", [False], indirect=True, ids=["with_account_pages"])
def test_the_signup_page_hashes_and_writes_for_a_taken_address_as_for_a_new_one(headless_only, user, counting_hasher):
    def sign_up(email: str):
        fields = signup_body(email)
        form = {**fields, "password1": fields["password"], "password2": fields["password"]}
        return lambda: Client().post("/accounts/signup/", form)

    new = work_of(sign_up(UNKNOWN_EMAIL), counting_hasher)
    taken = work_of(sign_up(EMAIL), counting_hasher)

    assert new[0] >= 1
    assert taken == new
