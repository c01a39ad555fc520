"""A real Celery worker process on Redis runs a matching run to the end."""

from __future__ import annotations

from pathlib import Path

import pytest
from django_scopes import scopes_disabled

from matching.models import MatchProposal, MatchRun
from programmes.models import Level
from tests.conftest import Cast
from tests.factories.matching import MatchRunFactory, matching_programme, mentee, mentor
from tests.support.services import celery_worker, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _status(run: MatchRun) -> tuple[str, int]:
    with scopes_disabled():
        fresh = MatchRun.objects.get(pk=run.pk)
    return fresh.status, fresh.progress


def test_worker_runs_a_matching_run_to_done_with_progress_100(cast: Cast, tmp_path: Path) -> None:
    programme = matching_programme(cast.org_a)
    mentors = [mentor(programme, teaches={"Excel": Level.EXPLOIT}) for _ in range(6)]
    mentees = [mentee(programme, wants={"Excel": Level.DEEPEN}) for _ in range(5)]
    run = MatchRunFactory.create(
        programme=programme, status=MatchRun.Status.QUEUED, progress=0, stats={}, finished_at=None
    )
    with celery_worker(tmp_path) as (worker, producer):
        # Delivered twice (a redelivery after a lost ack): the second finds it done.
        for _ in range(2):
            producer.send_task("matching.run_matching", args=[str(cast.org_a.pk), str(run.pk)])
        wait_until(
            lambda: _status(run)[0] in (MatchRun.Status.DONE, MatchRun.Status.FAILED),
            timeout=90,
            what=f"the run to finish; worker log:\n{worker.log()}",
        )
    assert _status(run) == (MatchRun.Status.DONE, 100)
    with scopes_disabled():
        proposals = MatchProposal.objects.filter(run=run)
        assert proposals.count() == len(mentees)
        assert set(proposals.values_list("mentor_id", flat=True)) <= {m.pk for m in mentors}
        stats = MatchRun.objects.get(pk=run.pk).stats
    assert stats["matched"] == 5
    assert stats["seconds"]["solve"] >= 0
