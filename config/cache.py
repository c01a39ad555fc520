"""Cache backend shared by every process: rate limits must hold across workers and restarts."""

from __future__ import annotations

from typing import Any, cast

from django.core.cache.backends.redis import RedisCache


class PrefixedRedisCache(RedisCache):
    """Django's Redis cache whose `clear()` deletes only this cache's keys.

    The cache may share a Redis database with the Celery broker; Django's own `clear()`
    runs FLUSHDB, which would also drop queued tasks.
    """

    def clear(self) -> None:
        """Delete every key under this cache's prefix, leaving other keys alone."""
        client: Any = cast(Any, self)._cache.get_client(write=True)
        batch: list[bytes] = []
        for key in client.scan_iter(match=self.make_key("*"), count=500):
            batch.append(key)
            if len(batch) >= 500:
                client.delete(*batch)
                batch = []
        if batch:
            client.delete(*batch)
