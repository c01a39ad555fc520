"""The calendar output reads the same in three independent parsers: vobject, ics-py, ical.js.

Sessions on both sides of the 2027 changes in Europe/Paris (spring forward 28 March at
02:00, fall back 31 October at 03:00) must come out at the same UTC instant everywhere.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import ics as ics_py
import pytest
import vobject

from sessions.ics import feed_ics
from tests.conftest import Cast
from tests.factories.sessions import make_pair, make_session

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_scopes")]

PARIS = ZoneInfo("Europe/Paris")
ICAL_JS = "ical.js@2.2.1"
LOCAL_STARTS = [
    dt.datetime(2027, 1, 12, 10, 0),  # winter, +01:00
    dt.datetime(2027, 3, 28, 10, 0),  # the day summer time starts, after the change
    dt.datetime(2027, 7, 6, 18, 30),  # summer, +02:00
    dt.datetime(2027, 10, 31, 9, 0),  # the day summer time ends, after the change
    dt.datetime(2028, 7, 4, 10, 0),  # a later summer: a transition of another year
]


def _feed(cast: Cast) -> tuple[bytes, list[dt.datetime]]:
    pair = make_pair(cast.org_a)
    expected = []
    for local in LOCAL_STARTS:
        start = local.replace(tzinfo=PARIS)
        make_session(pair, starts_at=start, ends_at=start + dt.timedelta(hours=1))
        expected.append(start.astimezone(dt.UTC))
    sessions = list(pair.pairing.sessions.order_by("starts_at"))
    for session in sessions:
        session.timezone = "Europe/Paris"
    return feed_ics(sessions, name="Flipside"), expected


def test_feed_ttl_is_a_duration_and_transitions_are_one_per_line(cast: Cast) -> None:
    content, _expected = _feed(cast)
    lines = content.decode().splitlines()
    assert "X-PUBLISHED-TTL:PT1H" in lines
    assert not any(line.startswith("RDATE") for line in lines)
    text = content.decode()
    spring = "BEGIN:DAYLIGHT\r\nDTSTART:20270328T020000\r\n"
    autumn = "BEGIN:STANDARD\r\nDTSTART:20271031T030000\r\n"
    assert spring in text and autumn in text


def test_vobject_reads_every_start_at_its_utc_instant(cast: Cast) -> None:
    content, expected = _feed(cast)
    calendar = vobject.readOne(content.decode())
    starts = sorted(event.dtstart.value.astimezone(dt.UTC) for event in calendar.vevent_list)
    assert starts == expected


def test_ics_py_reads_every_start_at_its_utc_instant(cast: Cast) -> None:
    content, expected = _feed(cast)
    calendar = ics_py.Calendar(content.decode())
    starts = sorted(event.begin.datetime.astimezone(dt.UTC) for event in calendar.events)
    assert starts == expected


@pytest.fixture(scope="session")
def ical_js(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """ical.js installed from npm into a temporary folder (skipped when npm cannot reach it)."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("Node.js and npm are not installed: ical.js cannot be run")
    folder = tmp_path_factory.mktemp("icaljs")
    result = subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(folder), ICAL_JS],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    if result.returncode != 0:
        pytest.skip(f"npm could not install {ICAL_JS} (registry unreachable?): {result.stderr}")
    return folder


ICAL_SCRIPT = """
import ICAL from "ical.js";
import { readFileSync } from "node:fs";
const root = new ICAL.Component(ICAL.parse(readFileSync(process.argv[2], "utf8")));
for (const zone of root.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(zone);
}
const ttl = root.getFirstPropertyValue("x-published-ttl");
const starts = root.getAllSubcomponents("vevent").map(
  (vevent) => new ICAL.Event(vevent).startDate.toJSDate().toISOString()
);
console.log(JSON.stringify({ starts, ttl: ttl ? ttl.toString() : null }));
"""


def test_ical_js_reads_every_start_at_its_utc_instant(
    cast: Cast, ical_js: Path, tmp_path: Path
) -> None:
    content, expected = _feed(cast)
    feed = tmp_path / "feed.ics"
    feed.write_bytes(content)
    script = ical_js / "read.mjs"
    script.write_text(ICAL_SCRIPT)
    result = subprocess.run(
        ["node", str(script), str(feed)], capture_output=True, text=True, timeout=60, check=True
    )
    parsed = json.loads(result.stdout)
    starts = sorted(dt.datetime.fromisoformat(s.replace("Z", "+00:00")) for s in parsed["starts"])
    assert starts == expected
    assert parsed["ttl"] == "PT1H"
