"""A background job a user (or the schedule) started: what to run, its state and its deadline."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from organisations.models import TenantModel


class Job(TenantModel):
    """One Celery task run tracked in the database, so that a lost message is sent again.

    The broker is a cache of this table: a job is `queued` until a worker claims it, `running`
    while that worker's heartbeat is fresh, then `done` or `failed`. The sweep re-dispatches a
    queued job past its deadline and a running job whose heartbeat stopped (a killed worker).
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    task = models.CharField(max_length=100)
    args = models.JSONField(default=list)
    # What the job works on, for pages and operators, e.g. "report:<uuid>".
    target = models.CharField(max_length=100, db_index=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    dispatches = models.PositiveSmallIntegerField(default=0)
    # Queued: when the sweep sends it again. Running: refreshed by the worker's heartbeat.
    deadline_at = models.DateTimeField()
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "deadline_at"])]

    def __str__(self) -> str:
        return f"{self.task} {self.target} ({self.state})"


class ServiceHeartbeat(models.Model):
    """When a background component last showed it was alive (a system row, not tenant data).

    "worker": a Celery worker's heartbeat (throttled); "scheduler": the jobs sweep ran, which
    needs beat to send it and a worker to run it (or the in-process scheduler of bin/serve).
    """

    name = models.CharField(max_length=40, primary_key=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.seen_at:%Y-%m-%d %H:%M:%S}"
