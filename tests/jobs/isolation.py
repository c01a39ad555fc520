from __future__ import annotations

from tests.isolation_rules import PUBLIC, Rule

CLASSIFIED: dict[str, Rule] = {
    # For load balancers: figures about the installation, none about any organisation.
    "healthz": PUBLIC,
}
