from __future__ import annotations

from typing import Any

from organisations.services import directory_import_stage
from tests.conftest import Cast
from tests.isolation_rules import LOGIN, PUBLIC, TENANT, TENANT_ADMIN, Rule, tenant_object


def _member_of_a(cast: Cast) -> dict[str, Any]:
    return {"member_id": cast.bob.pk}


def _staged_import_of_a(cast: Cast) -> dict[str, Any]:
    content = b"email,first_name,last_name\ncarol@a.test,Carol,Jones\n"
    import_id = directory_import_stage(
        organisation=cast.org_a, member=cast.alice, filename="people.csv", content=content
    )
    return {"import_id": import_id}


CLASSIFIED: dict[str, Rule] = {
    "home": PUBLIC,
    "organisation-list": LOGIN,
    "organisation-create": LOGIN,
    "organisation-home": TENANT,
    "organisation-security": TENANT_ADMIN,
    "member-list": TENANT_ADMIN,
    "member-detail": tenant_object(_member_of_a, admin_only=True),
    "member-edit": tenant_object(_member_of_a, admin_only=True),
    "member-role": tenant_object(_member_of_a, admin_only=True, ok_status=(405,)),
    "member-deactivate": tenant_object(_member_of_a, admin_only=True, ok_status=(405,)),
    "member-reactivate": tenant_object(_member_of_a, admin_only=True, ok_status=(405,)),
    "directory-export": TENANT_ADMIN,
    "directory-import": TENANT_ADMIN,
    "directory-import-preview": tenant_object(_staged_import_of_a, admin_only=True),
    "directory-import-apply": tenant_object(_staged_import_of_a, admin_only=True, ok_status=(405,)),
    "directory-import-errors": tenant_object(_staged_import_of_a, admin_only=True),
}
