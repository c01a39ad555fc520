"""`demo_seed()`: the demo organisations, seeded through the services; safe to run again."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.test.utils import override_settings

from demo.acme import acme_seed
from demo.clock import DemoClock
from demo.lumiere import lumiere_seed
from demo.people import DEMO_LOGINS, LUMIERE_LOGINS, DemoPerson
from notifications.models import OutboundEmail
from notifications.services import email_send_batch


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    slug: str
    logins: tuple[DemoPerson, ...]


PBKDF2 = "django.contrib.auth.hashers.PBKDF2PasswordHasher"
DISCARD = "django.core.mail.backends.dummy.EmailBackend"
DEMO_ORGANISATIONS = (
    DemoOrganisation("Acme", "acme", DEMO_LOGINS),
    DemoOrganisation("Lumière Assurances", "lumiere", LUMIERE_LOGINS),
)


@transaction.atomic
def demo_seed(*, send_emails: bool = False) -> tuple[DemoOrganisation, ...]:
    """Create whatever part of the demo organisations is missing; return them with their logins.

    Each organisation lives its story on its own clock (days before today, in its timezone);
    a chapter whose programme exists is skipped, so a second run changes nothing and a demo
    someone has clicked through stays as they left it.

    The story's emails (about 350 invitations, proposals and reminders of past months) are
    written to the outbox by the services like any other. The tasks the story queued for after
    the commit are dropped (the matching and publishing ran inline; one send task per email
    would cost a commit each, most of the seeding time): its emails are sent here in one batch
    inside the transaction, to a backend that discards them unless `send_emails`.
    """
    connection = transaction.get_connection()
    queued_before = len(connection.run_on_commit)
    pending_before = set(outbox_pending_ids())
    hashers = list(settings.PASSWORD_HASHERS)
    if PBKDF2 in hashers:  # it verifies the quick hashes, then Argon2 replaces them
        hashers.insert(0, "demo.passwords.DemoPasswordHasher")
    with override_settings(PASSWORD_HASHERS=hashers):
        acme_seed(clock=DemoClock(zone="Europe/Paris"))
        lumiere_seed(clock=DemoClock(zone="Europe/Paris"))
    del connection.run_on_commit[queued_before:]
    story_emails = [pk for pk in outbox_pending_ids() if pk not in pending_before]
    with override_settings(EMAIL_BACKEND=settings.EMAIL_BACKEND if send_emails else DISCARD):
        email_send_batch(email_ids=story_emails)
    return DEMO_ORGANISATIONS


def outbox_pending_ids() -> list[str]:
    """Ids of the outbox rows waiting to be sent."""
    return [
        str(pk)
        for pk in OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING).values_list(
            "pk", flat=True
        )
    ]
