"""Sessions in the cache (Redis) alone, where an unreachable cache is an error instead of an empty session."""

from django.contrib.sessions.backends import cache


class SessionStore(cache.SessionStore):
    def load(self) -> dict:
        # Django's cache sessions take any error of the cache for a missing session, so while Redis is down
        # every user would look logged out and clients would drop their sessions. Raised, the error is
        # answered 503 (core/views.py) and the client tries again.
        session_data = self._cache.get(self.cache_key)
        if session_data is not None:
            return session_data
        self._session_key = None
        return {}
