"""Sending Celery messages without ever failing, or stalling, the caller.

The database is the source of truth: every message has a row behind it (an outbox email, a
job) and a beat sweep that sends it again. So a broker error after COMMIT is logged, never
raised (it would turn a committed change into an error page), and after one failure this
process stops trying for a few seconds so that a page queueing many messages is not slowed
once per message.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from celery import current_app
from celery.contrib.django.task import DjangoTask
from django.db import transaction

logger = logging.getLogger(__name__)

# After a failed publish, skip publishing for this long (the sweeps send what was skipped).
BACKOFF_SECONDS = 5.0
_lock = threading.Lock()
_down_until = 0.0
# How long each recent failed publish took (seconds): what a page waited on a dead broker.
recent_failure_seconds: deque[float] = deque(maxlen=100)


def broker_is_eager() -> bool:
    """True on the embedded default: tasks run in-process and there is no broker to lose."""
    return bool(current_app.conf.task_always_eager)


def publish_safely(send: Callable[[], Any], *, what: str) -> bool:
    """Call `send` (a publish); on any broker error log it and answer False instead of raising.

    Eagerly (no broker) the task runs inside `send`, so its errors propagate as usual.
    """
    global _down_until
    if broker_is_eager():
        send()
        return True
    if time.monotonic() < _down_until:
        logger.warning("Broker unavailable a moment ago: %s left for its sweep", what)
        return False
    started = time.monotonic()
    try:
        send()
    except Exception:
        with _lock:
            _down_until = time.monotonic() + BACKOFF_SECONDS
            recent_failure_seconds.append(time.monotonic() - started)
        logger.warning(
            "Broker error after %.2fs: %s not sent; its sweep will send it",
            time.monotonic() - started,
            what,
            exc_info=True,
        )
        return False
    return True


def broker_reset() -> None:
    """Forget an earlier failure (tests; a process that knows the broker is back)."""
    global _down_until
    with _lock:
        _down_until = 0.0


class SafeDjangoTask(DjangoTask):
    """The project's base task: `delay_on_commit` never raises and never retries a publish."""

    abstract = True

    def delay_on_commit(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        self.apply_async_on_commit(args, kwargs)

    def apply_async_on_commit(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        kwargs.setdefault("retry", False)
        send = functools.partial(self.apply_async, *args, **kwargs)
        transaction.on_commit(lambda: publish_safely(send, what=f"task {self.name}"))
