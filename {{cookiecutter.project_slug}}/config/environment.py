"""Reading settings from the environment: django-environ, stricter where a typo would go unnoticed."""

import environ
from django.core.exceptions import ImproperlyConfigured

TRUE = {"on", "true", "1", "yes"}
FALSE = {"off", "false", "0", "no"}


class Env(environ.Env):
    def bool(self, var: str, default=environ.Env.NOTSET) -> bool:
        """on/off, true/false, 1/0 or yes/no. django-environ reads anything else, such as "flase", as False."""
        raw = self.str(var, default="").strip().lower()
        if not raw and default is not self.NOTSET:
            return default
        if raw in TRUE:
            return True
        if raw in FALSE:
            return False
        raise ImproperlyConfigured(f"{var}={raw!r} is not a boolean. Set it to on or off (or true/false, 1/0).")

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
            message = f"{var}={raw!r} is not a comma-separated list of {cast.__name__}: {error}"
            raise ImproperlyConfigured(message) from error
