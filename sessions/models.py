"""Mentoring sessions of a pairing: scheduling, logs, calendar feeds and reminder state."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from organisations.models import TenantModel
from programmes.models import Level
from ui.badges import Badge

ROLE_CHOICES = [("mentor", _("Mentor")), ("mentee", _("Mentee"))]


class MentoringSession(TenantModel):
    """One meeting of a mentor and a mentee.

    proposed → scheduled (the other side accepts) → held / no-show (the mentor's log), or
    proposed → declined, proposed/scheduled → cancelled. A new time proposed by either side
    puts the session back to `proposed` until the other side accepts it.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        NO_SHOW = "no_show", _("No-show")
        CANCELLED = "cancelled", _("Cancelled")
        DECLINED = "declined", _("Declined")

    OPEN_STATUSES = (Status.PROPOSED, Status.SCHEDULED)
    LOGGED_STATUSES = (Status.HELD, Status.NO_SHOW)

    pairing = models.ForeignKey(
        "matching.Pairing", on_delete=models.CASCADE, related_name="sessions"
    )
    # Denormalised from the pairing so programme-wide figures need no join.
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="sessions"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    timezone = models.CharField(_("timezone"), max_length=64)
    location = models.CharField(_("place or video link"), max_length=500, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    # Who made the current proposal: the other side is the one asked to accept it.
    proposed_by = models.CharField(max_length=6, choices=ROLE_CHOICES, default="mentor")
    # Sessions proposed together as a series share an id; position is 1-based.
    series_id = models.UUIDField(null=True, blank=True)
    series_position = models.PositiveSmallIntegerField(null=True, blank=True)
    cancelled_by = models.CharField(max_length=6, choices=ROLE_CHOICES, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # The reason given when the session was cancelled or declined.
    cancel_reason = models.TextField(blank=True)
    # ICS: the UID is derived from the id; SEQUENCE grows with every change sent to attendees.
    sequence = models.PositiveIntegerField(default=0)
    # First log (the correction window counts from it); log_version grows with corrections.
    logged_at = models.DateTimeField(null=True, blank=True)
    log_updated_at = models.DateTimeField(null=True, blank=True)
    log_version = models.PositiveIntegerField(default=0)
    actual_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    practised = models.TextField(_("what the mentee practised"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    private_notes = models.TextField(_("private notes for the pair"), blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_automatically = models.BooleanField(default=False)
    disputed_at = models.DateTimeField(null=True, blank=True)
    dispute_note = models.TextField(blank=True)
    # Reminder sweep markers: the sequence (or log version) a reminder was queued for. They
    # only spare the sweep from re-rendering; the outbox dedup keys are what forbid duplicates.
    reminded_24h_sequence = models.PositiveIntegerField(null=True, blank=True)
    reminded_1h_sequence = models.PositiveIntegerField(null=True, blank=True)
    reminded_log_sequence = models.PositiveIntegerField(null=True, blank=True)
    reminded_confirm_version = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"
            )
        ]
        indexes = [
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["programme", "status"]),
            models.Index(fields=["status", "logged_at"]),
            # The sweep's "please confirm" and auto-confirm passes read only unanswered logs.
            models.Index(
                fields=["logged_at"],
                condition=Q(logged_at__isnull=False, confirmed_at__isnull=True),
                name="session_unconfirmed_log",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pairing} @ {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ics_uid(self) -> str:
        """The iCalendar UID: stable for the life of the session, across every update."""
        return f"{self.pk}@flipside.sessions"

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def status_badge(self) -> Badge:
        """What the status looks like on a page (drawn by `{% badge %}`)."""
        Status = self.Status
        if self.status == Status.HELD and self.confirmed_at:
            return Badge(_("Held, confirmed"), "ok")
        if self.status == Status.HELD and self.disputed_at:
            return Badge(_("Held, disputed"), "warn")
        if self.status == Status.HELD:
            return Badge(_("Held, awaiting confirmation"), "warn")
        if self.status == Status.NO_SHOW:
            return Badge(_("No-show"), "danger")
        if self.status == Status.CANCELLED:
            if self.cancelled_by:
                by = str(self.get_cancelled_by_display()).lower()
                return Badge(f"{_('Cancelled')} · {by}", "muted")
            return Badge(_("Cancelled"), "muted")
        if self.status == Status.DECLINED:
            return Badge(_("Declined"), "muted")
        if self.status == Status.PROPOSED:
            if self.proposed_by == "mentor":
                return Badge(_("Proposed by the mentor"), "warn")
            return Badge(_("Proposed by the mentee"), "warn")
        return Badge(self.get_status_display())

    @property
    def is_counted_as_held(self) -> bool:
        """Held sessions count once the mentee confirmed them (or the grace period passed)."""
        return self.status == self.Status.HELD and self.confirmed_at is not None


class SessionTopic(TenantModel):
    """A topic on a session's agenda, and the level the mentee reached (from the log)."""

    session = models.ForeignKey(MentoringSession, on_delete=models.CASCADE, related_name="topics")
    topic = models.ForeignKey("programmes.Topic", on_delete=models.PROTECT, related_name="+")
    planned_level = models.PositiveSmallIntegerField(null=True, blank=True)
    reached_level = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "topic"], name="session_topic_unique")
        ]

    def __str__(self) -> str:
        return f"{self.topic_id} @ {self.session_id}"

    @property
    def planned_level_label(self) -> str:
        return str(Level(self.planned_level).label) if self.planned_level else ""

    @property
    def reached_level_label(self) -> str:
        return str(Level(self.reached_level).label) if self.reached_level else ""


class SessionResource(TenantModel):
    """A library resource the mentee should look at before the session."""

    session = models.ForeignKey(
        MentoringSession, on_delete=models.CASCADE, related_name="resource_links"
    )
    resource = models.ForeignKey("programmes.Resource", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "resource"], name="session_resource_unique")
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} @ {self.session_id}"


class SessionEvent(TenantModel):
    """One step in a session's history (who did what, with the reason they gave)."""

    class Kind(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        RESCHEDULED = "rescheduled", _("New time proposed")
        CANCELLED = "cancelled", _("Cancelled")
        LOGGED = "logged", _("Logged")
        LOG_CORRECTED = "log_corrected", _("Log corrected")
        CONFIRMED = "confirmed", _("Confirmed")
        AUTO_CONFIRMED = "auto_confirmed", _("Confirmed automatically")
        DISPUTED = "disputed", _("Disputed")

    session = models.ForeignKey(MentoringSession, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    actor_role = models.CharField(max_length=6, choices=ROLE_CHOICES, blank=True)
    note = models.TextField(blank=True)
    starts_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["session", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} @ {self.session_id}"


class CalendarFeed(TenantModel):
    """A member's private calendar subscription; only a hash of the secret token is stored."""

    member = models.OneToOneField(
        "organisations.Member", on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"calendar feed of {self.member_id}"


class ReminderSweep(models.Model):
    """State of the periodic reminder sweep (a system row, across tenants, like the outbox)."""

    name = models.CharField(max_length=50, unique=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_counts = models.JSONField(default=dict, blank=True)
    # ISO week ("2026-W48") of the last HR digest, and when stalled pairs were last nudged.
    digest_week = models.CharField(max_length=10, blank=True)
    stalled_checked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
