from __future__ import annotations

from tests.isolation_rules import LOGIN, Rule

CLASSIFIED: dict[str, Rule] = {
    "account-security": LOGIN,
}
