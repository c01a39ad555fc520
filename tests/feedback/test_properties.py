"""Property: through the real services, no released cell ever rests on fewer than k raters.

Hypothesis draws organisations (thresholds, mentors, mentees, departments, sessions over
several months), random submissions, withdrawals and runs of the release job at random
times. After every run, each figure a page would show is checked against the test's own
ledger of which person's rating is released: a shown cell must match, at this run or an
earlier one, a group of at least k distinct people (the rules may hold older figures), and
comments need k_comments. The pure module's own properties are in test_disclosure.py.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from feedback import services
from feedback.models import PublishedView, Rating
from feedback.sealing import pending_receipt_hash, released_receipt_hash
from sessions.models import MentoringSession
from tests.factories import MemberFactory, OrganisationFactory
from tests.factories.feedback import answers, held_session, submit, sweep
from tests.factories.sessions import make_pair, running_programme
from tests.hypothesis_profiles import hypothesis_examples

# Example count quoted in docs/feedback.md (each example is a whole organisation's history).
EXAMPLES = 80
DEPARTMENTS = ("Finance", "Legal", "Sales")
_orgs = itertools.count(1)


@st.composite
def histories(draw: st.DrawFn) -> dict[str, Any]:
    k = draw(st.integers(3, 5))
    mentors = draw(
        st.lists(
            st.lists(  # per mentee: department and the days-ago of its held sessions
                st.tuples(
                    st.sampled_from(DEPARTMENTS),
                    st.lists(st.integers(1, 70), min_size=1, max_size=3, unique=True),
                ),
                min_size=2,
                max_size=8,
            ),
            min_size=1,
            max_size=3,
        )
    )
    sessions = [
        (m, e, s)
        for m, mentees in enumerate(mentors)
        for e, (_, days) in enumerate(mentees)
        for s in range(len(days))
    ]
    order = draw(st.permutations(sessions))
    steps: list[tuple[Any, ...]] = []
    for item in order[: draw(st.integers(len(order) // 2, len(order)))]:
        steps.append(
            (
                "rate",
                item,
                draw(st.integers(1, 5)),
                draw(st.booleans()),
            )
        )
        if draw(st.integers(0, 5)) == 0:
            steps.append(("process", draw(st.sampled_from([0, 0, 35, 70]))))
        if draw(st.integers(0, 9)) == 0:
            steps.append(("withdraw", draw(st.integers(0, 50))))
    steps.append(("process", 70))
    return {"k": k, "k_comments": k + draw(st.integers(0, 3)), "mentors": mentors, "steps": steps}


@dataclass
class Ledger:
    """The test's own truth: who submitted which rating, about which cell."""

    submissions: list[dict[str, Any]] = field(default_factory=list)
    # Per view and cell: the distinct raters of released ratings, at each run so far.
    history: dict[tuple[str, str, str, str], list[int]] = field(
        default_factory=lambda: defaultdict(list)
    )


def _released_truth(ledger: Ledger, organisation: Any) -> dict[tuple[str, str, str, str], int]:
    with scopes_disabled():
        live = set(
            Rating.objects.filter(organisation=organisation).values_list("receipt_hash", flat=True)
        )
    cells: dict[tuple[str, str, str, str], set[Any]] = defaultdict(set)
    for sub in ledger.submissions:
        if released_receipt_hash(pending_receipt_hash(sub["receipt"])) not in live:
            continue
        who = sub["mentee"]
        prog = ("programme", sub["programme"])
        ment = ("mentor", sub["mentor"])
        for view in (prog, ment):
            cells[(*view, "overall", "all")].add(who)
        for dim in ("department", "topic", "period"):
            cells[(*prog, dim, sub[dim])].add(who)
        cells[(*ment, "programme", sub["programme"])].add(who)
    return {key: len(people) for key, people in cells.items()}


def _check(ledger: Ledger, organisation: Any, k: int, k_comments: int) -> None:
    for key, n in _released_truth(ledger, organisation).items():
        ledger.history[key].append(n)
    with scopes_disabled():
        releases = list(PublishedView.objects.filter(organisation=organisation))
    for release in releases:
        subject = str(release.programme_id or release.mentor_id)
        for cell in release.cells:
            key = (release.kind, subject, cell["dimension"], cell["value"])
            if cell["scores"] is not None:
                event(f"shown {cell['dimension']} cell")
                shown = cell["scores"]["n_raters"]
                assert shown >= k, (key, shown)
                assert shown in ledger.history[key], (key, shown, ledger.history[key])
            if cell["comments"] is not None:
                assert max(ledger.history[key], default=0) >= k_comments, key


@pytest.mark.django_db
@settings(
    max_examples=hypothesis_examples(ci=EXAMPLES, dev=8),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(history=histories())
def test_released_figures_never_rest_on_fewer_than_k_raters(history: dict[str, Any]) -> None:
    k, k_comments = history["k"], history["k_comments"]
    organisation = OrganisationFactory.create(
        slug=f"prop-{next(_orgs)}", k_scores=k, k_comments=k_comments
    )
    programme = running_programme(
        organisation,
        starts_on=timezone.localdate() - dt.timedelta(days=90),
        k_scores=k,
        k_comments=k_comments,
    )
    sessions: dict[tuple[int, int, int], tuple[Any, MentoringSession]] = {}
    for m, mentees in enumerate(history["mentors"]):
        mentor = MemberFactory.create(organisation=organisation)
        for e, (department, days) in enumerate(mentees):
            mentee = MemberFactory.create(organisation=organisation, department=department)
            pair = make_pair(
                organisation, programme=programme, mentor=mentor, mentee=mentee, topics=1
            )
            for s, day in enumerate(days):
                sessions[(m, e, s)] = (pair, held_session(pair, days_ago=day))
    sweep(organisation)
    ledger = Ledger()
    now = timezone.now()
    for step in history["steps"]:
        if step[0] == "rate":
            _, item, score, with_comment = step
            pair, session = sessions[item]
            topic = str(pair.topics[0].pk)
            comment = f"comment {len(ledger.submissions)}" if with_comment else ""
            receipt = submit(
                organisation, pair.mentee, session, answers(score, comment=comment, topic_id=topic)
            )
            ledger.submissions.append(
                {
                    "receipt": receipt,
                    "mentee": pair.mentee.pk,
                    "mentor": str(pair.mentor.pk),
                    "programme": str(programme.pk),
                    "department": pair.mentee.department,
                    "topic": topic,
                    "period": services.period_of(session.starts_at, organisation),
                }
            )
        elif step[0] == "withdraw" and ledger.submissions:
            sub = ledger.submissions[step[1] % len(ledger.submissions)]
            with scope(organisation=organisation):
                try:
                    services.rating_withdraw(organisation=organisation, code=sub["receipt"])
                except ValidationError:
                    assert sub.get("gone"), "a live rating could not be withdrawn"
            sub["gone"] = True
        elif step[0] == "process":
            now = max(now, timezone.now() + dt.timedelta(days=step[1]))
            with scope(organisation=organisation):
                services.feedback_process(organisation=organisation, now=now)
            _check(ledger, organisation, k, k_comments)
