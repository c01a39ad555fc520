"""The shared cache: clearing it never touches the broker's keys in the same Redis database."""

from __future__ import annotations

import uuid

import redis

from config.cache import PrefixedRedisCache
from tests.support.services import redis_url_or_skip


def test_clearing_the_redis_cache_keeps_other_keys() -> None:
    url = redis_url_or_skip()
    prefix = f"flipside-test-{uuid.uuid4().hex[:12]}"
    cache = PrefixedRedisCache(url, {"KEY_PREFIX": prefix})
    raw = redis.Redis.from_url(url)
    other_key = f"{prefix}-celery-queue"
    raw.set(other_key, "queued task")
    try:
        for index in range(1200):
            cache.set(f"k{index}", index, 60)
        assert cache.get("k1199") == 1199
        cache.clear()
        assert cache.get("k1199") is None
        assert list(raw.scan_iter(match=f"{prefix}:*")) == []
        assert raw.get(other_key) == b"queued task"
    finally:
        raw.delete(other_key)
