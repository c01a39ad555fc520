"""The outbox: every email of the app is a row here before a worker sends it."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboundEmail(models.Model):
    """One email to one recipient, written in the same transaction as the change it reports.

    The outbox is a system table swept by workers across tenants, so it is not scoped;
    `organisation` is kept (nullable: account emails belong to no tenant) for audit and cleanup.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outbound_emails",
    )
    # Producers derive the key from the event (e.g. "reminder:24h:<session>:<member>"), so
    # a repeated sweep or a retried task cannot queue the same email twice.
    dedup_key = models.CharField(max_length=255, unique=True)
    # A key of notifications.kinds.KINDS (e.g. "sessions.reminder_upcoming"), or
    # "account.<allauth template>" for account emails.
    kind = models.CharField(max_length=64, blank=True)
    to = models.EmailField()
    subject = models.CharField(max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # [{"filename": ..., "mimetype": ..., "content": <base64>}]
    attachments = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Set when the row is given up (`failed`): shown to HR with `last_error` as the reason.
    failed_at = models.DateTimeField(null=True, blank=True)
    # The recipient's server refused the address for good (5xx): the person is flagged.
    bounced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to} ({self.status})"
