"""Run callables at the same time, each in its own thread and database connection.

Each thread waits at a barrier before its first write statement (INSERT, UPDATE, DELETE), so
every caller has made its reads before any of them writes: a read-then-write without a guard
lets all of them pass their checks. A guard that blocks (a row lock taken by
`select_for_update`) keeps the later callers out of that barrier; the first one then goes on
after `hold_seconds`, and the others read what it committed.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

WRITES = ("INSERT", "UPDATE", "DELETE")


def run_concurrently(
    callables: Sequence[Callable[[], Any]], *, hold_seconds: float = 3.0
) -> list[Any]:
    """Return each callable's result, or the exception it raised, in the callables' order."""
    start = threading.Barrier(len(callables), timeout=30)
    before_write = threading.Barrier(len(callables), timeout=hold_seconds)
    results: list[Any] = [None] * len(callables)

    def attempt(index: int, function: Callable[[], Any]) -> None:
        waited = False

        def wait_before_first_write(
            execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
        ) -> Any:
            nonlocal waited
            if not waited and sql.lstrip().upper().startswith(WRITES):
                waited = True
                # Broken: another caller is blocked on a lock this one holds; go on alone.
                with contextlib.suppress(threading.BrokenBarrierError):
                    before_write.wait()
            return execute(sql, params, many, context)

        try:
            with connection.execute_wrapper(wait_before_first_write):
                start.wait()
                results[index] = function()
        except Exception as error:  # the outcome under test, e.g. a ValidationError
            results[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=attempt, args=(index, function))
        for index, function in enumerate(callables)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a concurrent caller hung"
    return results


postgresql_only = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="row locks and concurrent transactions: run with DATABASE_URL=postgres://…",
)
