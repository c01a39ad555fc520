"""URL classification of the matching app (see tests/test_isolation.py).

Admin pages are built on a programme of organisation A in matching; participant pages on a
pairing (or a mentee place) of alice herself, because they open only to their own people.
"""

from __future__ import annotations

from typing import Any

from matching.models import MatchConstraint
from tests.conftest import Cast
from tests.factories import PairingFactory
from tests.factories.matching import (
    MatchConstraintFactory,
    MatchProposalFactory,
    matching_programme,
    mentee,
)
from tests.isolation_rules import TENANT, Rule, tenant_object

POST_ONLY = (405,)


def _programme(cast: Cast) -> dict[str, Any]:
    return {"programme_id": matching_programme(cast.org_a).pk}


def _run(cast: Cast) -> dict[str, Any]:
    proposal = MatchProposalFactory.create(run__programme=matching_programme(cast.org_a))
    return {"run_id": proposal.run_id}


def _constraint(cast: Cast) -> dict[str, Any]:
    constraint = MatchConstraintFactory.create(
        run__programme=matching_programme(cast.org_a), kind=MatchConstraint.Kind.FORBID
    )
    return {"run_id": constraint.run_id, "constraint_id": constraint.pk}


def _alice_pairing(cast: Cast) -> dict[str, Any]:
    pairing = PairingFactory.create(
        programme=matching_programme(cast.org_a), mentor__member=cast.alice, status="proposed"
    )
    return {"pairing_id": pairing.pk}


def _alice_mentee_place(cast: Cast) -> dict[str, Any]:
    return {"participant_id": mentee(matching_programme(cast.org_a), cast.alice).pk}


CLASSIFIED: dict[str, Rule] = {
    "match-home": tenant_object(_programme, admin_only=True),
    "match-run-create": tenant_object(_programme, admin_only=True),
    "match-run-detail": tenant_object(_run, admin_only=True),
    "match-run-adjust": tenant_object(_run, admin_only=True),
    "match-run-release": tenant_object(_constraint, admin_only=True, ok_status=POST_ONLY),
    "match-run-publish": tenant_object(_run, admin_only=True, ok_status=POST_ONLY),
    "match-run-compare": tenant_object(_run, admin_only=True),
    "pairing-mine": TENANT,
    "pairing-detail": tenant_object(_alice_pairing),
    "pairing-accept": tenant_object(_alice_pairing, ok_status=POST_ONLY),
    "pairing-decline": tenant_object(_alice_pairing, ok_status=POST_ONLY),
    "pairing-wishes": tenant_object(_alice_mentee_place),
}
