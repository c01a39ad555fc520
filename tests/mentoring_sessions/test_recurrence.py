"""Series dates follow the cadence, keep the wall-clock time and skip dates off the programme."""

from __future__ import annotations

import datetime as dt

from sessions.recurrence import (
    Segment,
    add_months,
    local_datetime,
    series_dates,
    series_occurrences,
)


def test_series_every_two_weeks_gives_count_dates() -> None:
    dates = series_dates(dt.date(2026, 3, 3), [Segment(2, "week", 6)])
    assert dates == [dt.date(2026, 3, 3) + dt.timedelta(weeks=2 * k) for k in range(6)]


def test_series_monthly_then_quarterly_continues_after_the_last_monthly() -> None:
    dates = series_dates(dt.date(2026, 1, 15), [Segment(1, "month", 6), Segment(3, "month", 2)])
    assert dates == [
        dt.date(2026, 1, 15),
        dt.date(2026, 2, 15),
        dt.date(2026, 3, 15),
        dt.date(2026, 4, 15),
        dt.date(2026, 5, 15),
        dt.date(2026, 6, 15),
        dt.date(2026, 9, 15),
        dt.date(2026, 12, 15),
    ]


def test_monthly_series_from_31st_clamps_without_drifting() -> None:
    dates = series_dates(dt.date(2026, 1, 31), [Segment(1, "month", 4)])
    assert dates == [
        dt.date(2026, 1, 31),
        dt.date(2026, 2, 28),
        dt.date(2026, 3, 31),
        dt.date(2026, 4, 30),
    ]


def test_add_months_crosses_the_year() -> None:
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)


def test_occurrences_keep_wall_clock_time_across_daylight_saving() -> None:
    kept, skipped = series_occurrences(
        first=dt.date(2026, 3, 17),
        time=dt.time(10, 0),
        minutes=60,
        timezone="Europe/Paris",
        segments=[Segment(2, "week", 2)],
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
    )
    assert skipped == []
    assert [o.starts_at.hour for o in kept] == [10, 10]
    # 17 March is UTC+1, 31 March is UTC+2 (summer time began on 29 March).
    assert [o.starts_at.astimezone(dt.UTC).hour for o in kept] == [9, 8]


def test_occurrences_outside_the_programme_are_skipped() -> None:
    kept, skipped = series_occurrences(
        first=dt.date(2026, 5, 1),
        time=dt.time(9, 0),
        minutes=60,
        timezone="UTC",
        segments=[Segment(1, "month", 4)],
        starts_on=dt.date(2026, 4, 1),
        ends_on=dt.date(2026, 6, 30),
    )
    assert [o.starts_at.date() for o in kept] == [dt.date(2026, 5, 1), dt.date(2026, 6, 1)]
    assert skipped == [dt.date(2026, 7, 1), dt.date(2026, 8, 1)]
    assert [o.position for o in kept] == [1, 2]


def test_local_datetime_refuses_a_time_skipped_by_the_clock_change() -> None:
    assert local_datetime(dt.date(2026, 3, 29), dt.time(2, 30), "Europe/Paris") is None
    assert local_datetime(dt.date(2026, 3, 29), dt.time(3, 30), "Europe/Paris") is not None
