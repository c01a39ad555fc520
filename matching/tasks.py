"""Celery tasks of matching: thin wrappers around services."""

from __future__ import annotations

from uuid import UUID

from celery import shared_task

from jobs.base import JobTask
from matching.services.pairings import match_run_publish
from matching.services.runs import match_run_execute
from organisations.models import Organisation


@shared_task(base=JobTask, name="matching.run_matching", acks_late=True)
def run_matching(organisation_id: str, run_id: str) -> str | None:
    """Optimise one matching run inside its organisation's scope (idempotent)."""
    organisation = Organisation.objects.get(pk=organisation_id)
    run = match_run_execute(organisation=organisation, run_id=UUID(run_id))
    return str(run.pk) if run else None


@shared_task(base=JobTask, name="matching.publish_matching_run", acks_late=True)
def publish_matching_run(organisation_id: str, run_id: str) -> int:
    """Publish a run: proposed pairings and their emails, in one transaction (idempotent)."""
    organisation = Organisation.objects.get(pk=organisation_id)
    pairings = match_run_publish(organisation=organisation, run_id=UUID(run_id))
    return len(pairings or [])
