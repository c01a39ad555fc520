from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safetext.neutralise import (
    FORMULA_STARTS,
    csv_cell,
    file_name,
    one_line,
    pdf_text,
    plain_text,
    xlsx_cell,
)


@pytest.mark.parametrize("value", ["=1+1", "+A1", "-A1", "@SUM(A1)", "\t=1", "\r=1", "＝1"])
def test_csv_cell_prefixes_formula_starts(value: str) -> None:
    assert csv_cell(value) == "'" + plain_text(value)


@pytest.mark.parametrize("value", ["-5", "+3.5", "-0,5", "12%", "42", ""])
def test_csv_cell_leaves_plain_numbers_alone(value: str) -> None:
    assert csv_cell(value) == value


@given(st.text())
def test_csv_cell_never_starts_a_formula(value: str) -> None:
    cell = csv_cell(value)
    assert not cell.startswith(FORMULA_STARTS) or cell.lstrip("+-").replace(".", "").isdigit()


def test_xlsx_cell_keeps_numbers_and_caps_text() -> None:
    assert xlsx_cell(3) == 3
    assert xlsx_cell(2.5) == 2.5
    assert xlsx_cell("=A1") == "'=A1"
    assert len(str(xlsx_cell("x" * 40_000))) == 32_767


def test_one_line_folds_breaks_and_drops_controls() -> None:
    assert one_line("a\r\nATTENDEE:x\x00\u2028b") == "a ATTENDEE:x b"
    assert one_line("x" * 50, max_length=10) == "x" * 9 + "…"


def test_pdf_text_escapes_markup() -> None:
    assert pdf_text('Q<img src="/etc/x"/> & co\nnext') == (
        "Q&lt;img src=&quot;/etc/x&quot;/&gt; &amp; co<br/>next"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Digital 2.0 for managers", "Digital 2.0 for managers"),
        ("../../etc/passwd", "etc-passwd"),
        ("Équipe: RH/Paris", "Équipe- RH-Paris"),
        ("report\u202efdp.exe", "reportfdp.exe"),
        ("...", "download"),
    ],
)
def test_file_name_is_safe_and_readable(value: str, expected: str) -> None:
    assert file_name(value) == expected


def test_file_name_caps_length() -> None:
    assert len(file_name("a" * 300)) == 120
