"""The one renderer of every email: templates of a registered kind, in the recipient's world.

Subject and text part are plain text, so they are rendered with autoescaping OFF (a name like
`Maeve O'Brien` or `R&D "Tools"` must read as typed, never `O&#x27;Brien`); the HTML part is
rendered with autoescaping on. The recipient's language and timezone are active throughout.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.conf import settings
from django.template import Context, Engine, engines

from notifications.kinds import email_kind
from notifications.models import OutboundEmail
from notifications.recipients import EmailOrganisation, EmailRecipient, recipient_activated
from safetext.neutralise import plain_text

# {"filename": ..., "mimetype": ..., "content": <base64>}: JSON-serialisable for the outbox.
Attachment = dict[str, str]
SUBJECT_MAX_LENGTH: int = OutboundEmail._meta.get_field("subject").max_length or 255


@dataclass(frozen=True)
class Email:
    """One email to render and queue: which kind, for whom, under which dedup key."""

    kind: str
    recipient: EmailRecipient
    organisation: EmailOrganisation | None
    dedup_key: str
    context: Mapping[str, Any] = field(default_factory=dict)
    attachments: Sequence[Attachment] = ()


@dataclass(frozen=True)
class RenderedEmail:
    """An email ready for the outbox."""

    kind: str
    organisation_id: Any
    dedup_key: str
    to: str
    subject: str
    body_text: str
    body_html: str
    attachments: list[Attachment]


def attachment(*, filename: str, content: bytes, mimetype: str) -> Attachment:
    """An outbox attachment (the outbox stores JSON, so the bytes are base64)."""
    return {
        "filename": filename,
        "mimetype": mimetype,
        "content": base64.b64encode(content).decode("ascii"),
    }


@cache
def _engine() -> Engine:
    engine: Engine = engines["django"].engine  # type: ignore[attr-defined]
    return engine


def _render(template_name: str, context: Mapping[str, Any], *, autoescape: bool) -> str:
    template = _engine().get_template(template_name)
    return template.render(Context(dict(context), autoescape=autoescape))


def subject_clean(subject: str, *, limit: int = SUBJECT_MAX_LENGTH) -> str:
    """One line, whitespace collapsed, cut at a word boundary (with "…") to fit `limit`."""
    # Controls removed, every run of whitespace (line breaks of every kind too) one space.
    subject = " ".join(plain_text(subject).split())
    if len(subject) <= limit:
        return subject
    cut = subject[: limit - 1]
    # Cut at the last space unless that drops most of the line (one very long word).
    if " " in cut and cut.rfind(" ") >= limit // 2:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:.-–—") + "…"


def _text_clean(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    # Conditional blocks leave runs of empty lines behind: keep one.
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


def email_render(email: Email) -> RenderedEmail:
    """Render an email's subject, text and HTML parts in its recipient's language and zone."""
    kind = email_kind(email.kind)
    organisation = email.organisation
    with recipient_activated(email.recipient, organisation) as zone:
        context = {
            "recipient": email.recipient,
            "organisation": organisation,
            "site_url": settings.SITE_URL,
            "zone": zone,
            **email.context,
        }
        subject = _render(kind.template("subject.txt"), context, autoescape=False)
        text = _render(kind.template("message.txt"), context, autoescape=False)
        html = _render(kind.template("message.html"), context, autoescape=True)
    return RenderedEmail(
        kind=kind.key,
        organisation_id=organisation.pk if organisation is not None else None,
        dedup_key=email.dedup_key,
        to=email.recipient.email,
        subject=subject_clean(subject),
        body_text=_text_clean(text),
        body_html=html.strip(),
        attachments=list(email.attachments),
    )
