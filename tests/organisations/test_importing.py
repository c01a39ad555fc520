"""The CSV parser and validator of the directory import (pure: no database)."""

from __future__ import annotations

import io
import uuid
from typing import Any

import pytest

from organisations.importing import (
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    ExistingMember,
    ImportPlan,
    export_lines,
    language_code,
    parse_directory,
    parse_languages,
    plan_import,
)
from tests.factories.organisations import HEADER, directory_csv, person


def existing(email: str, **fields: Any) -> ExistingMember:
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "email": email,
        "first_name": "Ann",
        "last_name": "Lee",
        "department": "Finance",
        "team": "Controlling",
        "location": "Paris",
        "timezone": "Europe/Paris",
        "languages": ("fr", "en"),
        "external_id": "",
        "manager_id": None,
        "is_active": True,
    }
    values.update(fields)
    return ExistingMember(**values)


def plan(content: bytes, members: list[ExistingMember] | None = None, **kwargs: Any) -> ImportPlan:
    return plan_import(
        parse_directory(content),
        existing=members or [],
        default_timezone="Europe/Paris",
        **kwargs,
    )


def errors_of(result: ImportPlan) -> list[tuple[int, str, str]]:
    return [(error.line, error.field, error.code) for error in result.errors]


@pytest.mark.parametrize(
    "header",
    [
        ["email", "first_name", "last_name"],
        ["Email", "First name", "Last name"],
        ["E-mail", "firstname", "LASTNAME"],
        ["Email address", "Given name", "Surname"],
        ["Courriel", "Prénom", "Nom"],
    ],
)
def test_parser_accepts_common_header_spellings(header: list[str]) -> None:
    parsed = parse_directory(directory_csv([["a@x.test", "Ann", "Lee"]], header=header))
    assert parsed.columns == ("email", "first_name", "last_name")
    assert parsed.rows[0].cells == {"email": "a@x.test", "first_name": "Ann", "last_name": "Lee"}


def test_parser_reads_utf8_with_bom_and_semicolons() -> None:
    content = directory_csv([person("a@x.test", "Zoé", "Müller")], delimiter=";", bom=True)
    parsed = parse_directory(content)
    assert parsed.delimiter == ";"
    assert parsed.columns == HEADER
    assert parsed.rows[0].cells["first_name"] == "Zoé"
    assert parsed.rows[0].cells["last_name"] == "Müller"


def test_parser_reads_tab_separated_utf16_from_spreadsheets() -> None:
    text = "email\tfirst_name\tlast_name\r\na@x.test\tAnn\tLee\r\n"
    parsed = parse_directory(text.encode("utf-16"))
    assert parsed.delimiter == "\t"
    assert parsed.rows[0].cells["email"] == "a@x.test"


def test_parser_reads_a_windows_1252_export_and_names_its_encoding() -> None:
    content = "email;prénom;nom;équipe\na@x.test;Zoé;Lefèvre;Coûts & bénéfices\n".encode("cp1252")
    parsed = parse_directory(content)
    assert parsed.is_readable, parsed.errors
    assert parsed.encoding == "Windows-1252"
    assert parsed.rows[0].cells["last_name"] == "Lefèvre"


def test_parser_names_utf8_and_utf16() -> None:
    text = "email,first_name,last_name\na@x.test,Zoé,Lee\n"
    assert parse_directory(text.encode()).encoding == "UTF-8"
    assert parse_directory(text.encode("utf-16")).encoding == "UTF-16"


def test_parser_reads_the_first_sheet_of_an_xlsx_workbook() -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Email", "First name", "Last name", "Department"])
    sheet.append(["a@x.test", "Zoé", "Lee", "Finance"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    parsed = parse_directory(buffer.getvalue())
    assert parsed.is_readable, parsed.errors
    assert parsed.encoding == "Excel (.xlsx)"
    assert parsed.rows[0].cells["first_name"] == "Zoé"
    assert parsed.rows[0].cells["department"] == "Finance"


def test_parser_refuses_an_unreadable_file_and_says_which_formats_work() -> None:
    parsed = parse_directory(b"\x81\x8d\x8f\x90\x9d" * 40 + b"\x00")
    assert not parsed.is_readable
    message = parsed.errors[0].message
    assert "UTF-8, UTF-16 or Windows-1252" in message and ".xlsx" in message


def test_parser_refuses_a_file_without_email_column() -> None:
    parsed = parse_directory(b"name,team\nAnn,Finance\n")
    assert not parsed.is_readable
    assert "Email" in parsed.errors[0].message


def test_parser_refuses_an_empty_file() -> None:
    parsed = parse_directory(b"\n\n")
    assert not parsed.is_readable
    assert parsed.errors[0].message == "The file is empty."


def test_parser_refuses_a_file_over_the_size_limit() -> None:
    parsed = parse_directory(b"email,first_name,last_name\n" + b" " * MAX_UPLOAD_BYTES)
    assert not parsed.is_readable
    assert "larger than 5 MB" in parsed.errors[0].message


def test_parser_refuses_a_file_over_the_row_limit() -> None:
    rows = "".join(f"p{n}@x.test,A,B\n" for n in range(MAX_ROWS + 1))
    parsed = parse_directory(("email,first_name,last_name\n" + rows).encode())
    assert not parsed.is_readable
    assert "more than 50,000 rows" in parsed.errors[0].message


def test_parser_warns_about_ignored_columns() -> None:
    parsed = parse_directory(b"email,first_name,last_name,Shoe size\na@x.test,A,B,42\n")
    assert parsed.warnings == ["Columns ignored: Shoe size."]


def test_parser_refuses_two_columns_for_one_field() -> None:
    parsed = parse_directory(b"email,e-mail,first_name,last_name\na@x.test,b@x.test,A,B\n")
    assert [(e.line, e.field, e.code) for e in parsed.errors] == [(1, "email", "file")]


def test_parser_reports_rows_with_missing_cells_by_line() -> None:
    content = directory_csv([person("a@x.test"), ["b@x.test", "Bo", "Lee"]])
    result = plan(content)
    assert errors_of(result) == [(3, "", "cell_count")]


def test_parser_line_numbers_count_quoted_newlines() -> None:
    content = directory_csv([person("a@x.test", department="Multi\nline"), person("bad")])
    # The line break itself is refused (a department is one line), on the record's first line.
    assert errors_of(plan(content)) == [
        (2, "department", "control_characters"),
        (4, "email", "invalid_email"),
    ]


@pytest.mark.parametrize(
    ("cell", "codes"),
    [
        ("fr;en", ["fr", "en"]),
        ("fr|en|de", ["fr", "en", "de"]),
        ("fr, en", ["fr", "en"]),
        ("French, German", ["fr", "de"]),
        ("français|Español", ["fr", "es"]),
        ("en-GB; fr_FR", ["en", "fr"]),
        ("FR;fr;en", ["fr", "en"]),
        ("en fr", ["en", "fr"]),
        ("", []),
    ],
)
def test_languages_accept_codes_names_and_separators(cell: str, codes: list[str]) -> None:
    assert parse_languages(cell) == (codes, [])


def test_languages_report_unknown_tokens() -> None:
    assert parse_languages("fr;xx;Klingon") == (["fr"], ["xx", "Klingon"])


def test_language_code_refuses_three_letter_codes() -> None:
    assert language_code("fra") is None


def test_languages_cell_inside_comma_file_needs_quotes() -> None:
    content = b'email,first_name,last_name,languages\na@x.test,A,B,"fr,en"\n'
    result = plan(content)
    assert result.creates[0].values["languages"] == ["fr", "en"]


def test_plan_reports_unknown_language_with_line_and_field() -> None:
    result = plan(directory_csv([person("a@x.test", languages="fr;Elvish")]))
    assert errors_of(result) == [(2, "languages", "invalid_language")]
    assert "Elvish" in result.errors[0].message


def test_plan_reports_bad_email() -> None:
    result = plan(directory_csv([person("a@x.test"), person("not-an-email")]))
    assert errors_of(result) == [(3, "email", "invalid_email")]
    assert result.errors[0].value == "not-an-email"


def test_plan_reports_unknown_timezone_and_accepts_lowercase() -> None:
    result = plan(
        directory_csv(
            [
                person("a@x.test", timezone="europe/london"),
                person("b@x.test", timezone="Mars/Olympus"),
            ]
        )
    )
    assert errors_of(result) == [(3, "timezone", "unknown_timezone")]
    assert [row.values["timezone"] for row in result.creates] == ["Europe/London"]
    assert not result.is_valid
    assert result.error_line_count == 1


def test_plan_empty_timezone_means_organisation_timezone() -> None:
    result = plan(directory_csv([person("a@x.test", timezone="")]))
    assert result.creates[0].values["timezone"] == "Europe/Paris"


def test_plan_reports_duplicate_email_case_insensitively() -> None:
    result = plan(directory_csv([person("ann@x.test"), person("b@x.test"), person("ANN@X.test")]))
    assert errors_of(result) == [(4, "email", "duplicate_email")]
    assert result.errors[0].message == "Already on line 2."


def test_plan_reports_unknown_manager() -> None:
    result = plan(directory_csv([person("a@x.test", manager_email="ghost@x.test")]))
    assert errors_of(result) == [(2, "manager_email", "unknown_manager")]
    assert "ghost@x.test is neither in the file nor in the directory" in result.errors[0].message


def test_plan_accepts_manager_later_in_file_or_in_directory() -> None:
    boss = existing("boss@x.test")
    content = directory_csv(
        [
            person("a@x.test", manager_email="b@x.test"),
            person("b@x.test", manager_email="BOSS@x.test"),
        ]
    )
    result = plan(content, [boss])
    assert result.errors == []
    managers = {row.key: row.values["manager_key"] for row in result.creates}
    assert managers == {"a@x.test": "b@x.test", "b@x.test": "boss@x.test"}


def test_plan_reports_two_person_cycle_on_both_lines() -> None:
    content = directory_csv(
        [person("a@x.test", manager_email="b@x.test"), person("b@x.test", manager_email="a@x.test")]
    )
    result = plan(content)
    assert errors_of(result) == [
        (2, "manager_email", "manager_cycle"),
        (3, "manager_email", "manager_cycle"),
    ]
    assert result.errors[0].message == "Manager cycle: a@x.test → b@x.test → a@x.test."


def test_plan_reports_long_cycle_and_spares_people_below_it() -> None:
    rows = [person(f"p{n}@x.test", manager_email=f"p{(n + 1) % 4}@x.test") for n in range(4)]
    rows.append(person("below@x.test", manager_email="p0@x.test"))
    result = plan(directory_csv(rows))
    assert [e.line for e in result.errors] == [2, 3, 4, 5]
    assert {e.code for e in result.errors} == {"manager_cycle"}


def test_plan_reports_self_management() -> None:
    result = plan(directory_csv([person("a@x.test", manager_email="A@x.test")]))
    assert errors_of(result) == [(2, "manager_email", "manager_cycle")]
    assert result.errors[0].message == "A person cannot be their own manager."


def test_plan_reports_cycle_through_the_existing_directory() -> None:
    # In the directory, b reports to a; the file makes a report to b.
    a = existing("a@x.test")
    b = existing("b@x.test", manager_id=a.id)
    result = plan(directory_csv([person("a@x.test", manager_email="b@x.test")]), [a, b])
    assert errors_of(result) == [(2, "manager_email", "manager_cycle")]


def test_plan_no_cycle_when_the_file_also_moves_the_other_person() -> None:
    a = existing("a@x.test")
    b = existing("b@x.test", manager_id=a.id)
    content = directory_csv(
        [person("a@x.test", manager_email="b@x.test"), person("b@x.test", manager_email="")]
    )
    assert plan(content, [a, b]).errors == []


def test_plan_classifies_create_update_and_unchanged_with_changes() -> None:
    same = existing("same@x.test")
    moved = existing("moved@x.test")
    content = directory_csv(
        [person("same@x.test"), person("moved@x.test", team="Treasury"), person("new@x.test")]
    )
    result = plan(content, [same, moved])
    assert [row.key for row in result.creates] == ["new@x.test"]
    assert [(c.field, c.old, c.new) for c in result.updates[0].changes] == [
        ("team", "Controlling", "Treasury")
    ]
    assert result.unchanged == 1


def test_plan_email_case_change_alone_is_unchanged() -> None:
    result = plan(directory_csv([person("SAME@X.test")]), [existing("same@x.test")])
    assert result.unchanged == 1


def test_plan_empty_cell_clears_but_missing_column_keeps() -> None:
    member = existing("a@x.test", location="Paris")
    cleared = plan(directory_csv([person("a@x.test", location="")]), [member])
    assert [(c.field, c.new) for c in cleared.updates[0].changes] == [("location", "")]
    kept = plan(directory_csv([["a@x.test", "Ann", "Lee"]], header=HEADER[:3]), [member])
    assert kept.unchanged == 1


def test_plan_reactivates_someone_who_is_back_in_the_file() -> None:
    result = plan(directory_csv([person("a@x.test")]), [existing("a@x.test", is_active=False)])
    assert [c.field for c in result.updates[0].changes] == ["is_active"]


def test_plan_lists_people_missing_from_the_file_except_protected() -> None:
    admin = existing("admin@x.test")
    gone = existing("gone@x.test")
    left = existing("left@x.test", is_active=False)
    result = plan(
        directory_csv([person("a@x.test")]), [admin, gone, left], protected_ids=[admin.id]
    )
    assert [member.email for member in result.deactivations] == ["gone@x.test"]


def test_plan_external_id_follows_an_email_change() -> None:
    member = existing("old@x.test", external_id="E1")
    report = existing("report@x.test", manager_id=member.id)
    result = plan(directory_csv([person("new@x.test", external_id="E1")]), [member, report])
    assert result.errors == []
    assert result.creates == []
    assert [(c.field, c.old, c.new) for c in result.updates[0].changes] == [
        ("email", "old@x.test", "new@x.test")
    ]


def test_plan_refuses_external_id_and_email_of_two_people() -> None:
    one = existing("one@x.test", external_id="E1")
    two = existing("two@x.test", external_id="E2")
    result = plan(directory_csv([person("two@x.test", external_id="E1")]), [one, two])
    assert errors_of(result) == [(2, "email", "identity_conflict")]


def test_plan_fingerprint_changes_with_the_directory() -> None:
    content = directory_csv([person("a@x.test")])
    assert plan(content).fingerprint == plan(content).fingerprint
    assert plan(content).fingerprint != plan(content, [existing("b@x.test")]).fingerprint


def test_plan_error_groups_count_by_kind() -> None:
    content = directory_csv([person("bad"), person("worse"), person("c@x.test", timezone="Nope")])
    assert plan(content).error_groups() == [
        ("invalid_email", "Invalid email address", 2),
        ("unknown_timezone", "Unknown timezone", 1),
    ]


def test_export_round_trips_through_the_parser() -> None:
    rows = [
        ("a@x.test", "=cmd", "Lee", "R&D", "", "Paris", "Europe/Paris", ["fr", "en"], None, "E1"),
    ]
    content = "".join(export_lines(rows)).encode()
    assert content.startswith("\ufeff".encode())
    assert "'=cmd" in content.decode()
    parsed = parse_directory(content)
    assert parsed.rows[0].cells["first_name"] == "=cmd"
    assert parse_languages(parsed.rows[0].cells["languages"]) == (["fr", "en"], [])
