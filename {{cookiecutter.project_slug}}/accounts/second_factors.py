"""The rules for the second-factor settings: which types may be offered, how lenient a TOTP check is."""

from core.validation import Problem, ProblemID


def find_problems(*, supported: list[str], offered: list[str], totp_tolerance: int) -> list[Problem]:
    problems = []
    if not_offered := [kind for kind in supported if kind not in offered]:
        problems.append(
            Problem(
                ProblemID.MFA_TYPE_NOT_OFFERED,
                "MFA_SUPPORTED_TYPES",
                ",".join(supported),
                f"names {', '.join(not_offered)}, which this site does not offer.",
                f"Choose from {','.join(offered)} (or leave it empty to offer none).",
            )
        )
    if totp_tolerance < 0:
        problems.append(
            Problem(
                ProblemID.MFA_TOTP_TOLERANCE_NEGATIVE,
                "MFA_TOTP_TOLERANCE",
                totp_tolerance,
                "is negative, so no code would ever be accepted.",
                "Set it to 0 (only the current code) or 1 (also the codes just before and after).",
            )
        )
    return problems
