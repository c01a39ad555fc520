"""Real components for integration tests: a Celery worker process on Redis, an SMTP sink."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from celery import Celery
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def services_required() -> bool:
    """CI sets FLIPSIDE_REQUIRE_SERVICES=1: a missing service fails instead of skipping."""
    return os.environ.get("FLIPSIDE_REQUIRE_SERVICES") == "1"


def redis_url_or_skip() -> str:
    """Return a reachable Redis URL, or skip (fail in CI) when there is none."""
    import redis

    url = settings.REDIS_URL or DEFAULT_REDIS_URL
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        message = f"Redis is not reachable at {url}: {error}"
        if services_required():
            pytest.fail(message)
        pytest.skip(message)
    return url


def database_url_for_test_db() -> str:
    """Return a DATABASE_URL pointing another process at the test database."""
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{params['NAME']}"
    user = quote(params.get("USER") or "")
    password = f":{quote(params['PASSWORD'])}" if params.get("PASSWORD") else ""
    credentials = f"{user}{password}@" if user else ""
    host = params.get("HOST") or "127.0.0.1"
    port = f":{params['PORT']}" if params.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{params['NAME']}"


@dataclass
class SmtpSink:
    """A loopback SMTP server that keeps what it accepts."""

    host: str
    port: int
    messages: list[Message] = field(default_factory=list)

    def by_header(self, name: str, value: str) -> list[Message]:
        return [m for m in self.messages if m.get(name) == value]


class _Handler:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.sink.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


def free_port() -> int:
    """Return a TCP port that is free on the loopback interface right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def smtp_sink() -> Iterator[SmtpSink]:
    """Run an SMTP sink on 127.0.0.1 on a free port."""
    sink = SmtpSink("127.0.0.1", free_port())
    controller = Controller(_Handler(sink), hostname=sink.host, port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


@dataclass
class WorkerProcess:
    """A real `celery worker` process consuming one private queue."""

    queue: str
    broker_url: str
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-Q",
                self.queue,
                "--pool=solo",
                "--concurrency=1",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def kill(self) -> None:
        """SIGKILL: the worker gets no chance to ack or clean up."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@contextmanager
def celery_worker(
    tmp_path: Path, *, smtp: SmtpSink | None = None, extra_env: dict[str, str] | None = None
) -> Iterator[tuple[WorkerProcess, Celery]]:
    """Start a worker on Redis against the test database; yield it and a producer app."""
    broker_url = redis_url_or_skip()
    queue = f"flipside-test-{uuid.uuid4().hex[:12]}"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST_", "DJANGO_ALLOW_ASYNC"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        FLIPSIDE_ENV="development",
        DATABASE_URL=database_url_for_test_db(),
        REDIS_URL=broker_url,
        CELERY_TASK_DEFAULT_QUEUE=queue,
        # Files the worker writes (reports) must land where this process reads them.
        FLIPSIDE_MEDIA_ROOT=str(settings.MEDIA_ROOT),
    )
    if smtp is not None:
        env.update(EMAIL_HOST=smtp.host, EMAIL_PORT=str(smtp.port))
    env.update(extra_env or {})
    worker = WorkerProcess(queue, broker_url, env, tmp_path / f"{queue}.log")
    # Not set as current: later tests and the code under test must keep the project's app.
    producer = Celery("flipside-test-producer", broker=broker_url, set_as_current=False)
    producer.conf.task_default_queue = queue
    worker.start()
    try:
        yield worker, producer
    finally:
        worker.stop()
        with producer.connection_for_write() as conn:
            channel: Any = conn.default_channel
            channel.queue_purge(queue)
        producer.close()


def wait_until(predicate: Callable[[], bool], *, timeout: float = 30, what: str = "") -> None:
    """Poll `predicate` until it is true or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what or predicate}")


@contextmanager
def app_sends_to_worker(tmp_path: Path, **worker_kwargs: Any) -> Iterator[WorkerProcess]:
    """Run a real worker and make this process's Celery app publish to it (not eagerly).

    For journeys where the web process (live_server) queues work, e.g. with delay_on_commit.
    """
    from config.celery import app

    saved = {
        key: app.conf[key]
        for key in ("task_always_eager", "broker_url", "result_backend", "task_default_queue")
    }

    def forget_connections() -> None:
        # The app caches its connection pool, producer pool, queues and router; all were
        # built from the old configuration.
        app.close()
        amqp: Any = app.amqp
        amqp._producer_pool = None
        for cached in ("queues", "default_queue", "router", "_rtable"):
            amqp.__dict__.pop(cached, None)

    with celery_worker(tmp_path, **worker_kwargs) as (worker, _producer):
        forget_connections()
        app.conf.update(
            task_always_eager=False,
            broker_url=worker.broker_url,
            result_backend=None,
            task_default_queue=worker.queue,
        )
        try:
            yield worker
        finally:
            app.conf.update(saved)
            forget_connections()
