"""Reading settings from the environment: django-environ, stricter where a typo would go unnoticed.

A value that cannot be read is not raised at once but noted in ``problems``
(and its default used meanwhile), so that the settings can report it together
with every other problem in one start-up.
"""

import environ

from core.validation import Problem, ProblemID

TRUE = {"on", "true", "1", "yes"}
FALSE = {"off", "false", "0", "no"}


class Env(environ.Env):
    def __init__(self, **scheme) -> None:
        super().__init__(**scheme)
        self.problems: list[Problem] = []

    def bool(self, var: str, default=environ.Env.NOTSET) -> bool:
        """on/off, true/false, 1/0 or yes/no. django-environ reads anything else, such as "flase", as False."""
        raw = self.str(var, default="").strip().lower()
        if not raw and default is not self.NOTSET:
            return default
        if raw in TRUE:
            return True
        if raw in FALSE:
            return False
        self.problems.append(
            Problem(ProblemID.NOT_A_BOOLEAN, var, raw, "is not a boolean.", "Set it to on or off (or true/false, 1/0).")
        )
        return False if default is self.NOTSET else default

    def int(self, var: str, default=environ.Env.NOTSET) -> int:
        """A whole number, such as 300; unset, the default."""
        if var not in self.ENVIRON and default is not self.NOTSET:
            return default
        raw = self.str(var, default="")
        try:
            return int(raw.strip())
        except ValueError:
            self.problems.append(
                Problem(ProblemID.NOT_AN_INTEGER, var, raw, "is not a whole number.", "Write digits only, e.g. 300.")
            )
            return 0 if default is self.NOTSET else default

    def list(self, var: str, cast=str, default=environ.Env.NOTSET) -> list:
        """Comma-separated, with spaces around each item dropped ("a, b" is ["a", "b"]).

        Unset gives the default (with none, an empty list); set but empty gives an empty list.
        """
        if var not in self.ENVIRON:
            return [] if default is self.NOTSET else default
        raw = self.str(var)
        try:
            return [cast(item.strip()) for item in raw.split(",") if item.strip()]
        except ValueError as error:
            self.problems.append(
                Problem(
                    ProblemID.NOT_A_LIST,
                    var,
                    raw,
                    f"is not a comma-separated list of {cast.__name__}: {error}.",
                    "Separate the items with commas, e.g. 60,300.",
                )
            )
            return [] if default is self.NOTSET else default
