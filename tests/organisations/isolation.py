from __future__ import annotations

from tests.isolation_rules import LOGIN, PUBLIC, TENANT, TENANT_ADMIN, Rule

CLASSIFIED: dict[str, Rule] = {
    "home": PUBLIC,
    "organisation-list": LOGIN,
    "organisation-create": LOGIN,
    "organisation-home": TENANT,
    "member-list": TENANT_ADMIN,
}
