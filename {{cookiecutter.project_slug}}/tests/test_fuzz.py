"""Fuzzing: schemathesis sends generated requests to every operation of the two OpenAPI documents the site serves.

allauth's headless spec (/_allauth/openapi.json) and the project API's
(/api/v1/openapi.json) are fuzzed for the browser and the app client, each
anonymous and logged in afresh for every operation. Every operation gets
EXAMPLES requests, valid and invalid by the spec (set FUZZ_EXAMPLES to send
more; the examples are the same on every run). Every answer must be below
500, keep the JSON envelope, and be what the spec describes, except where
SPEC_DIFFERENCES records a known difference between allauth's published spec
and its behaviour, each with the reason it is accepted.
"""

import os
from collections.abc import Iterable
from dataclasses import dataclass

import pytest
import schemathesis
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.core.failures import Failure
from schemathesis.specs.openapi import checks

from .conftest import HeadlessClient

pytestmark = [
    pytest.mark.fuzz,
    # Generated session tokens make cache keys memcached would refuse; this site's caches take them.
    pytest.mark.filterwarnings("ignore::django.core.cache.CacheKeyWarning"),
]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
DOCUMENTS = {"allauth": "/_allauth/openapi.json", "project": "/api/v1/openapi.json"}
CONFORMANCE = [checks.status_code_conformance, checks.content_type_conformance, checks.response_schema_conformance]


def operations_at(*paths: str) -> frozenset[str]:
    return frozenset(f"{method} /_allauth/{{client}}/v1/{path}" for method, path in map(str.split, paths))


@dataclass(frozen=True)
class SpecDifference:
    """Answers with one of ``statuses`` that differ from allauth's spec as ``failure`` (schemathesis's name) says."""

    statuses: tuple[int, ...]
    failure: str
    reason: str
    operations: frozenset[str] | None = None  # None: any operation
    details: tuple[str, ...] = ("",)  # parts of schemathesis's message, where the difference is one case of several

    def covers(self, label: str, status: int, failure: Failure) -> bool:
        return (
            status in self.statuses
            and type(failure).__name__ == self.failure
            and (self.operations is None or label in self.operations)
            and any(detail in str(failure) for detail in self.details)
        )


SPEC_DIFFERENCES = [
    SpecDifference(
        (401,),
        "UndefinedStatusCode",
        "An endpoint that needs a login answers 401 with the login flows to anyone not logged in; "
        "the spec lists that answer on a few endpoints only.",
    ),
    SpecDifference(
        (401,),
        "JsonSchemaError",
        "Where the spec's 401 is only the reauthentication answer (is_authenticated true), "
        "anyone not logged in gets allauth's 401 with is_authenticated false.",
        details=("false is not one of true", '"user" is a required property'),
    ),
    SpecDifference(
        (429,),
        "UndefinedStatusCode",
        "allauth's rate limits answer 429 on every limited endpoint; the spec lists it on a few only.",
    ),
    SpecDifference(
        (410,),
        "UndefinedStatusCode",
        "An app request whose X-Session-Token names no session gets 410 Gone; the spec lists it on a few only.",
    ),
    SpecDifference(
        (401, 410),
        "JsonSchemaError",
        "With nobody logged in, allauth sends meta.is_authenticated as null where the spec says a boolean.",
        details=('null is not of type "boolean"',),
    ),
    SpecDifference(
        (401,),
        "JsonSchemaError",
        "The login flows include passkey login, mfa_login_webauthn, which the spec's list of flow ids lacks.",
        details=('"mfa_login_webauthn" is not one of',),
    ),
    SpecDifference(
        (400,),
        "UndefinedStatusCode",
        "allauth checks these bodies and answers 400 with the errors; the spec leaves that answer out.",
        operations_at(
            "PUT account/authenticators/webauthn",
            "DELETE account/authenticators/webauthn",
            "POST account/authenticators/webauthn",
            "DELETE auth/sessions",
        ),
    ),
    SpecDifference(
        (404,),
        "UndefinedStatusCode",
        "The site keeps no phone numbers, so config/urls.py answers 404 on the phone endpoints the spec always lists.",
        operations_at(
            "POST auth/phone/verify", "POST auth/phone/verify/resend", "GET account/phone", "POST account/phone"
        ),
    ),
]


class InProcessSite:
    """The site's WSGI application, called in the test's process and database transaction.

    Django closes the database connection when a request ends; like Django's
    test client, this keeps it open, or the test's transaction would end with it.
    """

    def __init__(self) -> None:
        self.handler = WSGIHandler()

    def __call__(self, environ, start_response) -> Iterable[bytes]:
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = self.handler(environ, start_response)
            try:
                return [b"".join(response)]
            finally:
                response.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


def credentials(kind: str, logged_in: bool) -> tuple[dict[str, str], dict[str, str]]:
    """The headers and cookies a frontend of ``kind`` sends: a fresh login's, or only the CSRF token's."""
    cache.clear()  # earlier operations' failed logins must not rate-limit this one
    client = HeadlessClient(kind)
    if logged_in:
        client.login()
    if kind == "browser":
        headers = {"X-CSRFToken": client.csrf_token()}
        return headers, {name: cookie.value for name, cookie in client.http.cookies.items()}
    headers = {}
    if client.session_token:
        headers["X-Session-Token"] = client.session_token
    if client.access_token:
        headers["Authorization"] = f"Bearer {client.access_token}"
    return headers, {}


def envelope_problem(path: str, response) -> str | None:
    """What breaks the envelope, if anything: a JSON object with the status and, for errors, what went wrong.

    allauth's answers all carry their status; a 400 lists its errors, while a
    401, 403, 409 or 410 may come without. The project API's errors list theirs.
    """
    if 300 <= response.status_code < 400:
        return None  # a redirect, e.g. a provider login's, to the frontend
    project_api = path.startswith("/api/")
    if project_api and response.status_code < 400:
        return None  # the endpoint's own schema, checked against the spec
    try:
        body = response.json()
    except ValueError:
        return f"not JSON: {response.text[:200]!r}"
    if not isinstance(body, dict) or body.get("status") != response.status_code:
        return f"no matching status in {body!r:.200}"
    errors = body.get("errors")
    if errors is None and response.status_code != 400 and not project_api:
        return None
    if not isinstance(errors, list) or not errors:
        return f"no errors listed in {body!r:.200}"
    for error in errors:
        if not (
            isinstance(error, dict) and isinstance(error.get("message"), str) and isinstance(error.get("code"), str)
        ):
            return f"an error without message and code: {error!r:.200}"
    return None


def operations_for(schema, kind: str):
    """The document's operations a client of ``kind`` can call (some of allauth's exist for one client only)."""
    for result in schema.get_all_operations():
        operation = result.ok()
        if not operation.path.startswith("/_allauth/") or "{client}" in operation.path or f"/{kind}/" in operation.path:
            yield operation


@pytest.fixture
def site(settings):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]  # schemathesis's host name, and the test client's
    return InProcessSite()


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "logged_in"])
@pytest.mark.parametrize("kind", ["browser", "app"])
@pytest.mark.parametrize("document", DOCUMENTS)
def test_generated_requests_get_no_server_error_and_keep_the_envelope(site, user, document, kind, logged_in):
    schema = schemathesis.openapi.from_wsgi(DOCUMENTS[document], site)
    problems: dict[tuple[str, int, str], str] = {}

    for operation in operations_for(schema, kind):
        fuzz(operation, kind, *credentials(kind, logged_in), problems)

    assert not problems, "\n".join(
        f"{label} -> {status} {what}: {info}" for (label, status, what), info in problems.items()
    )


def fuzz(operation, kind: str, headers: dict[str, str], cookies: dict[str, str], problems: dict) -> None:
    """Sends EXAMPLES generated requests to ``operation``; records each new problem with a curl to repeat it."""
    fixed = {"client": kind} if "{client}" in operation.path else None
    strategy = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE, path_parameters=fixed),
        operation.as_strategy(GenerationMode.NEGATIVE, path_parameters=fixed),
    )

    @hypothesis_settings(
        max_examples=EXAMPLES, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck)
    )
    @given(case=strategy)
    def send(case):
        # schemathesis's client has no address; allauth's rate limits need one.
        response = case.call(headers=headers, cookies=cookies, environ_base={"REMOTE_ADDR": "127.0.0.1"})
        for what, detail in find_problems(case, response):
            problems.setdefault(
                (operation.label, response.status_code, what), f"{detail}\n    {case.as_curl_command()}"
            )

    send()


def find_problems(case, response) -> list[tuple[str, str]]:
    found = []
    if response.status_code >= 500:
        found.append(("server error", response.text[:300]))
    # A form post (the provider redirect) is the browser navigating, not an API call: its answer is a
    # redirect, or with HEADLESS_ONLY off and no frontend error URL set, allauth's error page.
    navigation = case.media_type == "application/x-www-form-urlencoded"
    if not navigation and (problem := envelope_problem(case.operation.path, response)):
        found.append(("envelope", problem))
    try:
        case.validate_response(response, checks=CONFORMANCE)
    except* Failure as group:
        found.extend(
            (type(failure).__name__, str(failure)[:300])
            for failure in group.exceptions
            if not any(known.covers(case.operation.label, response.status_code, failure) for known in SPEC_DIFFERENCES)
        )
    return found
