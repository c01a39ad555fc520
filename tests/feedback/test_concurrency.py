"""Two simultaneous submits of the same session: exactly one rating, on SQLite and PostgreSQL.

Both threads are held at a barrier after the "already used?" check and before the conditional
UPDATE, so both really race for the same eligibility. On PostgreSQL the second UPDATE waits
for the first transaction's row lock, then matches no row; on SQLite the second writer waits
for the first to commit. Run on PostgreSQL with
`DATABASE_URL=postgres://…/flipside_feedback pytest tests/feedback/test_concurrency.py`.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_scopes import scopes_disabled

from feedback.models import PendingRating
from feedback.services import ratings
from tests.factories import OrganisationFactory
from tests.factories.feedback import eligibility_of, held_session, submit, sweep
from tests.factories.sessions import make_pair

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_double_submit_records_exactly_one_rating(monkeypatch: Any) -> None:
    organisation = OrganisationFactory.create(slug="race")
    pair = make_pair(organisation, topics=1)
    session = held_session(pair)
    sweep(organisation)
    barrier = threading.Barrier(2, timeout=20)
    original = ratings._checked_answers

    def checked_then_wait(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        barrier.wait()  # both threads have passed the is_used pre-check
        return result

    monkeypatch.setattr(ratings, "_checked_answers", checked_then_wait)
    outcomes: list[str] = []

    def attempt() -> None:
        try:
            submit(organisation, pair.mentee, session)
            outcomes.append("recorded")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["recorded", "refused"], connection.vendor
    with scopes_disabled():
        assert PendingRating.objects.filter(organisation=organisation).count() == 1
        assert eligibility_of(pair.mentee, session).is_used
