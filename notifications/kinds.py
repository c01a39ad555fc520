"""The registry of every email the app sends, and the one template convention.

A kind `<app>.<name>` is rendered from `templates/<app>/email/<name>_subject.txt`,
`<name>_message.txt` and `<name>_message.html`; the two message templates extend
`notifications/email/base_message.txt` / `.html`. Only the names live here (plain strings), so
notifications imports no feature app; which person gets which email is decided by each app's
services, which call `notifications.services.email_enqueue` / `email_enqueue_bulk`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EmailKind:
    """One kind of email: its identifier, its templates and who receives it (for maintainers)."""

    key: str  # "<app>.<name>", stored on every outbox row
    sent_to: str

    @property
    def app(self) -> str:
        return self.key.split(".", 1)[0]

    @property
    def name(self) -> str:
        return self.key.split(".", 1)[1]

    def template(self, part: str) -> str:
        """The template of one part: `subject.txt`, `message.txt` or `message.html`."""
        return f"{self.app}/email/{self.name}_{part}"


_KINDS = (
    EmailKind("programmes.invitation", "a person invited to enrol (mentor or mentee)"),
    EmailKind("programmes.decision", "a mentor applicant, when HR approves or declines"),
    EmailKind("matching.pairing_proposed", "mentor and mentee of a published proposal"),
    EmailKind("matching.pairing_accepted", "both people, once both accepted"),
    EmailKind("matching.pairing_declined", "the other person, when one declines"),
    EmailKind("sessions.session_invitation", "the other person: proposed, new time, confirmed"),
    EmailKind("sessions.session_series", "the mentee, for a proposed series of sessions"),
    EmailKind("sessions.session_cancelled", "the other person: declined or cancelled"),
    EmailKind("sessions.session_disputed", "the mentor, when the mentee disputes the log"),
    EmailKind("sessions.reminder_upcoming", "both people, 24 hours and 1 hour before"),
    EmailKind("sessions.reminder_log", "the mentor, after the session ended unlogged"),
    EmailKind("sessions.reminder_confirm", "the mentee, to confirm the mentor's log"),
    EmailKind("sessions.reminder_stalled", "both people of a pair without sessions for long"),
    EmailKind("sessions.reminder_digest", "HR admins, weekly programme health"),
    EmailKind("feedback.rating_invitation", "the mentee, to rate a held session anonymously"),
    EmailKind("feedback.thank_you", "the mentor, when a mentee sends a named thank-you note"),
    EmailKind("reports.report_ready", "who ordered a report (or the HR admins)"),
)

KINDS: dict[str, EmailKind] = {kind.key: kind for kind in _KINDS}


def email_kind(key: str) -> EmailKind:
    """The registered kind `key`; an unregistered kind is a programming error."""
    try:
        return KINDS[key]
    except KeyError:
        message = f"Unknown email kind {key!r}: register it in notifications/kinds.py"
        raise ValueError(message) from None
