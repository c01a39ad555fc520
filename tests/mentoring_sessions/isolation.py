"""URL classification of the sessions app (see tests/test_isolation.py).

Object pages are built around a pair of organisation A in which alice (its HR admin) takes
part, because session pages open only to the two people of the pair.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sessions.models import MentoringSession
from tests.conftest import Cast
from tests.factories.sessions import in_days, make_pair, make_session
from tests.isolation_rules import PUBLIC, TENANT, Rule, tenant_object


def _alice_mentors(cast: Cast) -> Any:
    return make_pair(cast.org_a, mentor=cast.alice)


def _session(**fields: Any) -> Any:
    def build(cast: Cast) -> dict[str, Any]:
        session = make_session(_alice_mentors(cast), **fields)
        return {"session_id": session.pk}

    return build


def _session_alice_mentee(cast: Cast) -> dict[str, Any]:
    pair = make_pair(cast.org_a, mentee=cast.alice)
    session = make_session(
        pair,
        starts_at=in_days(-2),
        ends_at=in_days(-2) + dt.timedelta(hours=1),
        status=MentoringSession.Status.HELD,
        logged_at=in_days(-1),
        log_version=1,
        actual_minutes=60,
    )
    return {"session_id": session.pk}


def _pairing(cast: Cast) -> dict[str, Any]:
    return {"pairing_id": _alice_mentors(cast).pairing.pk}


def _programme(cast: Cast) -> dict[str, Any]:
    return {"programme_id": _alice_mentors(cast).programme.pk}


CLASSIFIED: dict[str, Rule] = {
    "session-list": TENANT,
    "session-calendar": TENANT,
    "session-detail": tenant_object(_session()),
    "session-ics": tenant_object(_session()),
    "session-accept": tenant_object(_session(), ok_status=(405,)),
    "session-confirm": tenant_object(_session_alice_mentee, ok_status=(405,)),
    "session-decline": tenant_object(
        _session(status=MentoringSession.Status.PROPOSED, proposed_by="mentee")
    ),
    "session-reschedule": tenant_object(_session()),
    "session-cancel": tenant_object(_session()),
    "session-log": tenant_object(
        _session(starts_at=in_days(-1), ends_at=in_days(-1) + dt.timedelta(hours=1))
    ),
    "session-dispute": tenant_object(_session_alice_mentee),
    "session-propose": tenant_object(_pairing),
    "session-series-propose": tenant_object(_pairing),
    "session-programme-overview": tenant_object(_programme, admin_only=True),
}


# The feed is token-authenticated at the site root (sessions/feed_urls.py, mounted by
# config/urls.py as path("calendar/", include("sessions.feed_urls"))).
CLASSIFIED["session-feed"] = PUBLIC
