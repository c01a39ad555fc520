"""Rendering session emails in each recipient's language and timezone, and queueing them."""

from __future__ import annotations

import base64
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import get_template
from django.utils import timezone, translation

from notifications.services import email_enqueue
from organisations.models import Member, Organisation
from sessions import ics
from sessions.models import MentoringSession

_LANGUAGES = {code for code, _name in settings.LANGUAGES}


def recipient_language(member: Member, organisation: Organisation) -> str:
    """Return the first of the member's languages the app speaks, else the organisation's."""
    for code in member.languages or []:
        if isinstance(code, str) and code.split("-")[0].lower() in _LANGUAGES:
            return code.split("-")[0].lower()
    if organisation.default_language in _LANGUAGES:
        return organisation.default_language
    return settings.LANGUAGE_CODE


def member_zone(member: Member, organisation: Organisation | None = None) -> ZoneInfo:
    """Return the member's timezone (the organisation's, then UTC, if it is not a valid one)."""
    for name in (member.timezone, organisation.timezone if organisation else None, "UTC"):
        if not name:
            continue
        try:
            return ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            continue
    return ZoneInfo("UTC")


@dataclass
class RenderedEmail:
    """An email ready for the outbox."""

    dedup_key: str
    to: str
    subject: str
    body_text: str
    body_html: str
    attachments: list[dict[str, str]] = field(default_factory=list)


def render_email(
    name: str,
    context: dict[str, Any],
    *,
    recipient: Member,
    organisation: Organisation,
    dedup_key: str,
    attachments: Sequence[dict[str, str]] = (),
) -> RenderedEmail:
    """Render `templates/sessions/email/<name>.html` (partials subject/text/html) for one person."""
    zone = member_zone(recipient, organisation)
    full_context = {
        "recipient": recipient,
        "organisation": organisation,
        "site_url": settings.SITE_URL,
        "zone": zone,
        **context,
    }
    with translation.override(recipient_language(recipient, organisation)), timezone.override(zone):
        base = f"sessions/email/{name}.html"
        subject = get_template(f"{base}#subject").render(full_context)
        text = get_template(f"{base}#text").render(full_context)
        html = get_template(f"{base}#html").render(full_context)
    return RenderedEmail(
        dedup_key=dedup_key,
        to=recipient.email,
        subject=" ".join(subject.split())[:255],
        body_text=text.strip() + "\n",
        body_html=html.strip(),
        attachments=list(attachments),
    )


def ics_attachment(content: bytes, *, method: str, filename: str = "invite.ics") -> dict[str, str]:
    """Return an outbox attachment for an iCalendar object."""
    return {
        "filename": filename,
        "mimetype": f"text/calendar; method={method}" if method != ics.PUBLISH else "text/calendar",
        "content": base64.b64encode(content).decode("ascii"),
    }


def session_change_email(
    name: str,
    session: MentoringSession,
    *,
    recipient: Member,
    actor: Member | None,
    method: str | None,
    event: str,
    extra: dict[str, Any] | None = None,
) -> None:
    """Queue one email about a change to a session, with the updated invitation attached."""
    organisation = session.organisation
    language = recipient_language(recipient, organisation)
    attachments = []
    if method is not None:
        # The invitation text (summary, description) is in the recipient's language too.
        with translation.override(language):
            content = ics.invitation_ics(session, method=method)
        attachments.append(ics_attachment(content, method=method))
    rendered = render_email(
        name,
        {
            "session": session,
            "actor": actor,
            "event": event,
            "session_url": ics.session_url(session),
            **(extra or {}),
        },
        recipient=recipient,
        organisation=organisation,
        dedup_key=f"session:{event}:{session.pk}:{recipient.pk}:{session.sequence}",
        attachments=attachments,
    )
    queue_rendered(rendered, organisation=organisation)


def queue_rendered(rendered: RenderedEmail, *, organisation: Organisation) -> None:
    """Put one rendered email in the outbox (ignored when its dedup key is already there)."""
    email_enqueue(
        organisation=organisation,
        dedup_key=rendered.dedup_key,
        to=rendered.to,
        subject=rendered.subject,
        body_text=rendered.body_text,
        body_html=rendered.body_html,
        attachments=rendered.attachments,
    )
