"""Django's Redis cache backend, with one redis-py client per connection pool instead of one per cache call."""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write: bool = False):
        # Django makes a new client for every operation, and each builds its table of about 170 response
        # callbacks: a few percent of a session check. A client keeps no connection of its own (its pool
        # does, and hands one to each command, thread-safely), so one client per pool serves every call.
        index = self._get_connection_pool_index(write)
        if index not in self._clients:
            self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return self._clients[index]


class RedisCache(redis.RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
