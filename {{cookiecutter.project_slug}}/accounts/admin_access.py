"""The rule that staff can meet the admin's second-factor requirement: some second factor is offered to add.

Plain Python, like the other settings rules, so that settings and system checks share it.
"""

from collections.abc import Sequence

from core.validation import Problem, ProblemID

# The factors allauth asks for at login; recovery codes only stand in for a lost authenticator app.
SECOND_FACTORS = ("totp", "webauthn")


def find_problems(requires_second_factor: bool, admin_url: str, supported_types: Sequence[str]) -> list[Problem]:
    """A problem when the admin is on, requires a second factor, and MFA_SUPPORTED_TYPES offers none to add."""
    if not requires_second_factor or not admin_url or any(kind in supported_types for kind in SECOND_FACTORS):
        return []
    return [
        Problem(
            ProblemID.ADMIN_SECOND_FACTOR_UNAVAILABLE,
            "ADMIN_REQUIRES_SECOND_FACTOR",
            "on",
            f"requires staff to have a second factor, but MFA_SUPPORTED_TYPES={','.join(supported_types)!r} "
            "offers none to add (an authenticator app or a passkey), so no new staff member could open the admin.",
            "Add totp to MFA_SUPPORTED_TYPES (e.g. MFA_SUPPORTED_TYPES=totp,recovery_codes), or set "
            "ADMIN_REQUIRES_SECOND_FACTOR=off, or ADMIN_URL= to turn the admin off.",
        )
    ]
