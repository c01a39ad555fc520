"""Programme reports built by Celery workers, kept and downloadable by the organisation's admins."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organisations.models import TenantModel
from safetext.neutralise import file_name


def report_file_path(report: Report, filename: str) -> str:
    """Files live under a per-organisation, per-report folder; never served as public media."""
    return f"reports/{report.organisation_id}/{report.id}/{filename}"


class Report(TenantModel):
    """One programme report: what was asked, how far the build is, and the files it produced."""

    class Kind(models.TextChoices):
        PROGRAMME = "programme", _("Programme report")
        MONTHLY = "monthly", _("Monthly report")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Building")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="reports"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PROGRAMME)
    # Scope of the figures: an optional period (inclusive dates) and an optional department.
    period_start = models.DateField(_("from"), null=True, blank=True)
    period_end = models.DateField(_("to"), null=True, blank=True)
    department = models.CharField(_("department"), max_length=100, blank=True)
    # For monthly reports "YYYY-MM": with the unique constraint, beat firing twice builds once.
    period_key = models.CharField(max_length=7, blank=True)
    requested_by = models.ForeignKey(
        "organisations.Member", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    progress_label = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    pdf_file = models.FileField(upload_to=report_file_path, blank=True)
    csv_file = models.FileField(upload_to=report_file_path, blank=True)
    xlsx_file = models.FileField(upload_to=report_file_path, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "period_key"],
                condition=Q(kind="monthly"),
                name="report_one_monthly_per_programme_and_month",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.programme}"

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
                "The report could not be built. The details were logged for the team "
                "running Flipside; try ordering it again, and tell them if it keeps failing."
            )
        )

    def download_name(self, extension: str) -> str:
        """Return the readable name a download carries, e.g. "Pilot – report 2026-12.pdf"."""
        if self.period_key:
            period = self.period_key
        elif self.period_start and self.period_end:
            period = f"{self.period_start:%Y-%m-%d} to {self.period_end:%Y-%m-%d}"
        else:
            period = f"{self.created_at:%Y-%m-%d}"
        stem = _("%(programme)s – report %(period)s") % {
            "programme": file_name(self.programme.name, default="Programme", max_length=150),
            "period": period,
        }
        return f"{file_name(stem, default='report', max_length=200)}.{extension}"
