"""The proxies in front of the site: which of them it trusts to name each client's address.

allauth limits logins, signups and password resets per client address, and
lists each of a user's sessions with the address it came from. Behind a proxy,
the address the site sees is the proxy's; the client's comes in a header the
proxy writes. Either the site trusts the last TRUSTED_PROXY_COUNT entries of
X-Forwarded-For (those its own proxies appended; entries before them are the
client's to write), or it reads TRUSTED_CLIENT_IP_HEADER, which its proxy sets
on every request. Plain Python, so that the settings check the values while
they load.
"""

import re

from .validation import Problem, ProblemID

HEADER_NAME = re.compile(r"[A-Za-z0-9]+(-[A-Za-z0-9]+)*")
WHOLE_NUMBER = re.compile(r"[0-9]+")
# Headers that hold a list a client can start: allauth reads one address from the header it is given.
ADDRESS_LISTS = {"x-forwarded-for", "forwarded"}
COUNT_HINT = "e.g. TRUSTED_PROXY_COUNT=1 behind one proxy that appends to X-Forwarded-For (nginx, most load balancers)"
HEADER_HINT = "e.g. TRUSTED_CLIENT_IP_HEADER=X-Real-IP for a proxy that sets that header to the client's address"


def find_problems(proxy_count: str, client_ip_header: str) -> list[Problem]:
    """Every problem with TRUSTED_PROXY_COUNT and TRUSTED_CLIENT_IP_HEADER, as read from the environment.

    An empty count is 0, none trusted; an empty header is none.
    """
    problems = []
    count_is_number = not proxy_count or WHOLE_NUMBER.fullmatch(proxy_count)
    if not count_is_number:
        problems.append(
            Problem(
                ProblemID.PROXY_COUNT_NOT_A_NUMBER,
                "TRUSTED_PROXY_COUNT",
                proxy_count,
                "is not a whole number of proxies.",
                f"Set it to how many proxies in front of the site append to X-Forwarded-For, or 0 for none; "
                f"{COUNT_HINT}.",
            )
        )
    if client_ip_header and not HEADER_NAME.fullmatch(client_ip_header):
        problems.append(
            Problem(
                ProblemID.CLIENT_IP_HEADER_MALFORMED,
                "TRUSTED_CLIENT_IP_HEADER",
                client_ip_header,
                "is not a header name (letters, digits and dashes; gunicorn drops headers with underscores).",
                f"Write the header as the proxy sends it, {HEADER_HINT}.",
            )
        )
    elif client_ip_header.lower() in ADDRESS_LISTS:
        problems.append(
            Problem(
                ProblemID.CLIENT_IP_HEADER_A_LIST,
                "TRUSTED_CLIENT_IP_HEADER",
                client_ip_header,
                "holds a list of addresses whose first entries any client can write, where one address is expected.",
                f"Trust X-Forwarded-For by the number of proxies that append to it instead: {COUNT_HINT}.",
            )
        )
    if client_ip_header and count_is_number and int(proxy_count or 0) > 0:
        problems.append(
            Problem(
                ProblemID.PROXY_TRUST_TWICE,
                "TRUSTED_CLIENT_IP_HEADER",
                client_ip_header,
                f"is set as well as TRUSTED_PROXY_COUNT={proxy_count}, and only one of them can say where "
                "the client's address is.",
                f"Keep the one that matches your proxy: {COUNT_HINT}, or TRUSTED_PROXY_COUNT=0 with the header.",
            )
        )
    return problems


def untrusted_proxy_problems(
    ssl_header: tuple[str, str] | None, proxy_count: int, client_ip_header: str | None
) -> list[Problem]:
    """A proxy is in front (it tells the site about https) but none is trusted for the client's address (core.W130)."""
    if not ssl_header or proxy_count or client_ip_header:
        return []
    return [
        Problem(
            ProblemID.PROXY_NOT_TRUSTED,
            "TRUSTED_PROXY_COUNT",
            str(proxy_count),
            "SECURE_PROXY_SSL_HEADER says a proxy is in front of the site, but neither it nor "
            "TRUSTED_CLIENT_IP_HEADER is set, so allauth takes the proxy's address for every client's: one "
            "client's failed logins lock everyone out, and every session shows the proxy's address.",
            f"Tell the site where the client's address is: {COUNT_HINT}; or {HEADER_HINT}.",
        )
    ]
