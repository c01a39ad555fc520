"""Real web server processes (gunicorn) against the test database, and a tiny HTTP client."""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from tests.support.services import ROOT, database_url_for_test_db, free_port


@dataclass
class WebProcess:
    """One `gunicorn` process with a single sync worker: its own memory, nothing shared."""

    port: int
    env: dict[str, str]
    log_path: Path
    app: str = "config.wsgi:application"
    ready_path: str = "/accounts/login/"
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                self.app,
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited early:\n{self.log()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", self.ready_path)
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"gunicorn did not answer on port {self.port}:\n{self.log()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def web_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a server process: this one's, pointed at the test database."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST_", "DJANGO_ALLOW_ASYNC"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        FLIPSIDE_ENV="development",
        DATABASE_URL=database_url_for_test_db(),
    )
    env.update(extra or {})
    return env


@contextmanager
def web_processes(count: int, tmp_path: Path, env: dict[str, str]) -> Iterator[list[WebProcess]]:
    """Start `count` independent gunicorn processes; stop them all on exit."""
    processes = [
        WebProcess(free_port(), env, tmp_path / f"web-{index}-{time.monotonic_ns()}.log")
        for index in range(count)
    ]
    try:
        for process in processes:
            process.start()
        yield processes
    finally:
        for process in processes:
            process.stop()


@dataclass
class Browserless:
    """Cookie-keeping HTTP client bound to one local source address (a client IP)."""

    source_ip: str = "127.0.0.1"
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self, port: int, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        conn = http.client.HTTPConnection(
            "127.0.0.1", port, timeout=30, source_address=(self.source_ip, 0)
        )
        headers = {"Host": f"127.0.0.1:{port}", "Referer": f"http://127.0.0.1:{port}{path}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie: SimpleCookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        text = response.read().decode(errors="replace")
        return response.status, dict(response.headers.items()), text

    def post_form(
        self, port: int, path: str, form: dict[str, str]
    ) -> tuple[int, dict[str, str], str]:
        """GET the page for its CSRF token, then POST the form to the same process."""
        _status, _headers, page = self.request(port, "GET", path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert match, f"no CSRF token on {path}"
        return self.request(port, "POST", path, {"csrfmiddlewaretoken": match.group(1), **form})
