"""URL classification of the feedback app (see tests/test_isolation.py).

Object pages are built around org A's alice: an eligibility of hers (she is the mentee of a
held session) or a pairing in which she is the mentee, because those pages open only to the
mentee concerned; the programme page is HR's.
"""

from __future__ import annotations

from typing import Any

from tests.conftest import Cast
from tests.factories.feedback import eligibility_of, held_session, sweep
from tests.factories.sessions import make_pair
from tests.isolation_rules import TENANT, TENANT_ADMIN, Rule, tenant_object


def _alice_eligibility(cast: Cast) -> dict[str, Any]:
    pair = make_pair(cast.org_a, mentee=cast.alice)
    session = held_session(pair)
    sweep(cast.org_a)
    return {"eligibility_id": eligibility_of(cast.alice, session).pk}


def _alice_pairing(cast: Cast) -> dict[str, Any]:
    return {"pairing_id": make_pair(cast.org_a, mentee=cast.alice).pairing.pk}


def _programme(cast: Cast) -> dict[str, Any]:
    return {"programme_id": make_pair(cast.org_a).programme.pk}


CLASSIFIED: dict[str, Rule] = {
    "feedback-home": TENANT,
    "feedback-rate": tenant_object(_alice_eligibility),
    "feedback-rate-submit": Rule("tenant", ok_status=(405,)),
    "feedback-withdraw": TENANT,
    "feedback-thank": tenant_object(_alice_pairing),
    "feedback-mentor": TENANT,
    "feedback-programme": tenant_object(_programme, admin_only=True),
    "feedback-settings": TENANT_ADMIN,
}
