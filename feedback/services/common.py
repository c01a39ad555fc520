"""Shared helpers of the feedback services: periods, limits, queueing the job."""

from __future__ import annotations

import datetime as dt
import unicodedata
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from organisations.models import Organisation

COMMENT_MAX_LENGTH = 2000
NOTE_MAX_LENGTH = 2000
# Invitations go out for sessions of the last weeks only: a first sweep over years of history
# must not email everyone; older held sessions can still be rated from the Feedback page.
INVITE_WINDOW = dt.timedelta(days=30)
SWEEP_CHUNK = 500
K_MAX = 100


def organisation_zone(organisation: Organisation) -> ZoneInfo:
    """The organisation's timezone (UTC when unset or unknown)."""
    try:
        return ZoneInfo(organisation.timezone or "UTC")
    except (ValueError, KeyError):
        return ZoneInfo("UTC")


def period_of(moment: dt.datetime, organisation: Organisation) -> str:
    """The coarse period of a moment: its month ("2026-11") in the organisation's timezone."""
    return timezone.localtime(moment, organisation_zone(organisation)).strftime("%Y-%m")


def next_month_start(day: dt.date) -> dt.date:
    """The first day of the month after `day`."""
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def local_today(organisation: Organisation, now: dt.datetime) -> dt.date:
    """The date of `now` in the organisation's timezone."""
    return timezone.localtime(now, organisation_zone(organisation)).date()


def absolute_url(path: str) -> str:
    """An absolute link for emails."""
    return settings.SITE_URL + path


def clean_text(text: str) -> str:
    """Strip control characters (kept: line breaks) so the sealed size stays bounded."""
    kept = "".join(
        ch for ch in text if ch in "\n\t" or not unicodedata.category(ch).startswith("C")
    )
    return kept.strip()


def queue_processing(organisation: Organisation) -> None:
    """Run the organisation's feedback job after the current transaction commits."""
    from feedback.tasks import process_feedback

    process_feedback.delay_on_commit(str(organisation.pk))
