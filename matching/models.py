"""Matching runs, their proposals, and the pairings of a mentor and a mentee."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organisations.models import TenantModel
from ui.badges import Badge


class MatchRun(TenantModel):
    """One optimisation of a programme's enrolled people, with its weights and its outcome.

    A run is immutable once done: adjusting it (pin, forbid, swap, new weights) creates a new
    run whose `parent` is this one, with the pins and forbids carried over.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="match_runs"
    )
    number = models.PositiveIntegerField()
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children"
    )
    # What made this run differ from its parent, in the admin's words ("Pinned A with B").
    note = models.CharField(max_length=300, blank=True)
    # Criterion code -> importance 0..10 (only the ratios matter to the engine).
    weights = models.JSONField(default=dict)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    progress_label = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    # Summary figures written by the task: counts, share matched, mean score, histogram,
    # per-department balance, kept pairings, solver method and optimality.
    stats = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        "organisations.Member", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Publishing goes through a task (a large run means thousands of emails): requested,
    # then published, or refused with the reason (people paired meanwhile).
    publish_requested_at = models.DateTimeField(null=True, blank=True)
    publish_error = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        "organisations.Member", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="match_run_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.programme} — run {self.number}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def error_message(self) -> str:
        """The failure told in plain words (details are in the server log, never here)."""
        if not self.error:
            return ""
        return str(
            _(
                "The matching could not be computed. The details were logged for the team "
                "running Flipside; run it again, and tell them if it keeps failing."
            )
        )

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_publishing(self) -> bool:
        return self.publish_requested_at is not None and self.published_at is None

    @property
    def is_adjustable(self) -> bool:
        """Done and not published: it can be adjusted (into a new run) or published."""
        return (
            self.status == self.Status.DONE
            and self.published_at is None
            and self.publish_requested_at is None
        )

    @property
    def status_badge(self) -> Badge:
        """What the run's state looks like on a page (drawn by `{% badge %}`)."""
        if self.published_at:
            return Badge(_("Published"), "ok")
        if self.is_publishing:
            return Badge(_("Publishing…"), "warn")
        if self.status == self.Status.DONE:
            return Badge(_("Proposal ready"))
        if self.status == self.Status.FAILED:
            return Badge(_("Failed"), "danger")
        return Badge(f"{self.get_status_display()} · {self.progress}%", "warn")

    @property
    def is_settled(self) -> bool:
        """Nothing is running for it any more (the page stops polling)."""
        return self.is_finished and not self.is_publishing


class MatchConstraint(TenantModel):
    """An admin's pin (this pair must be made) or forbid (never this pair), input of a run."""

    class Kind(models.TextChoices):
        PIN = "pin", _("Pinned")
        FORBID = "forbid", _("Forbidden")

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="constraints")
    kind = models.CharField(max_length=6, choices=Kind.choices)
    mentor = models.ForeignKey("programmes.Participant", on_delete=models.CASCADE, related_name="+")
    mentee = models.ForeignKey("programmes.Participant", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "kind", "mentor", "mentee"], name="match_constraint_unique"
            )
        ]


class MatchProposal(TenantModel):
    """A pair proposed by a run, with its score, per-criterion breakdown and reasons."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="proposals")
    mentor = models.ForeignKey("programmes.Participant", on_delete=models.CASCADE, related_name="+")
    mentee = models.ForeignKey("programmes.Participant", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    # Criterion code -> weighted contribution (they sum to the score) and raw value in 0..1.
    breakdown = models.JSONField(default=dict)
    raw = models.JSONField(default=dict)
    # The engine's explanation as data: [{"code": ..., "params": {...}}], rendered per language.
    reasons = models.JSONField(default=list)
    is_pinned = models.BooleanField(default=False)

    class Meta:
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(fields=["run", "mentee"], name="match_proposal_one_per_mentee")
        ]
        indexes = [models.Index(fields=["run", "score"])]


class UnmatchedParticipant(TenantModel):
    """A mentor or mentee a run left without a partner, and why."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="unmatched")
    participant = models.ForeignKey(
        "programmes.Participant", on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(max_length=6)
    reason = models.JSONField(default=dict)  # {"code": ..., "params": {...}}

    class Meta:
        ordering = ["role"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "participant"], name="unmatched_participant_once_per_run"
            )
        ]


class MentorWish(TenantModel):
    """A mentee would like this mentor (the engine's "mentee's preferences" criterion).

    Private to the mentee: the mentor never sees it; HR sees it only through the score.
    """

    mentee = models.ForeignKey(
        "programmes.Participant", on_delete=models.CASCADE, related_name="mentor_wishes"
    )
    mentor = models.ForeignKey("programmes.Participant", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["mentee", "mentor"], name="mentor_wish_unique")
        ]


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
    # The run whose proposal created this pairing (empty for pairings made another way).
    match_run = models.ForeignKey(
        MatchRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="pairings"
    )
    score = models.FloatField(null=True, blank=True)
    # Why they were matched, as the engine's reasons (only what both people may see).
    reasons = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
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

    @property
    def status_badge(self) -> Badge:
        """What the pairing's status looks like on a page (drawn by `{% badge %}`)."""
        return Badge(self.get_status_display(), modifier=f"pairing-status--{self.status}")

    def __str__(self) -> str:
        return f"{self.mentor} ⇄ {self.mentee}"
