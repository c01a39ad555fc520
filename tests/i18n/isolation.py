from __future__ import annotations

from tests.isolation_rules import PUBLIC, Rule

CLASSIFIED: dict[str, Rule] = {
    # Django's set_language: stores the chosen language in a cookie; no organisation data.
    "set_language": PUBLIC,
}
