"""Celery tasks of the feedback app: the periodic sweep and per-organisation processing."""

from __future__ import annotations

from celery import shared_task

from feedback.services import feedback_process
from organisations.models import Organisation
from organisations.tenancy import TenantTask


@shared_task(name="feedback.sweep", acks_late=True)
def sweep_feedback() -> int:
    """Beat: queue the processing of every organisation; return how many were queued."""
    # Organisations are the tenants themselves (not scoped): listing them crosses no tenant data.
    organisation_ids = [str(pk) for pk in Organisation.objects.values_list("pk", flat=True)]
    for organisation_id in organisation_ids:
        process_feedback.delay(organisation_id)
    return len(organisation_ids)


@shared_task(base=TenantTask, name="feedback.process", acks_late=True)
def process_feedback(organisation_id: str) -> dict[str, int]:
    """Create eligibilities and invitations, release pending ratings, refresh the views.

    Idempotent: unique eligibilities and outbox dedup keys; pending rows are locked and moved
    once; a view whose inputs did not change is not recomputed.
    """
    organisation = Organisation.objects.get(pk=organisation_id)
    return feedback_process(organisation=organisation)
