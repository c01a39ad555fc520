from __future__ import annotations

from tests.isolation_rules import PUBLIC, TENANT_ADMIN, Rule

CLASSIFIED: dict[str, Rule] = {
    "sso-settings": TENANT_ADMIN,
    "sso-test": Rule("tenant", admin_only=True, ok_status=(405,)),
    "sso-start": PUBLIC,
}
