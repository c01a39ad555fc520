"""Validating parsed rows against the existing directory and planning the changes."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.core.validators import EmailValidator
from django.utils.translation import gettext as _

from organisations.importing.cells import clean_row
from organisations.importing.parsing import ParsedFile, ParsedRow, RowError
from organisations.importing.vocabulary import (
    COLUMNS,
    ERROR_LABELS,
    FIELD_LABELS,
)

_validate_email = EmailValidator()


@dataclass(frozen=True)
class ExistingMember:
    """What the importer needs to know of one person already in the directory."""

    id: UUID
    email: str
    first_name: str
    last_name: str
    department: str
    team: str
    location: str
    timezone: str
    languages: tuple[str, ...]
    external_id: str
    manager_id: UUID | None
    is_active: bool

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str

    @property
    def field_label(self) -> str:
        return str(FIELD_LABELS.get(self.field, self.field))


@dataclass
class PlannedRow:
    """A valid row and what applying it does; `values` hold the columns present in the file."""

    line: int
    key: str  # lowercase email in the resulting directory
    values: dict[str, Any]
    member_id: UUID | None = None
    changes: tuple[Change, ...] = ()

    @property
    def full_name(self) -> str:
        return f"{self.values.get('first_name', '')} {self.values.get('last_name', '')}".strip()


@dataclass
class ImportPlan:
    columns: tuple[str, ...]
    errors: list[RowError]
    warnings: list[str]
    creates: list[PlannedRow]
    updates: list[PlannedRow]
    unchanged: int
    deactivations: list[ExistingMember]
    row_count: int
    fingerprint: str
    # Final lowercase email → id of the existing member it designates after the import.
    existing_ids: dict[str, UUID]
    is_readable: bool = True
    encoding: str = ""

    @property
    def is_valid(self) -> bool:
        return self.is_readable and not self.errors

    @property
    def error_line_count(self) -> int:
        return len({error.line for error in self.errors})

    def error_groups(self) -> list[tuple[str, str, int]]:
        """Return (code, label, count) of the errors, most frequent first."""
        counts = Counter(error.code for error in self.errors)
        return [(code, str(ERROR_LABELS.get(code, code)), n) for code, n in counts.most_common()]


def _find_cycles(manager_of: dict[str, str | None]) -> list[list[str]]:
    """Return every cycle of the manager graph; each node is walked once (iterative colouring)."""
    state: dict[str, int] = {}  # absent: unvisited, 1: on the current walk, 2: done
    cycles: list[list[str]] = []
    for start in manager_of:
        if start in state:
            continue
        path: list[str] = []
        position: dict[str, int] = {}
        node: str | None = start
        while node is not None and node not in state:
            state[node] = 1
            position[node] = len(path)
            path.append(node)
            node = manager_of.get(node)
        if node is not None and state.get(node) == 1:
            cycles.append(path[position[node] :])
        for visited in path:
            state[visited] = 2
    return cycles


def _describe_cycle(cycle: list[str], start: str) -> str:
    at = cycle.index(start)
    ordered = cycle[at:] + cycle[:at]
    shown = ordered if len(ordered) <= 6 else [*ordered[:5], "…"]
    return " → ".join([*shown, start])


def _display(name: str, value: Any) -> str:
    if name == "languages":
        return ", ".join(value)
    if name == "is_active":
        return _("yes") if value else _("no")
    return "" if value is None else str(value)


def plan_import(
    parsed: ParsedFile,
    *,
    existing: Sequence[ExistingMember],
    default_timezone: str,
    protected_ids: Iterable[UUID] = (),
) -> ImportPlan:
    """Validate every row against the file and the existing directory; return what applying does."""
    planner = _Planner(parsed, existing, default_timezone)
    if parsed.is_readable:
        planner.read_rows()
        planner.check_managers()
    return planner.plan(protected=set(protected_ids))


class _Planner:
    """The three passes of `plan_import` and the indexes they share (all dicts: O(rows))."""

    def __init__(
        self, parsed: ParsedFile, existing: Sequence[ExistingMember], default_timezone: str
    ) -> None:
        self.parsed = parsed
        self.columns = parsed.columns
        self.existing = existing
        self.default_timezone = default_timezone
        self.errors = list(parsed.errors)
        self.by_email = {member.email.lower(): member for member in existing}
        self.by_id = {member.id: member for member in existing}
        self.by_external: dict[str, list[ExistingMember]] = {}
        for member in existing:
            if member.external_id:
                self.by_external.setdefault(member.external_id, []).append(member)
        self.rows: list[tuple[ParsedRow, dict[str, Any], ExistingMember | None]] = []
        self.bad_lines: set[int] = set()
        self.first_line_of_email: dict[str, int] = {}
        self.first_line_of_external: dict[str, int] = {}
        self.claimed_by: dict[UUID, int] = {}  # existing member → the line that updates it
        # Existing member → lowercase email after the import (differs when the file renames).
        self.final_key = {member.id: member.email.lower() for member in existing}
        self.manager_of: dict[str, str | None] = {}

    def _add(self, errors: list[RowError]) -> None:
        for error in errors:
            self.bad_lines.add(error.line)
        self.errors.extend(errors)

    def read_rows(self) -> None:
        """Pass 1: cells, repeated emails and ids, and which existing person each row designates."""
        for row in self.parsed.rows:
            values, errors = clean_row(row, self.columns, self.default_timezone)
            email = values.get("email")
            if email is not None and email in self.first_line_of_email:
                first = self.first_line_of_email[email]
                message = _("Already on line %(line)s.") % {"line": first}
                errors.append(
                    RowError(
                        row.line, "email", "duplicate_email", message, row.cells["email"][:200]
                    )
                )
                email = None
            elif email is not None:
                self.first_line_of_email[email] = row.line
            external = values.get("external_id", "")
            if external and external in self.first_line_of_external:
                first = self.first_line_of_external[external]
                message = _("Already on line %(line)s.") % {"line": first}
                errors.append(
                    RowError(row.line, "external_id", "duplicate_external_id", message, external)
                )
            elif external:
                self.first_line_of_external[external] = row.line
            target = self._designate(row, email, external, errors) if email else None
            self._add(errors)
            self.rows.append((row, values, target))
        for _row, values, target in self.rows:
            if target is not None and values["email"] != target.email.lower():
                self.final_key[target.id] = values["email"]

    def _designate(
        self, row: ParsedRow, email: str, external: str, errors: list[RowError]
    ) -> ExistingMember | None:
        target, conflict = _match(email, external, self.by_email, self.by_external)
        if conflict:
            errors.append(RowError(row.line, conflict[0], "identity_conflict", *conflict[1:]))
            return None
        if target is not None and target.id in self.claimed_by:
            message = _("Line %(line)s already updates this person.") % {
                "line": self.claimed_by[target.id]
            }
            errors.append(RowError(row.line, "email", "identity_conflict", message, email))
            return None
        if target is not None:
            self.claimed_by[target.id] = row.line
        return target

    def _existing_manager(self, member: ExistingMember) -> str | None:
        if member.manager_id is None or member.manager_id not in self.by_id:
            return None
        return self.final_key[member.manager_id]

    def check_managers(self) -> None:
        """Pass 2: managers exist in the file or the directory, and form no cycle."""
        keys = {k for m_id, k in self.final_key.items() if m_id not in self.claimed_by}
        keys.update(values["email"] for _row, values, _t in self.rows if values.get("email"))
        renamed = {
            target.email.lower(): self.final_key[target.id]
            for _row, _values, target in self.rows
            if target is not None and self.final_key[target.id] != target.email.lower()
        }
        for member in self.existing:
            if member.id not in self.claimed_by:
                self.manager_of[self.final_key[member.id]] = self._existing_manager(member)
        row_of_key: dict[str, int] = {}
        for row, values, target in self.rows:
            email = values.get("email")
            if email is None:
                continue
            manager = values.get("manager_email")
            if "manager_email" not in self.columns:
                manager = self._existing_manager(target) if target else None
            elif manager is not None and manager not in keys:
                message = (
                    _("This person’s email changes to %(new)s in this file.")
                    % {"new": renamed[manager]}
                    if manager in renamed
                    else _("%(email)s is neither in the file nor in the directory.")
                    % {"email": manager}
                )
                self._add(
                    [RowError(row.line, "manager_email", "unknown_manager", message, manager[:200])]
                )
                manager = None
            if self.first_line_of_email[email] == row.line:  # a repeated email is no new node
                row_of_key[email] = row.line
                self.manager_of[email] = manager
        for cycle in _find_cycles(self.manager_of):
            for key in cycle:
                line = row_of_key.get(key)
                if line is None:
                    continue  # a cycle already in the directory, not introduced by this file
                message = (
                    _("A person cannot be their own manager.")
                    if len(cycle) == 1
                    else _("Manager cycle: %(cycle)s.") % {"cycle": _describe_cycle(cycle, key)}
                )
                value = self.manager_of[key] or ""
                self._add([RowError(line, "manager_email", "manager_cycle", message, value)])

    def plan(self, *, protected: set[UUID]) -> ImportPlan:
        """Pass 3: what applying each valid row changes, and who is not in the file."""
        creates: list[PlannedRow] = []
        updates: list[PlannedRow] = []
        unchanged = 0
        for row, values, target in self.rows:
            if row.line in self.bad_lines:
                continue
            email = values["email"]
            planned = {k: v for k, v in values.items() if k != "manager_email"}
            if "manager_email" in self.columns:
                planned["manager_key"] = self.manager_of[email]
            if target is None:
                planned.setdefault("timezone", self.default_timezone)
                creates.append(PlannedRow(row.line, email, planned))
            elif changes := self._changes(target, values):
                updates.append(PlannedRow(row.line, email, planned, target.id, changes))
            else:
                unchanged += 1
        deactivations = [
            member
            for member in self.existing
            if member.is_active and member.id not in self.claimed_by and member.id not in protected
        ]
        order = {name: index for index, name in enumerate(COLUMNS)}
        self.errors.sort(key=lambda e: (e.line, order.get(e.field, -1)))
        return ImportPlan(
            columns=self.columns,
            errors=self.errors,
            warnings=list(self.parsed.warnings),
            creates=creates,
            updates=updates,
            unchanged=unchanged,
            deactivations=deactivations,
            row_count=len(self.parsed.rows),
            fingerprint=_fingerprint(creates, updates, deactivations),
            existing_ids={key: member_id for member_id, key in self.final_key.items()},
            is_readable=self.parsed.is_readable,
            encoding=self.parsed.encoding,
        )

    def _changes(self, target: ExistingMember, values: dict[str, Any]) -> tuple[Change, ...]:
        columns = self.columns
        changes: list[Change] = []
        if values["email"] != target.email.lower():
            changes.append(Change("email", target.email, values["email"]))
        for name in ("first_name", "last_name", "department", "team", "location", "timezone"):
            if name in columns and values[name] != getattr(target, name):
                changes.append(Change(name, getattr(target, name), values[name]))
        if "languages" in columns and tuple(values["languages"]) != target.languages:
            old, new = target.languages, values["languages"]
            changes.append(
                Change("languages", _display("languages", old), _display("languages", new))
            )
        if "manager_email" in columns:
            old_manager = self._existing_manager(target)
            new_manager = self.manager_of[values["email"]]
            if old_manager != new_manager:
                changes.append(Change("manager_email", old_manager or "", new_manager or ""))
        if "external_id" in columns and values["external_id"] != target.external_id:
            changes.append(Change("external_id", target.external_id, values["external_id"]))
        if not target.is_active:
            no, yes = _display("is_active", False), _display("is_active", True)
            changes.append(Change("is_active", no, yes))
        return tuple(changes)


def _match(
    email: str,
    external: str,
    by_email: dict[str, ExistingMember],
    by_external: dict[str, list[ExistingMember]],
) -> tuple[ExistingMember | None, tuple[str, str, str] | None]:
    """Designate the existing person of a row: by external id first (emails change), then email."""
    same_external = by_external.get(external, []) if external else []
    if len(same_external) > 1:
        return None, (
            "external_id",
            _("Several people in the directory have this external id."),
            external,
        )
    if same_external:
        target = same_external[0]
        other = by_email.get(email)
        if other is not None and other.id != target.id:
            return None, (
                "email",
                _("This email belongs to %(other)s, but the external id to %(target)s.")
                % {"other": other.email, "target": target.email},
                email,
            )
        return target, None
    return by_email.get(email), None


def _fingerprint(
    creates: list[PlannedRow], updates: list[PlannedRow], deactivations: list[ExistingMember]
) -> str:
    """Digest of what applying would do: apply refuses when it no longer matches the preview."""
    payload = {
        "create": [[row.key, sorted(row.values.items())] for row in creates],
        "update": [
            [str(row.member_id), [(c.field, c.old, c.new) for c in row.changes]] for row in updates
        ],
        "deactivate": sorted(str(member.id) for member in deactivations),
    }
    encoded = json.dumps(payload, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()[:32]
