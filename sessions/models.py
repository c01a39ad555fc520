"""Mentoring sessions of a pairing (scheduling, logs and reminders: see the sessions issue)."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from organisations.models import TenantModel


class MentoringSession(TenantModel):
    """One meeting of a mentor and a mentee."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        NO_SHOW = "no_show", _("No-show")
        CANCELLED = "cancelled", _("Cancelled")
        DECLINED = "declined", _("Declined")

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
    cancelled_by = models.CharField(
        max_length=6, choices=[("mentor", _("Mentor")), ("mentee", _("Mentee"))], blank=True
    )
    cancel_reason = models.TextField(blank=True)
    # ICS: the UID is derived from the id; SEQUENCE grows with every change sent to attendees.
    sequence = models.PositiveIntegerField(default=0)
    logged_at = models.DateTimeField(null=True, blank=True)
    actual_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    practised = models.TextField(_("what the mentee practised"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    private_notes = models.TextField(_("private notes for the pair"), blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    disputed_at = models.DateTimeField(null=True, blank=True)
    dispute_note = models.TextField(blank=True)
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
        ]

    def __str__(self) -> str:
        return f"{self.pairing} @ {self.starts_at:%Y-%m-%d %H:%M}"


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
