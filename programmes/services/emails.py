"""Emails of the programmes app, rendered in the recipient's language and queued in the outbox."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from notifications.services import email_enqueue
from organisations.models import Member, Organisation


def member_language(*, member: Member, organisation: Organisation) -> str:
    """Return the first language of the member the app speaks, else the organisation's."""
    supported = dict(settings.LANGUAGES)
    for code in member.languages or []:
        if code in supported:
            return str(code)
    if organisation.default_language in supported:
        return organisation.default_language
    return settings.LANGUAGE_CODE


def email_member(
    *,
    organisation: Organisation,
    member: Member,
    dedup_key: str,
    template: str,
    context: dict[str, Any],
) -> None:
    """Render `programmes/email/<template>{_subject.txt,.txt,.html}` and queue the email."""
    context = {"organisation": organisation, "member": member, **context}
    with translation.override(member_language(member=member, organisation=organisation)):
        subject = render_to_string(f"programmes/email/{template}_subject.txt", context)
        body_text = render_to_string(f"programmes/email/{template}.txt", context)
        body_html = render_to_string(f"programmes/email/{template}.html", context)
    email_enqueue(
        organisation=organisation,
        dedup_key=dedup_key,
        to=member.email,
        subject=" ".join(subject.split()),
        body_text=body_text,
        body_html=body_html,
    )
