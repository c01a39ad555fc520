"""Pairings of a mentor and a mentee (match runs and proposals: see the matching issue)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organisations.models import TenantModel


class Pairing(TenantModel):
    """A mentor and a mentee of one programme: proposed → accepted → active → ended.

    `proposed`: published by HR, each side asked to accept. `accepted`: both accepted; the
    pair can schedule sessions. `active`: at least one session held. `declined`: one side
    declined (with a reason) and the pair dissolved. `ended`: the programme closed or HR ended it.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        ACTIVE = "active", _("Active")
        DECLINED = "declined", _("Declined")
        ENDED = "ended", _("Ended")

    LIVE_STATUSES = (Status.PROPOSED, Status.ACCEPTED, Status.ACTIVE)
    SCHEDULABLE_STATUSES = (Status.ACCEPTED, Status.ACTIVE)

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="pairings"
    )
    mentor = models.ForeignKey(
        "programmes.Participant", on_delete=models.CASCADE, related_name="pairings_as_mentor"
    )
    mentee = models.ForeignKey(
        "programmes.Participant", on_delete=models.CASCADE, related_name="pairings_as_mentee"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    mentor_accepted_at = models.DateTimeField(null=True, blank=True)
    mentee_accepted_at = models.DateTimeField(null=True, blank=True)
    declined_by = models.CharField(
        max_length=6, choices=[("mentor", _("Mentor")), ("mentee", _("Mentee"))], blank=True
    )
    decline_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            # A mentee has at most one live pairing per programme.
            models.UniqueConstraint(
                fields=["programme", "mentee"],
                condition=Q(status__in=["proposed", "accepted", "active"]),
                name="pairing_one_live_per_mentee",
            ),
        ]
        indexes = [models.Index(fields=["programme", "status"])]

    def __str__(self) -> str:
        return f"{self.mentor} ⇄ {self.mentee}"
