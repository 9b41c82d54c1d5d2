"""Behind nginx, two gunicorn servers of this site tell clients apart by their own address, not the proxy's.

nginx runs as its own process with its own configuration, pid and logs in a
temporary directory, on a loopback port; the clients connect to it from
different loopback addresses (127.0.0.2, 127.0.0.3), as two people on the
internet would. The site learns each client's address in either of the two
ways it can be told: by the number of proxies that append to X-Forwarded-For
(TRUSTED_PROXY_COUNT) or from a header the proxy sets (TRUSTED_CLIENT_IP_HEADER).
"""

import http.client
import json
import os

import pytest

from .conftest import EMAIL, PASSWORD
from .live_server import PUBLIC_HOST, free_port, production_environ, require_postgresql_and_redis, serving
from .nginx_proxy import NO_NGINX, Nginx, nginx_path

# allauth's login_failed limit per client address: 10 a minute (and 5 per account, which these tests avoid
# by trying a different address each time).
FAILED_LOGINS_PER_ADDRESS = 10
MALLORY, ADA = "127.0.0.2", "127.0.0.3"

# How nginx passes the client's address on, and what the site is told to trust, for each way.
TRUST = {
    "proxy_count": (
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        {"TRUSTED_PROXY_COUNT": "1"},
    ),
    "client_ip_header": (
        "proxy_set_header X-Real-IP $remote_addr;",
        {"TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"},
    ),
}

pytestmark = pytest.mark.django_db(transaction=True)


class Client:
    """Someone calling the app client's API through nginx, from a loopback address of their own."""

    def __init__(self, address: str, port: int) -> None:
        self.address = address
        self.port = port

    def call(self, method: str, path: str, data=None, *, token: str | None = None, headers=None) -> tuple[int, dict]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30, source_address=(self.address, 0))
        try:
            connection.request(
                method,
                f"/_allauth/app/v1/{path}",
                body=None if data is None else json.dumps(data),
                headers={
                    "Host": PUBLIC_HOST,
                    "Content-Type": "application/json",
                    **({"X-Session-Token": token} if token else {}),
                    **(headers or {}),
                },
            )
            response = connection.getresponse()
            return response.status, json.loads(response.read())
        finally:
            connection.close()

    def fail_logins(self, count: int, forged: list[str] | None = None) -> list[str]:
        """The error codes of ``count`` logins with wrong passwords, each claiming the next ``forged`` address."""
        codes = []
        for attempt in range(count):
            claim = forged[attempt % len(forged)] if forged else None
            status, body = self.call(
                "POST",
                "auth/login",
                {"email": f"stranger{attempt}@example.com", "password": "wrong"},
                headers={"X-Forwarded-For": claim, "X-Real-IP": claim} if claim else None,
            )
            assert status == 400, body
            codes.append(body["errors"][0]["code"])
        return codes


@pytest.fixture(scope="module", params=list(TRUST))
def proxy(request, django_db_setup, tmp_path_factory) -> Nginx:
    """nginx in front of two servers of this site on the test database and the shared Redis."""
    require_postgresql_and_redis()
    path = nginx_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(NO_NGINX)
        pytest.skip(NO_NGINX)
    client_address, trust = TRUST[request.param]
    with serving(2, production_environ() | trust) as servers:
        upstreams = [server.port for server in servers]
        nginx = Nginx(path, tmp_path_factory.mktemp("nginx"), free_port(), upstreams, client_address)
        try:
            nginx.wait_until_up()
            yield nginx
        finally:
            nginx.stop()


def test_clients_from_two_addresses_get_failed_login_limits_of_their_own(proxy, server_user):
    mallory, ada = Client(MALLORY, proxy.port), Client(ADA, proxy.port)

    codes = mallory.fail_logins(FAILED_LOGINS_PER_ADDRESS + 1)

    assert codes == ["email_password_mismatch"] * FAILED_LOGINS_PER_ADDRESS + ["too_many_login_attempts"]
    status, body = ada.call("POST", "auth/login", {"email": EMAIL, "password": PASSWORD})
    assert status == 200, body


def test_a_client_that_forges_its_address_stays_in_its_own_bucket(proxy, server_user):
    mallory, ada = Client(MALLORY, proxy.port), Client(ADA, proxy.port)
    # A new address each time, Ada's among them, and a list as a proxy chain would write it.
    forged = [f"198.51.100.{attempt}" for attempt in range(1, 9)] + [ADA, f"203.0.113.9, {ADA}"]

    codes = mallory.fail_logins(FAILED_LOGINS_PER_ADDRESS + 1, forged=forged)

    assert codes == ["email_password_mismatch"] * FAILED_LOGINS_PER_ADDRESS + ["too_many_login_attempts"]
    status, body = ada.call("POST", "auth/login", {"email": EMAIL, "password": PASSWORD})
    assert status == 200, body


def test_the_users_session_list_shows_the_clients_address(proxy, server_user):
    ada = Client(ADA, proxy.port)
    forged = {"X-Forwarded-For": "203.0.113.9", "X-Real-IP": "203.0.113.9"}
    status, body = ada.call("POST", "auth/login", {"email": EMAIL, "password": PASSWORD}, headers=forged)
    assert status == 200, body

    status, body = ada.call("GET", "auth/sessions", token=body["meta"]["session_token"])

    assert status == 200, body
    assert [session["ip"] for session in body["data"]] == [ADA]
