from __future__ import annotations

from tests.isolation_rules import LOGIN, TENANT_ADMIN, Rule

CLASSIFIED: dict[str, Rule] = {
    "email-undelivered": TENANT_ADMIN,
    "email-retry": Rule("tenant", admin_only=True, ok_status=(405,)),
    # Django staff only: anyone else gets 404 (tests/notifications/test_undelivered.py).
    "operator-email-undelivered": LOGIN,
    "operator-email-retry": LOGIN,
}
