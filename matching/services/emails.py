"""Emails of matching, rendered in the recipient's language and queued in the outbox."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from matching.explain import render_reason_list
from matching.models import Pairing
from notifications.services import email_enqueue
from organisations.models import Member, Organisation


def member_language(*, member: Member, organisation: Organisation) -> str:
    """The first of the member's languages the app speaks, else the organisation's."""
    supported = dict(settings.LANGUAGES)
    for code in member.languages or []:
        if code in supported:
            return str(code)
    if organisation.default_language in supported:
        return organisation.default_language
    return settings.LANGUAGE_CODE


def pairing_url(pairing: Pairing, organisation: Organisation) -> str:
    """Absolute link to the pairing's page (only its two people can open it)."""
    path = reverse(
        "pairing-detail", kwargs={"org_slug": organisation.slug, "pairing_id": pairing.pk}
    )
    return settings.SITE_URL + path


def email_pairing_member(
    *,
    organisation: Organisation,
    pairing: Pairing,
    role: str,
    event: str,
    extra: dict[str, Any] | None = None,
) -> None:
    """Tell the pairing's mentor or mentee (`role`) about `event` (proposed/accepted/declined)."""
    me = pairing.mentor if role == "mentor" else pairing.mentee
    partner = pairing.mentee if role == "mentor" else pairing.mentor
    member = me.member
    with translation.override(member_language(member=member, organisation=organisation)):
        context = {
            "organisation": organisation,
            "member": member,
            "partner": partner.member,
            "role": role,
            "programme": pairing.programme,
            "reasons": render_reason_list(pairing.reasons, for_participant=True),
            "url": pairing_url(pairing, organisation),
            **(extra or {}),
        }
        subject = render_to_string(f"matching/email/pairing_{event}_subject.txt", context)
        body_text = render_to_string(f"matching/email/pairing_{event}.txt", context)
        body_html = render_to_string(f"matching/email/pairing_{event}.html", context)
    email_enqueue(
        organisation=organisation,
        dedup_key=f"pairing-{event}:{pairing.pk}:{member.pk}",
        to=member.email,
        subject=" ".join(subject.split()),
        body_text=body_text,
        body_html=body_html,
    )
