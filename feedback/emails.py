"""Feedback emails, rendered in the recipient's language and queued through the outbox."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import get_template
from django.utils import timezone, translation

from notifications.models import OutboundEmail
from notifications.services import email_enqueue
from organisations.models import Member, Organisation
from sessions.emails import member_zone, recipient_language


def feedback_email_enqueue(
    name: str,
    context: dict[str, Any],
    *,
    recipient: Member,
    organisation: Organisation,
    dedup_key: str,
) -> OutboundEmail | None:
    """Render `templates/feedback/email/<name>.html` (partials subject/text/html) and queue it."""
    zone = member_zone(recipient, organisation)
    full_context = {
        "recipient": recipient,
        "organisation": organisation,
        "site_url": settings.SITE_URL,
        **context,
    }
    with translation.override(recipient_language(recipient, organisation)), timezone.override(zone):
        base = f"feedback/email/{name}.html"
        subject = get_template(f"{base}#subject").render(full_context).strip()
        text = get_template(f"{base}#text").render(full_context)
        html = get_template(f"{base}#html").render(full_context)
    return email_enqueue(
        organisation=organisation,
        dedup_key=dedup_key,
        to=recipient.email,
        subject=subject,
        body_text=text,
        body_html=html,
    )
