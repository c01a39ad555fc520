"""Private calendar subscription URLs: a secret token per member, stored hashed."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone

from organisations.models import Member, Organisation
from sessions.models import CalendarFeed
from sessions.selectors import token_hash


@transaction.atomic
def calendar_feed_regenerate(*, organisation: Organisation, member: Member) -> str:
    """Create the member's feed or replace its token (the old URL stops working); return it."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        organisation=organisation,
        member=member,
        defaults={"token_hash": token_hash(token), "last_used_at": None},
    )
    return token


def calendar_feed_used(*, feed: CalendarFeed) -> None:
    """Note that a calendar app fetched the feed (at most one write an hour)."""
    now = timezone.now()
    if feed.last_used_at is None or now - feed.last_used_at > dt.timedelta(hours=1):
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)


def calendar_feed_revoke(*, organisation: Organisation, member: Member) -> bool:
    """Delete the member's feed: its URL answers 404 from now on; return whether one existed."""
    deleted, _ = CalendarFeed.objects.filter(organisation=organisation, member=member).delete()
    return bool(deleted)
