"""Where passkeys work: the WebAuthn relying party ID and the frontend origins allowed to use it.

A passkey belongs to a relying party ID, a domain: the frontend's host or a
parent of it, so that a frontend on app.example.com and an API on
api.example.com can share passkeys under example.com. The browser writes the
page's origin into every passkey response; the site accepts only the origins
allowed here (accounts/headless/passkey_responses.py).

Plain Python on purpose: the settings, the system checks and the template's
bake-time hook all call ``find_problems`` so they agree on what is valid.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from core.validation import DEFAULT_PORTS, Problem, ProblemID, is_ip_address, origin_of

EXAMPLE = "MFA_WEBAUTHN_RP_ID=example.com with MFA_WEBAUTHN_ALLOWED_ORIGINS=https://app.example.com"


def default_rp_id(origins: list[str]) -> str:
    """The host of the first origin: passkeys then belong to exactly that host."""
    return (urlsplit(origins[0]).hostname or "") if origins else ""


def find_problems(rp_id: str, origins: list[str], *, required: bool) -> list[Problem]:
    """Every reason why passkeys made under ``rp_id`` could not be used on each of ``origins``.

    ``required``: having no origin is a problem (HEADLESS_ONLY is on). Without
    origins, passkeys are used on allauth's own pages, under the host the
    request came to.
    """
    if not origins and required:
        return [
            Problem(
                ProblemID.PASSKEY_ORIGINS_MISSING,
                "MFA_WEBAUTHN_ALLOWED_ORIGINS",
                "",
                "is empty and no frontend URL is set to take the origin from, and HEADLESS_ONLY is on, "
                "so no page may use passkeys.",
                f"Set it to the origins of the pages that use passkeys, for example {EXAMPLE}.",
            )
        ]
    problems = []
    for origin in origins:
        problem = _origin_problem(origin) or _rp_id_problem(rp_id, origin)
        if problem:
            problems.append(problem)
    return problems


def signup_problems(*, signup_enabled: bool, verification_by_code: bool) -> list[Problem]:
    """Passkey signup with addresses confirmed by links, which cannot work.

    allauth keeps a passkey signup in the session between its steps, and a
    link opened in another browser or the mail app would not find it there.
    """
    if not signup_enabled or verification_by_code:
        return []
    return [
        Problem(
            ProblemID.PASSKEY_SIGNUP_WITHOUT_CODES,
            "ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED",
            False,
            "is off while MFA_PASSKEY_SIGNUP_ENABLED is on; a passkey signup can only confirm its address "
            "by a code typed where the signup started.",
            "Set ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED=on (or leave it unset), or MFA_PASSKEY_SIGNUP_ENABLED=off.",
        )
    ]


def _origin_problem(origin: str) -> Problem | None:
    def problem(problem_id: str, message: str, expected: str) -> Problem:
        return Problem(
            problem_id,
            "MFA_WEBAUTHN_ALLOWED_ORIGINS",
            origin,
            message,
            f"{expected}, for example {EXAMPLE}. Unset, it is the origin of the frontend URL settings.",
        )

    parts = urlsplit(origin)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or origin != origin_of(origin):
        return problem(
            ProblemID.PASSKEY_ORIGIN_MALFORMED,
            "is not an origin.",
            "Write each origin as scheme://host[:port], lower case, with no path",
        )
    host = parts.hostname
    if parts.scheme == "http" and host != "localhost" and not host.endswith(".localhost"):
        return problem(
            ProblemID.PASSKEY_ORIGIN_NOT_OFFERED,
            "uses plain http; browsers offer passkeys only on https pages and on http://localhost.",
            "Serve the frontend over https (or on localhost while developing)",
        )
    if is_ip_address(host):
        return problem(
            ProblemID.PASSKEY_ORIGIN_NOT_OFFERED,
            "has an IP address for its host; browsers offer passkeys only on domain names.",
            "Serve the frontend on a domain name (localhost while developing)",
        )
    return None


def _rp_id_problem(rp_id: str, origin: str) -> Problem | None:
    host = urlsplit(origin).hostname or ""
    if rp_id == host:
        return None
    if host.endswith("." + rp_id) and not is_ip_address(rp_id):
        if _is_registrable(rp_id, origin):
            return None
        message = f"is a public suffix (like com or co.uk), which no site may claim for {origin}."
    else:
        message = f"is neither {host} nor a parent domain of it, so {origin} cannot use passkeys under it."
    return Problem(
        ProblemID.PASSKEY_RP_ID_MISMATCH,
        "MFA_WEBAUTHN_RP_ID",
        rp_id,
        message,
        f"Set it to the frontend's host or a parent domain of every allowed origin, for example {EXAMPLE}.",
    )


def _is_registrable(rp_id: str, origin: str) -> bool:
    # fido2 is what allauth verifies passkeys with, and carries the Public Suffix
    # List. Imported here: the bake-time hook runs without the site's packages,
    # and it only checks an origin against its own host, which never gets here.
    from fido2.rpid import verify_rp_id

    return verify_rp_id(rp_id, origin)
