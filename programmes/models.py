"""Programmes and the three golden rules: mentor selection, pedagogical support, training."""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organisations.models import TenantModel


class Level(models.IntegerChoices):
    """The seed's three orientations, ordered: a mentor teaching `exploit` covers `deepen`."""

    DISCOVER = 1, _("discover")
    DEEPEN = 2, _("deepen")
    EXPLOIT = 3, _("exploit")


class Topic(TenantModel):
    """A digital tool in the organisation's catalogue, described per level."""

    name = models.CharField(_("name"), max_length=100)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    discover_description = models.TextField(_("discover: what a first contact covers"), blank=True)
    deepen_description = models.TextField(_("deepen: what experimenting covers"), blank=True)
    exploit_description = models.TextField(_("exploit: what full use covers"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="topic_unique_name_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def description_for(self, level: int) -> str:
        return {
            Level.DISCOVER: self.discover_description,
            Level.DEEPEN: self.deepen_description,
            Level.EXPLOIT: self.exploit_description,
        }.get(Level(level), "")


class Programme(TenantModel):
    """One reverse-mentoring programme and its rules."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ENROLMENT = "enrolment", _("Enrolment open")
        MATCHING = "matching", _("Matching")
        RUNNING = "running", _("Running")
        CLOSED = "closed", _("Closed")

    class CadenceUnit(models.TextChoices):
        WEEK = "week", _("week(s)")
        MONTH = "month", _("month(s)")

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    goals = models.TextField(_("goals"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    session_minutes = models.PositiveSmallIntegerField(
        _("session length (minutes)"),
        default=60,
        validators=[MinValueValidator(15), MaxValueValidator(240)],
    )
    cadence_every = models.PositiveSmallIntegerField(
        _("one session every"), default=2, validators=[MinValueValidator(1)]
    )
    cadence_unit = models.CharField(
        _("cadence unit"), max_length=5, choices=CadenceUnit.choices, default=CadenceUnit.WEEK
    )
    target_sessions = models.PositiveSmallIntegerField(
        _("target number of sessions"), default=6, validators=[MinValueValidator(1)]
    )
    mentor_capacity_max = models.PositiveSmallIntegerField(
        _("mentees per mentor (maximum)"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
    )
    topics: models.ManyToManyField[Topic, ProgrammeTopic] = models.ManyToManyField(
        Topic, through="ProgrammeTopic", related_name="programmes"
    )
    k_scores = models.PositiveSmallIntegerField(
        _("minimum raters for scores"), default=5, validators=[MinValueValidator(3)]
    )
    k_comments = models.PositiveSmallIntegerField(
        _("minimum raters for comments"), default=10, validators=[MinValueValidator(3)]
    )
    requires_training = models.BooleanField(
        _("mentors must complete the training before matching"), default=True
    )
    exclude_same_team = models.BooleanField(_("never pair people from the same team"), default=True)
    max_timezone_difference_hours = models.PositiveSmallIntegerField(
        _("largest timezone difference in a pair (hours)"),
        default=4,
        validators=[MaxValueValidator(24)],
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="programme_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(mentor_capacity_max__gte=1, mentor_capacity_max__lte=3),
                name="programme_capacity_1_to_3",
            ),
            models.CheckConstraint(
                condition=Q(k_scores__gte=3, k_comments__gte=3), name="programme_k_floor"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProgrammeTopic(TenantModel):
    """A topic offered by a programme."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "topic"], name="programme_topic_unique")
        ]


class Participant(TenantModel):
    """A member taking part in a programme as mentor or mentee, with their enrolment."""

    class Role(models.TextChoices):
        MENTOR = "mentor", _("Mentor")
        MENTEE = "mentee", _("Mentee")

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        APPLIED = "applied", _("Applied, awaiting review")
        ENROLLED = "enrolled", _("Enrolled")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="participants")
    member = models.ForeignKey(
        "organisations.Member", on_delete=models.CASCADE, related_name="participations"
    )
    role = models.CharField(max_length=6, choices=Role.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INVITED)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    # Weekly availability as hour-of-week slots in the member's own timezone:
    # 0 = Monday 00:00–01:00 … 167 = Sunday 23:00–24:00.
    availability = models.JSONField(_("weekly availability"), default=list, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("mentees I can take"), default=1, validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    pitch = models.TextField(_("short pitch"), blank=True)
    goals = models.TextField(_("what I want to achieve"), blank=True)
    # Members (ids) a mentee asked not to be paired with; checked by matching as a hard rule.
    avoid_member_ids = models.JSONField(default=list, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        "organisations.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_note = models.TextField(blank=True)
    # Set when the last training step is completed; matching reads it as a hard rule.
    training_completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "member", "role"], name="participant_unique_role"
            )
        ]
        indexes = [models.Index(fields=["programme", "role", "status"])]

    def __str__(self) -> str:
        return f"{self.member} ({self.get_role_display()})"


class ParticipantTopic(TenantModel):
    """For a mentor, the highest level they can teach a topic; for a mentee, the level wanted."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="topics")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(choices=Level.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "topic"], name="participant_topic_unique"
            )
        ]


class Invitation(TenantModel):
    """An emailed link to enrol in a programme; works once and expires."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey(
        "organisations.Member", on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(max_length=6, choices=Participant.Role.choices)
    # Only a hash is stored: a database reader cannot use someone's invitation.
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        "organisations.Member", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Re-sending replaces the token (the old link stops working) and bumps the count, which
    # keys the outbox email so each sending is one distinct event.
    send_count = models.PositiveSmallIntegerField(default=1)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["programme", "member"])]


def resource_upload_to(instance: Any, filename: str) -> str:
    """Store uploads under a random name: the original name is kept in `file_name` only."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"resources/{instance.organisation_id}/{uuid.uuid4().hex}{suffix}"


class Resource(TenantModel):
    """Pedagogical support for a topic at a level: a link, a short text or a file."""

    class Kind(models.TextChoices):
        LINK = "link", _("Link")
        TEXT = "text", _("Short text")
        FILE = "file", _("File")

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="resources")
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    kind = models.CharField(max_length=4, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), blank=True)
    body = models.TextField(_("text"), blank=True)
    # Never served from a public media URL: `resource-file` checks membership first.
    file = models.FileField(_("file"), upload_to=resource_upload_to, blank=True, max_length=200)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    file_size = models.PositiveIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["topic__name", "level", "title"]

    def __str__(self) -> str:
        return self.title


class TrainingStep(TenantModel):
    """One step of a programme's mentor training (golden rule 3)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="training_steps"
    )
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("content"))

    class Meta:
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title


class TrainingCompletion(TenantModel):
    """A mentor marked a training step as done."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="training_completions"
    )
    step = models.ForeignKey(TrainingStep, on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "step"], name="training_completion_unique"
            )
        ]
