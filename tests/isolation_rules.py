"""Vocabulary of the URL classification used by tests/test_isolation.py.

Each app lists its URL names in `tests/<app>/isolation.py` as `CLASSIFIED = {name: Rule}`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.conftest import Cast


@dataclass(frozen=True)
class Rule:
    """How one URL pattern is protected.

    kind: "public", "login" (any logged-in person), "tenant" (a page of an organisation),
    "tenant-object" (a page of one object of an organisation).
    admin_only: plain members get 403.
    build: for tenant-object pages, creates an object of org A (the cast's) and returns the
    URL kwargs other than org_slug.
    ok_status: what alice (admin of A) gets on GET; 405 for POST-only views, 302 for actions
    that redirect.
    """

    kind: str
    admin_only: bool = False
    build: Callable[[Cast], dict[str, Any]] | None = None
    ok_status: tuple[int, ...] = (200,)


PUBLIC = Rule("public")
LOGIN = Rule("login")
TENANT = Rule("tenant")
TENANT_ADMIN = Rule("tenant", admin_only=True)


def tenant_object(
    build: Callable[[Cast], dict[str, Any]],
    *,
    admin_only: bool = False,
    ok_status: tuple[int, ...] = (200,),
) -> Rule:
    """Classify a page of one tenant object built by `build`."""
    return Rule("tenant-object", admin_only=admin_only, build=build, ok_status=ok_status)
