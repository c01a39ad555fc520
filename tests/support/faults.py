"""Processes for fault tests: a private Redis, a worker and beat that can be killed for real.

Nothing here touches the shared services: Redis runs on a free port of its own, with no
persistence (as in docker-compose.yml), so stopping it loses every queued message.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from tests.support.services import (
    ROOT,
    SmtpSink,
    database_url_for_test_db,
    free_port,
    services_required,
)


@dataclass
class PrivateRedis:
    """A `redis-server` of this test only; `stop()` and `start()` are a real outage."""

    port: int
    directory: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                redis.Redis(port=self.port, socket_connect_timeout=0.5).ping()
                return
            except redis.RedisError:
                time.sleep(0.05)
        raise AssertionError("private redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()  # An outage, not a shutdown: nothing is saved.
            self.process.wait(timeout=10)


@contextmanager
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    """Start a redis-server on a free port (skip, or fail in CI, without the binary)."""
    if shutil.which("redis-server") is None:
        if services_required():
            pytest.fail("redis-server is not installed")
        pytest.skip("redis-server is not installed")
    server = PrivateRedis(free_port(), tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@dataclass
class CeleryProcess:
    """A `celery worker` or `celery beat` in its own process group (killed as a container dies)."""

    command: list[str]
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None
    starts: int = field(default=0)

    def start(self) -> None:
        self.starts += 1
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", *self.command],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill_group(self) -> None:
        """SIGKILL the whole process group: no ack, no cleanup, no goodbye."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill_group()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


# Short timings so that a fault test finishes in seconds; the same code runs in production.
FAST_JOBS = {
    "JOB_QUEUED_GRACE_SECONDS": "2",
    "JOB_HEARTBEAT_SECONDS": "1",
    "JOB_STALE_SECONDS": "4",
    "JOBS_SWEEP_SECONDS": "1",
    "OUTBOX_SWEEP_SECONDS": "5",
}


@dataclass
class Stack:
    redis: PrivateRedis
    worker: CeleryProcess
    beat: CeleryProcess
    queue: str

    def logs(self) -> str:
        return f"--- worker\n{self.worker.log()[-6000:]}\n--- beat\n{self.beat.log()[-3000:]}"


@contextmanager
def worker_and_beat(
    tmp_path: Path,
    redis: PrivateRedis,
    *,
    smtp: SmtpSink | None = None,
    include: str = "",
    extra_env: dict[str, str] | None = None,
) -> Iterator[Stack]:
    """A real worker and beat on the private Redis and the test database (not started yet)."""
    queue = f"flipside-fault-{uuid.uuid4().hex[:10]}"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST_", "DJANGO_ALLOW_ASYNC"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        FLIPSIDE_ENV="development",
        DATABASE_URL=database_url_for_test_db(),
        REDIS_URL=redis.url,
        CELERY_TASK_DEFAULT_QUEUE=queue,
        FLIPSIDE_MEDIA_ROOT=str(settings.MEDIA_ROOT),
        **FAST_JOBS,
    )
    if smtp is not None:
        env.update(EMAIL_HOST=smtp.host, EMAIL_PORT=str(smtp.port))
    env.update(extra_env or {})
    worker_args = [
        "worker",
        "-Q",
        queue,
        "--pool=prefork",
        "--concurrency=1",
        "--without-gossip",
        "--without-mingle",
        "--loglevel=INFO",
    ]
    if include:
        worker_args += ["--include", include]
    worker = CeleryProcess(worker_args, env, tmp_path / "worker.log")
    beat = CeleryProcess(
        ["beat", "--loglevel=INFO", "-s", str(tmp_path / "beat-schedule")],
        env,
        tmp_path / "beat.log",
    )
    stack = Stack(redis, worker, beat, queue)
    try:
        yield stack
    finally:
        worker.stop()
        beat.stop()


@contextmanager
def web_publishes_to(broker_url: str, queue: str) -> Iterator[None]:
    """Make this process's Celery app (the 'web' side of the test) publish to `broker_url`."""
    from config.broker import broker_reset
    from config.celery import app

    keys = ("task_always_eager", "broker_url", "result_backend", "task_default_queue")
    saved = {key: app.conf[key] for key in keys}

    def forget() -> None:
        app.close()
        amqp: Any = app.amqp
        amqp._producer_pool = None
        for cached in ("queues", "default_queue", "router", "_rtable"):
            amqp.__dict__.pop(cached, None)
        broker_reset()

    forget()
    app.conf.update(
        task_always_eager=False,
        broker_url=broker_url,
        result_backend=None,
        task_default_queue=queue,
    )
    try:
        yield
    finally:
        app.conf.update(saved)
        forget()
