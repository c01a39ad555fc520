"""Dates of a series of sessions following a cadence (pure: no Django, no database)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Segment:
    """`count` sessions, one every `every` weeks or months."""

    every: int
    unit: str  # "week" or "month"
    count: int


@dataclass(frozen=True)
class Occurrence:
    position: int  # 1-based position in the series as planned, skipped dates included
    starts_at: dt.datetime  # aware, in the series' timezone
    ends_at: dt.datetime


def add_months(day: dt.date, months: int) -> dt.date:
    """Return `day` moved by `months`, clamped to the end of shorter months (31 Jan → 28 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def series_dates(first: dt.date, segments: Sequence[Segment]) -> list[dt.date]:
    """Return the planned dates: each segment continues one of its own steps after the last.

    Months are counted from the segment's first date, not from the previous occurrence, so a
    series starting on the 31st stays on month ends instead of drifting to the 28th.
    """
    dates: list[dt.date] = []
    anchor = first
    for segment_index, segment in enumerate(segments):
        if segment_index > 0:
            anchor = _step(dates[-1], segment, 1)
        dates.extend(_step(anchor, segment, k) for k in range(segment.count))
    return dates


def _step(anchor: dt.date, segment: Segment, k: int) -> dt.date:
    if segment.unit == "week":
        return anchor + dt.timedelta(weeks=segment.every * k)
    return add_months(anchor, segment.every * k)


def local_datetime(day: dt.date, time: dt.time, timezone: str) -> dt.datetime | None:
    """Return the aware wall-clock time, or None when it does not exist (a clock change gap)."""
    zone = ZoneInfo(timezone)
    candidate = dt.datetime.combine(day, time, tzinfo=zone)
    # A time skipped by a DST jump does not survive a round trip through UTC.
    if candidate.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != candidate.replace(
        tzinfo=None
    ):
        return None
    return candidate


def series_occurrences(
    *,
    first: dt.date,
    time: dt.time,
    minutes: int,
    timezone: str,
    segments: Sequence[Segment],
    starts_on: dt.date,
    ends_on: dt.date,
) -> tuple[list[Occurrence], list[dt.date]]:
    """Return the occurrences inside starts_on..ends_on and the planned dates skipped.

    The wall-clock time is kept across daylight-saving changes (10:00 stays 10:00); a date
    whose time does not exist that day is skipped too.
    """
    kept: list[Occurrence] = []
    skipped: list[dt.date] = []
    for position, day in enumerate(series_dates(first, segments), start=1):
        starts_at = local_datetime(day, time, timezone)
        if starts_at is None:
            skipped.append(day)
            continue
        ends_at = (starts_at.astimezone(dt.UTC) + dt.timedelta(minutes=minutes)).astimezone(
            starts_at.tzinfo
        )
        if day < starts_on or ends_at.date() > ends_on:
            skipped.append(day)
            continue
        kept.append(Occurrence(position, starts_at, ends_at))
    return kept, skipped
