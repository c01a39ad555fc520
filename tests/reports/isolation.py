from __future__ import annotations

from typing import Any

from django_scopes import scopes_disabled

from reports.models import Report
from tests.conftest import Cast
from tests.factories import ProgrammeFactory
from tests.isolation_rules import TENANT, TENANT_ADMIN, Rule, tenant_object


def _report(cast: Cast) -> dict[str, Any]:
    programme = ProgrammeFactory.create(organisation=cast.org_a)
    with scopes_disabled():
        report = Report.objects.create(organisation=cast.org_a, programme=programme)
    return {"report_id": report.pk}


def _report_file(cast: Cast) -> dict[str, Any]:
    return {**_report(cast), "fmt": "pdf"}


def _programme(cast: Cast) -> dict[str, Any]:
    return {"programme_id": ProgrammeFactory.create(organisation=cast.org_a).pk}


CLASSIFIED: dict[str, Rule] = {
    "my-progress": TENANT,
    # alice is no mentee in the cast, so her summary has nothing to show.
    "my-progress-summary": Rule("tenant", ok_status=(404,)),
    "report-list": TENANT_ADMIN,
    "report-detail": tenant_object(_report, admin_only=True),
    # A report without files yet answers 404 even to its admin.
    "report-download": tenant_object(_report_file, admin_only=True, ok_status=(404,)),
    "report-dashboard": tenant_object(_programme, admin_only=True),
}
