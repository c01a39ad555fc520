"""Anonymous ratings of held sessions, by construction (see docs/feedback.md).

`RatingEligibility` (personal: who may rate which session, and whether they did) and
`PendingRating`/`Rating` (the ratings) share no key, no timestamp and no sequence:
- a rating has a random UUID key (uuid4), a coarse period (month), no user, no session and
  no creation time; what could single out its author (rater key, department, topic) is sealed;
- a submission flips `is_used` with one conditional UPDATE and inserts a pending row in the
  same transaction; the release job moves pending rows into `Rating` in shuffled batches,
  under new UUIDs and a re-keyed receipt hash, so neither row order nor ids tie them together.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organisations.models import TenantModel

SCORE_FIELDS = ("clarity", "usefulness", "pace", "confidence")


class RatingEligibility(TenantModel):
    """A mentee may rate one held, confirmed session once. Personal data: names the person."""

    member = models.ForeignKey(
        "organisations.Member", on_delete=models.CASCADE, related_name="rating_eligibilities"
    )
    session = models.ForeignKey(
        "mentoring_sessions.MentoringSession", on_delete=models.CASCADE, related_name="+"
    )
    # Deliberately no `used_at`: when someone rated is a timing side channel.
    is_used = models.BooleanField(default=False)
    # When the sweep found the session rateable (about when it was confirmed), not a rating time.
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "session"], name="rating_eligibility_once_per_session"
            )
        ]
        indexes = [models.Index(fields=["member", "is_used"])]

    def __str__(self) -> str:
        return f"eligibility {self.pk}"


class PendingRating(TenantModel):
    """A submitted rating waiting for its batch. No user, no session, no time; content sealed.

    Plain columns are only what the session already tells (programme, mentor, period) plus
    the month after which it is released whatever its group's size.
    """

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+"
    )
    mentor = models.ForeignKey("organisations.Member", on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=7)  # "2026-11": the session's month
    release_after = models.DateField()  # first day of the month after the submission
    # Sealed JSON: rater key, department, topic, scores, recommend, comment (fixed length).
    sealed = models.TextField()
    receipt_hash = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return f"pending rating {self.pk}"


class Rating(TenantModel):
    """A released rating, sealed whole: nothing in clear but its organisation.

    No auto-increment id, no created/updated time, no user or session key, and no programme,
    mentor, period, score or comment in clear either: `sealed` (AES-GCM under
    FEEDBACK_SECRET, fixed length) holds them with the rater key, department and topic. A
    database reader sees rows of equal length that name no group, so two ratings of one 1:1
    pair cannot be told apart from any two others; the only clear figures are the published
    aggregates (`PublishedView.cells`), each resting on at least k raters.
    """

    sealed = models.TextField()
    receipt_hash = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return f"rating {self.pk}"


class PublishedView(TenantModel):
    """The last release of one view (a programme, or a mentor across programmes).

    Pages render `cells` (only figures that passed every disclosure rule); the release job
    alone computes a new one, from the ratings and the previous `state` (sealed: it holds
    per-rater hashes that must not leave the server).
    """

    class Kind(models.TextChoices):
        PROGRAMME = "programme", _("Programme")
        MENTOR = "mentor", _("Mentor")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    mentor = models.ForeignKey(
        "organisations.Member", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    seq = models.PositiveIntegerField(default=0)
    state_sealed = models.TextField(blank=True)
    cells = models.JSONField(default=list, blank=True)
    k_scores = models.PositiveSmallIntegerField(default=5)
    k_comments = models.PositiveSmallIntegerField(default=10)
    # Digest of the inputs of the last computation: unchanged inputs are not recomputed.
    fingerprint = models.CharField(max_length=64, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme"],
                condition=Q(kind="programme"),
                name="published_view_one_per_programme",
            ),
            models.UniqueConstraint(
                fields=["mentor"],
                condition=Q(kind="mentor"),
                name="published_view_one_per_mentor",
            ),
            models.CheckConstraint(
                condition=(Q(kind="programme", programme__isnull=False, mentor__isnull=True))
                | Q(kind="mentor", mentor__isnull=False, programme__isnull=True),
                name="published_view_names_its_view",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} release {self.seq}"


class ThankYouNote(TenantModel):
    """A named note from a mentee to their mentor: explicitly not anonymous."""

    author = models.ForeignKey(
        "organisations.Member", on_delete=models.CASCADE, related_name="thank_you_notes_sent"
    )
    mentor = models.ForeignKey(
        "organisations.Member", on_delete=models.CASCADE, related_name="thank_you_notes"
    )
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+"
    )
    message = models.TextField(_("message"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["mentor", "created_at"])]

    def __str__(self) -> str:
        return f"thank-you note {self.pk}"
