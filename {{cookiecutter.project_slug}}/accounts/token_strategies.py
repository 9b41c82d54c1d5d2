"""The app client's token strategies: session tokens only, or JWT access and refresh tokens as well."""

from core.validation import Problem, ProblemID

TOKEN_STRATEGIES = {
    "session": "allauth.headless.tokens.strategies.sessions.SessionTokenStrategy",
    # allauth's, with each refresh token spent once across processes (accounts/headless/token_refresh.py).
    "jwt": "accounts.headless.token_refresh.JWTTokenStrategy",
}


def find_problems(strategy: str) -> list[Problem]:
    if strategy in TOKEN_STRATEGIES:
        return []
    return [
        Problem(
            ProblemID.TOKEN_STRATEGY_UNKNOWN,
            "APP_TOKEN_STRATEGY",
            strategy,
            "is not a token strategy.",
            f"Set it to {' or '.join(TOKEN_STRATEGIES)}.",
        )
    ]
