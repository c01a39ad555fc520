"""The real server's access log and application log never say who rated when (issue 12).

Starts gunicorn with the project's gunicorn.conf.py on the test database, rates a session
through it as a browser would (form page, then the id-free POST), and reads the lines it
wrote: the rating lines hold no client address, no time of day, and no id of the session,
the eligibility or the rater; the other lines keep the usual format.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from tests.conftest import Cast
from tests.factories import TEST_PASSWORD
from tests.factories.feedback import eligibility_of, held_session, sweep
from tests.factories.sessions import make_pair

pytestmark = pytest.mark.django_db(transaction=True)

FORM = {"clarity": "5", "usefulness": "4", "pace": "3", "confidence": "4", "recommend": "9"}
TIME_OF_DAY = re.compile(r"\d{2}:\d{2}:\d{2}")


def _database_url() -> str:
    """The test database, as a DATABASE_URL for the server process."""
    db: Any = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(port: int, server: subprocess.Popen[bytes]) -> None:
    for _ in range(200):
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def test_gunicorn_logs_a_rating_without_client_time_or_ids(cast: Cast, tmp_path: Path) -> None:
    pair = make_pair(cast.org_a, topics=1)
    session = held_session(pair)
    sweep(cast.org_a)
    eligibility = eligibility_of(pair.mentee, session)
    client = Client()
    assert client.login(email=pair.mentee.email, password=TEST_PASSWORD)
    port = _free_port()
    access, app_log = tmp_path / "access.log", tmp_path / "app.log"
    env = {**os.environ, "DATABASE_URL": _database_url(), "DATABASE_CONN_MAX_AGE": "0"}
    with app_log.open("wb") as app_out:
        server = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"),
                *("--bind", f"127.0.0.1:{port}", "--workers", "1"),
                *("--access-logfile", str(access), "config.wsgi:application"),
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=app_out,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait(port, server)
            jar = CookieJar()
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
            opener.addheaders = [
                ("Cookie", f"{settings.SESSION_COOKIE_NAME}={client.cookies['sessionid'].value}"),
                ("User-Agent", "Bernard's browser"),
            ]
            base = f"http://127.0.0.1:{port}/o/{cast.org_a.slug}/feedback/"
            opener.open(base).read()
            page = opener.open(f"{base}rate/{eligibility.pk}/").read().decode()
            fields = dict(
                re.findall(r'name="(csrfmiddlewaretoken|reference)" value="([^"]+)"', page)
            )
            csrf = next(c.value for c in jar if c.name == settings.CSRF_COOKIE_NAME)
            opener.addheaders[0] = (
                "Cookie",
                f"{settings.SESSION_COOKIE_NAME}={client.cookies['sessionid'].value}; "
                f"{settings.CSRF_COOKIE_NAME}={csrf}",
            )
            body = urllib.parse.urlencode({**FORM, **fields}).encode()
            receipt = opener.open(f"{base}rate/", data=body).read().decode()
        finally:
            server.terminate()
            server.wait(timeout=30)
    assert "receipt" in receipt.lower()
    eligibility.refresh_from_db()
    assert eligibility.is_used

    lines = access.read_text().splitlines()
    rating = [line for line in lines if "/feedback/rate/" in line]
    others = [line for line in lines if "/feedback/rate/" not in line]
    assert len(rating) == 2, lines  # the form page and the POST
    assert any(
        line.startswith("POST ") or '"POST /o/org-a/feedback/rate/' in line for line in rating
    )
    secrets = [
        str(eligibility.pk),
        str(session.pk),
        str(pair.mentee.pk),
        pair.mentee.email,
        "127.0.0.1",
        "Bernard",
    ]
    for line in rating:
        assert not any(s in line for s in secrets), line
        assert not TIME_OF_DAY.search(line), line
    # The control: other lines keep client, time and agent, so the redaction is what hides them.
    assert others and all("127.0.0.1" in line and TIME_OF_DAY.search(line) for line in others)
    application = app_log.read_text()
    assert not any(s in application for s in secrets[:4]), application
