"""Imported by a fault test's worker (`--include`): the report's PDF step takes a while.

So that the test can SIGKILL the worker while a report build is surely under way. The delay
is added in the worker process only; the code that runs is the real one.
"""

from __future__ import annotations

import os
import time
from typing import Any

import reports.services as services

_render_pdf = services.render_pdf


def _slow_render_pdf(*args: Any, **kwargs: Any) -> bytes:
    time.sleep(float(os.environ.get("FAULT_SLOW_SECONDS", "6")))
    return _render_pdf(*args, **kwargs)


services.render_pdf = _slow_render_pdf
