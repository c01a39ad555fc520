"""The demo's clock: each step of the story runs at the moment it would have happened.

The services read `django.utils.timezone.now()` (and the database's `auto_now` fields do too),
so travelling in time with time-machine dates every row, email and release as if the story had
been lived day by day. The clock only goes back: nothing is ever dated after the real now.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import time_machine


class DemoClock:
    """Moments counted in days from the day of seeding, in one organisation's timezone."""

    def __init__(self, *, zone: str, now: dt.datetime | None = None) -> None:
        self.zone = ZoneInfo(zone)
        self.real_now = now or dt.datetime.now(tz=dt.UTC)
        self.today = self.real_now.astimezone(self.zone).date()

    def at(self, days: int, hour: int = 9, minute: int = 0) -> dt.datetime:
        """The local `hour:minute` of the day `days` from today (negative: in the past)."""
        day = self.today + dt.timedelta(days=days)
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=self.zone)

    def day(self, days: int) -> dt.date:
        """The date `days` from today."""
        return self.today + dt.timedelta(days=days)

    @contextmanager
    def travel(self, days: int, hour: int = 9, minute: int = 0) -> Iterator[dt.datetime]:
        """Run the block at that moment (frozen); refuse a moment after the real now."""
        moment = self.at(days, hour, minute)
        if moment > self.real_now:
            # A step "in the future" would date rows after the moment people open the demo.
            moment = self.real_now - dt.timedelta(minutes=1)
        with time_machine.travel(moment, tick=False):
            yield moment
