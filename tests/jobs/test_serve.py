"""The embedded default runs the schedule: `bin/serve PORT`, the README's way, sends reminders."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.support.services import ROOT, free_port


@pytest.mark.worker
def test_bin_serve_sends_a_reminder_to_its_console_with_links_to_its_port(
    tmp_path: Path,
) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.pop("FLIPSIDE_SITE_URL", None)
    # A database of its own, so that the developer's db.sqlite3 is left alone.
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'serve.sqlite3'}"
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(ROOT / "bin" / "serve"), str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 240
        reminder = None
        while time.monotonic() < deadline and reminder is None:
            time.sleep(1)
            text = log_path.read_text(errors="replace")
            reminder = re.search(r"^Subject: Please log your session with .*$", text, re.M)
            assert process.poll() is None, text[-4000:]
        text = log_path.read_text(errors="replace")
        assert reminder is not None, text[-4000:]
        assert "Periodic tasks run in this process" in text
        assert f"http://127.0.0.1:{port}/o/" in text
        assert "127.0.0.1:8000" not in text
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
