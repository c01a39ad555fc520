"""The issue's first attack, rerun on the seeded demo: HR's figures minus a mentor's own view.

Before issue 12 the demo gave HR's "Pilot cohort 2025" (8 raters) minus Maya's view (6) =
Théo's 2 raters. Whatever the seeding, no two shown figures of any views may differ by a
non-negative histogram resting on 1..k-1 raters.
"""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from demo.seed import demo_seed
from feedback.models import PublishedView
from organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_demo_hr_minus_a_mentor_never_gives_another_mentors_figures() -> None:
    demo_seed()
    with scopes_disabled():
        organisation = Organisation.objects.get(slug="acme")
        shown = [
            cell["scores"]
            for view in PublishedView.objects.filter(organisation=organisation)
            for cell in view.cells
            if cell["scores"] is not None
        ]
        k = organisation.k_scores
    assert len(shown) >= 2  # HR's and Maya's figures at least
    for a in shown:
        for b in shown:
            if not 0 < a["n_raters"] - b["n_raters"] < k:
                continue
            diff = [
                x - y
                for name in a["distributions"]
                for x, y in zip(a["distributions"][name], b["distributions"][name], strict=True)
            ]
            # Only a non-negative difference is a figure about the missing raters.
            assert not all(d >= 0 for d in diff), (a, b)
