"""matching's part in the programme lifecycle: answers to `programmes.signals`.

Connected by `MatchingConfig.ready()`. The pairings are matching's rows, so matching alone
counts, ends and guards them; programmes only announces.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from matching.selectors import participant_has_live_pairing, programme_pairing_counts
from matching.services.pairings import pairings_end_for_programme
from organisations.models import Organisation
from programmes.lifecycle import Check
from programmes.models import Participant, Programme
from programmes.signals import (
    participant_withdrawing,
    programme_closing,
    transition_checks_requested,
)


@receiver(transition_checks_requested, dispatch_uid="matching.pairing_checks")
def pairing_checks(sender: Any, *, programme: Programme, target: str, **kwargs: Any) -> list[Check]:
    """Starting needs an accepted pairing; closing tells how many live pairings will end."""
    if target == Programme.Status.RUNNING:
        accepted = programme_pairing_counts(programme=programme).accepted
        detail = ngettext(
            "%(n)d pairing accepted by both sides.",
            "%(n)d pairings accepted by both sides.",
            accepted,
        )
        return [
            Check(
                label=_("At least one pairing is accepted"),
                ok=accepted > 0,
                detail=detail % {"n": accepted},
                fix_url_name="match-home",
            )
        ]
    if target == Programme.Status.CLOSED:
        live = programme_pairing_counts(programme=programme).live
        detail = ngettext(
            "%(n)d live pairing will be ended.", "%(n)d live pairings will be ended.", live
        )
        return [
            Check(
                label=_("Live pairings will end"),
                ok=True,
                blocking=False,
                detail=detail % {"n": live},
            )
        ]
    return []


@receiver(programme_closing, dispatch_uid="matching.end_live_pairings")
def end_live_pairings(
    sender: Any,
    *,
    organisation: Organisation,
    programme: Programme,
    closed_at: dt.datetime,
    **kwargs: Any,
) -> None:
    """A closed programme has no live pairing left."""
    pairings_end_for_programme(organisation=organisation, programme=programme, ended_at=closed_at)


@receiver(participant_withdrawing, dispatch_uid="matching.refuse_withdrawal_when_paired")
def refuse_withdrawal_when_paired(
    sender: Any, *, organisation: Organisation, participant: Participant, **kwargs: Any
) -> None:
    """A live pairing must be dissolved by HR before either side leaves."""
    if participant_has_live_pairing(participant=participant):
        raise ValidationError(_("You have a proposed pairing: talk to your HR team to leave."))
