"""The email pipeline: render and queue (one way for every app), then send from the outbox."""

from __future__ import annotations

import base64
import logging
import smtplib
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from notifications.models import OutboundEmail
from notifications.recipients import EmailOrganisation, EmailRecipient
from notifications.rendering import (
    Attachment,
    Email,
    RenderedEmail,
    email_render,
    subject_clean,
)
from safetext.neutralise import file_name, one_line, plain_text

logger = logging.getLogger(__name__)


def _outbox_row(rendered: RenderedEmail) -> OutboundEmail:
    return OutboundEmail(
        organisation_id=rendered.organisation_id,
        kind=rendered.kind,
        dedup_key=rendered.dedup_key,
        to=rendered.to,
        # The renderer made the subject one line; no control character in any part
        # (stored text can reach them; PostgreSQL refuses NUL).
        subject=rendered.subject,
        body_text=plain_text(rendered.body_text),
        body_html=plain_text(rendered.body_html),
        attachments=rendered.attachments,
        next_attempt_at=timezone.now(),
    )


def _outbox_insert(row: OutboundEmail) -> OutboundEmail | None:
    """Insert one row unless its dedup key is already queued; queue its sending after commit."""
    from notifications.tasks import send_outbound_email

    try:
        # A savepoint, so a duplicate key leaves the caller's transaction usable.
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:
        if OutboundEmail.objects.filter(dedup_key=row.dedup_key).exists():
            return None
        raise
    send_outbound_email.delay_on_commit(str(row.pk))  # type: ignore[attr-defined]
    return row


def email_enqueue(
    *,
    organisation: EmailOrganisation | None,
    kind: str,
    recipient: EmailRecipient,
    dedup_key: str,
    context: Mapping[str, Any],
    attachments: Sequence[Attachment] = (),
) -> OutboundEmail | None:
    """Render an email of a registered kind for one person and queue it, unless its dedup key
    is already queued; return the new row or None."""
    email = Email(
        kind=kind,
        recipient=recipient,
        organisation=organisation,
        dedup_key=dedup_key,
        context=context,
        attachments=attachments,
    )
    return _outbox_insert(_outbox_row(email_render(email)))


# Emails per send task for bulk producers: one SMTP connection serves a whole batch.
SEND_BATCH_SIZE = 100


def email_enqueue_bulk(emails: Sequence[Email]) -> list[str]:
    """Render emails, insert those whose dedup key is new, queue their sending after commit;
    return the ids inserted.

    For sweeps that produce thousands of emails: a set-based INSERT … ON CONFLICT DO NOTHING
    (on the unique dedup key) and one SELECT telling which ids were really inserted, instead of
    one `email_enqueue` per email. Rendering is the same as `email_enqueue`'s.
    """
    from notifications.tasks import send_outbound_emails

    if not emails:
        return []
    rows = [_outbox_row(email_render(email)) for email in emails]
    OutboundEmail.objects.bulk_create(rows, ignore_conflicts=True)
    # ON CONFLICT DO NOTHING reports nothing back: the ids generated here that exist now are
    # exactly the rows this call inserted (a conflicting key keeps its older row and id).
    inserted = [
        str(pk)
        for pk in OutboundEmail.objects.filter(pk__in=[row.pk for row in rows]).values_list(
            "pk", flat=True
        )
    ]
    for start in range(0, len(inserted), SEND_BATCH_SIZE):
        send_outbound_emails.delay_on_commit(  # type: ignore[attr-defined]
            inserted[start : start + SEND_BATCH_SIZE]
        )
    return inserted


def email_send_batch(*, email_ids: Sequence[str]) -> int:
    """Send several outbox rows over one SMTP connection; rows claimed elsewhere are skipped.

    Rows are claimed before the connection is opened, so a server that cannot be reached
    counts as a failed attempt of each of them (error recorded, back-off, then `failed`).
    """
    claimed = [email for email in map(_claim_one, email_ids) if email is not None]
    if not claimed:
        return 0
    connection = get_connection()
    try:
        connection.open()
    except Exception as error:  # Refused, timed out, TLS or authentication failure.
        for email in claimed:
            _record_failure(email, error)
        return 0
    try:
        return sum(_deliver(email, connection) for email in claimed)
    finally:
        connection.close()


def _claim_one(email_id: str) -> OutboundEmail | None:
    return email_claim(email_id=email_id)


def email_enqueue_account_message(*, message: EmailMessage, kind: str, dedup_key: str) -> None:
    """Queue an account email (sign-up, password reset) that allauth rendered itself.

    The one exception to `email_enqueue`: allauth renders its own templates (with autoescaping
    off in subjects and text) in the language of the request; the message belongs to no tenant.
    """
    html = ""
    if isinstance(message, EmailMultiAlternatives):
        html = next(
            (str(content) for content, mimetype in message.alternatives if mimetype == "text/html"),
            "",
        )
    for index, recipient in enumerate(message.to):
        rendered = RenderedEmail(
            kind=kind,
            organisation_id=None,
            dedup_key=dedup_key if index == 0 else f"{dedup_key}:{index}",
            to=recipient,
            subject=subject_clean(str(message.subject)),
            body_text=str(message.body),
            body_html=html,
            attachments=[],
        )
        _outbox_insert(_outbox_row(rendered))


def _build_message(email: OutboundEmail, connection: Any) -> EmailMessage:
    message = EmailMultiAlternatives(
        # Rows written in bulk did not pass through email_enqueue: neutralise here too.
        subject=one_line(email.subject, max_length=255),
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        connection=connection,
        headers={"X-Flipside-Email-Id": str(email.pk)},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments:
        message.attach(
            file_name(attachment["filename"], default="attachment"),
            base64.b64decode(attachment["content"]),
            attachment.get("mimetype", "application/octet-stream"),
        )
    return message


def email_claim(*, email_id: str) -> OutboundEmail | None:
    """Atomically move a due pending row to `sending`; return it only if this caller won."""
    now = timezone.now()
    claimed = OutboundEmail.objects.filter(
        pk=email_id, status=OutboundEmail.Status.PENDING, next_attempt_at__lte=now
    ).update(status=OutboundEmail.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if claimed != 1:
        return None
    return OutboundEmail.objects.get(pk=email_id)


def email_send(*, email_id: str, connection: Any | None = None) -> bool:
    """Send one outbox row if this caller can claim it; return whether it was sent now."""
    email = email_claim(email_id=email_id)
    if email is None:
        return False
    return _deliver(email, connection or get_connection())


def _deliver(email: OutboundEmail, connection: Any) -> bool:
    try:
        _build_message(email, connection).send()
    except Exception as error:  # SMTP and network errors of every kind get a retry.
        _record_failure(email, error)
        return False
    # The unavoidable window: a crash between SMTP acceptance and this update resends once.
    OutboundEmail.objects.filter(pk=email.pk, status=OutboundEmail.Status.SENDING).update(
        status=OutboundEmail.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def _is_hard_bounce(error: Exception) -> bool:
    """The server refused the recipient for good (5xx on RCPT): retrying cannot help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    return False


def _record_failure(email: OutboundEmail, error: Exception) -> None:
    bounced = _is_hard_bounce(error)
    give_up = bounced or email.attempts >= settings.OUTBOX_MAX_ATTEMPTS
    delay = timedelta(seconds=min(3600, 30 * 2 ** (email.attempts - 1)))
    log = logger.error if give_up else logger.warning
    log(
        "Outbox email %s %s (attempt %s of %s): %s",
        email.pk,
        "BOUNCED" if bounced else "UNDELIVERED, given up" if give_up else "failed, will retry",
        email.attempts,
        settings.OUTBOX_MAX_ATTEMPTS,
        error,
    )
    now = timezone.now()
    OutboundEmail.objects.filter(pk=email.pk, status=OutboundEmail.Status.SENDING).update(
        status=OutboundEmail.Status.FAILED if give_up else OutboundEmail.Status.PENDING,
        next_attempt_at=now + delay,
        failed_at=now if give_up else None,
        bounced_at=now if bounced else None,
        last_error=f"{type(error).__name__}: {error}"[:2000],
    )


def email_retry(*, organisation: Any | None, email_ids: Sequence[Any] | None = None) -> int:
    """Send undelivered emails again (all of the organisation's, or the given ones); count them.

    `organisation=None` is the operator's retry across tenants. Attempts start from zero.
    """
    from notifications.tasks import send_outbound_emails

    rows = OutboundEmail.objects.filter(status=OutboundEmail.Status.FAILED)
    if organisation is not None:
        rows = rows.filter(organisation=organisation)
    if email_ids is not None:
        rows = rows.filter(pk__in=list(email_ids))
    ids = [str(pk) for pk in rows.values_list("pk", flat=True)]
    OutboundEmail.objects.filter(pk__in=ids, status=OutboundEmail.Status.FAILED).update(
        status=OutboundEmail.Status.PENDING,
        attempts=0,
        next_attempt_at=timezone.now(),
        failed_at=None,
        bounced_at=None,
    )
    for start in range(0, len(ids), SEND_BATCH_SIZE):
        send_outbound_emails.delay_on_commit(  # type: ignore[attr-defined]
            ids[start : start + SEND_BATCH_SIZE]
        )
    return len(ids)


def email_release_stale_claims(*, now: Any | None = None) -> int:
    """Return rows whose worker died mid-send to `pending`; answer how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT_SECONDS)
    return OutboundEmail.objects.filter(
        status=OutboundEmail.Status.SENDING, claimed_at__lt=cutoff
    ).update(status=OutboundEmail.Status.PENDING, next_attempt_at=now)
