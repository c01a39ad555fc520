"""/healthz: for load balancers and compose healthchecks."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from jobs.health import health_report


@never_cache
def healthz_view(request: HttpRequest) -> JsonResponse:
    """200 while the app can serve (database and Redis up), 503 otherwise; details in JSON.

    A stale worker or scheduler is reported as "degraded" with 200: pages still work, and a
    load balancer must not take the web servers out for a background problem.
    """
    serving, report = health_report()
    return JsonResponse(report, status=200 if serving else 503)
