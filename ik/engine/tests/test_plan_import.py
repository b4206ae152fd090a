"""Reading plans from Excel, CSV and Word files as municipalities make them. No database."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ik.engine.errors import InputError
from ik.engine.plan_import import (
    DIRECT_ACTION,
    PLAN_HEADERS,
    PLAN_SPEC,
    read_plan,
    refuse_problems,
)
from ik.engine.tables import Grid, read_grids
from ik.engine.tests.plan_files import (
    HEADER,
    ROWS,
    municipal_csv,
    municipal_docx,
    municipal_xlsx,
)


def test_a_workbook_with_title_rows_and_merged_cells_is_read_from_its_plan_sheet():
    plan = read_plan(read_grids(municipal_xlsx(), "plan.xlsx"))
    assert plan.table.where == "bladet ”IK-plan 2019”"
    assert plan.table.header_row == 4
    assert plan.mapped_headers()["frequency"] == "Tidpunkt/ frekvens"
    assert plan.mapped_headers()["purpose"] == "Syfte med granskningen"
    assert [r.code for r in plan.rows] == ["Å1", "V1", "V2"]
    first, second, third = plan.rows
    assert first.kind == DIRECT_ACTION
    assert (first.row, first.unit, first.owner) == (6, "Miljö", "Miljöchef")
    assert second.kind == "control"
    assert (second.scope, second.frequency) == ("Livsmedel 2019", "2 gånger per år")
    assert third.process == "Tillsyn"  # carried down from the merged process cell
    assert plan.problems == ()


def test_a_semicolon_separated_windows_1252_file_with_a_title_row():
    plan = read_plan(read_grids(municipal_csv(), "plan.csv"))
    assert plan.table.header_row == 3
    assert [(r.code, r.process, r.question, r.owner) for r in plan.rows] == [
        ("V1", "Inköp", "Följs avtalen?", "Inköpschef"),
        ("V2", "Inköp", "Attesteras fakturor?", "Ekonom"),
    ]


def test_a_word_document_is_read_from_its_first_table_with_plan_headers():
    plan = read_plan(read_grids(municipal_docx(), "plan.docx"))
    assert plan.table.where == "tabell 2 i plan.docx"
    assert plan.mapped_headers()["question"] == "Kontrollmoment"  # not Risk
    assert [(r.process, r.question) for r in plan.rows] == [
        ("Ekonomi", "Stämmer utbetalningarna?"),
        ("Ekonomi", "Finns jävsdeklarationer?"),
    ]


def test_a_row_without_kontrollmoment_is_named_by_row_and_column():
    rows = (*ROWS, ("V3", "Tillsyn", "", "Säkra", "", "", "Chef", "", ""))
    plan = read_plan(read_grids(municipal_xlsx(rows), "plan.xlsx"))
    with pytest.raises(InputError) as caught:
        refuse_problems(plan)
    assert caught.value.row == 10
    assert caught.value.column == "C (”Kontrollmoment”)"
    assert "Kontrollmoment saknas" in str(caught.value)


def test_a_file_without_a_kontrollmoment_column_is_refused_naming_the_column():
    header = tuple("Vad" if h == "Kontrollmoment" else h for h in HEADER)
    with pytest.raises(InputError) as caught:
        read_plan(read_grids(municipal_xlsx(header=header), "plan.xlsx"))
    assert "Kontrollmoment" in str(caught.value)


def test_map_names_a_column_the_synonyms_miss():
    header = tuple("Vad" if h == "Kontrollmoment" else h for h in HEADER)
    grids = read_grids(municipal_xlsx(header=header), "plan.xlsx")
    plan = read_plan(grids, overrides={"question": "vad"})
    assert plan.rows[0].question == "Inför rutin för delegationsbeslut"
    with pytest.raises(InputError, match="Okänt fält"):
        read_plan(grids, overrides={"fråga": "Vad"})
    with pytest.raises(InputError, match="”Saknas”"):
        read_plan(grids, overrides={"question": "Vad", "method": "Saknas"})


def test_header_row_says_where_the_header_is():
    grids = read_grids(municipal_xlsx(), "plan.xlsx", sheet="IK-plan 2019")
    assert read_plan(grids, header_row=4).table.header_row == 4
    with pytest.raises(InputError) as caught:
        read_plan(grids, header_row=2)
    assert caught.value.row == 2


def test_unknown_sheet_names_the_sheets_there_are():
    with pytest.raises(InputError, match="”IK-plan 2019”"):
        read_grids(municipal_xlsx(), "plan.xlsx", sheet="Plan")


def test_bad_values_are_listed_per_row():
    header = (*HEADER, "Mål", "Riktning")
    blank = ("",) * 3
    rows = (
        ("1", "P", "Q1", *blank, "O", "", "", "fem", "högst"),
        ("2", "P", "Q2", *blank, "O", "", "", "5,5", "lagom"),
    )
    plan = read_plan(read_grids(municipal_xlsx(rows, header), "plan.xlsx"))
    assert [(p.row, p.column) for p in plan.problems] == [(5, "J (”Mål”)"), (6, "K (”Riktning”)")]
    assert plan.rows[1].target == Decimal("5.5")


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"%PDF-1.7 ...", "plan.pdf", "PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "plan.doc", ".docx"),
        (b"   \n", "plan.csv", "tom"),
        (b"PK\x03\x04garbage", "plan.xlsx", "zip"),
    ],
)
def test_unreadable_files_are_refused_in_swedish(data, name, words):
    with pytest.raises(InputError, match=words):
        read_grids(data, name)


def test_a_word_file_that_unpacks_beyond_the_limit_is_refused_before_reading():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/document.xml", b"<w:document/>" + b" " * (65 * 1024 * 1024))
    with pytest.raises(InputError, match="packas upp"):
        read_grids(out.getvalue(), "plan.docx")


# --- header matching ------------------------------------------------------------------------

_VARIANTS = st.sampled_from([str.upper, str.lower, str.title, lambda s: s])


def _spelled(name: str, case, spaces: str) -> str:
    return case(name).replace(" ", spaces).replace("/", f"{spaces}/{spaces}")


@given(
    field=st.sampled_from(sorted(PLAN_HEADERS)),
    pick=st.integers(min_value=0),
    case=_VARIANTS,
    spaces=st.sampled_from([" ", "  ", "_", "-"]),
)
def test_every_known_name_is_found_whatever_its_case_and_spacing(field, pick, case, spaces):
    names = PLAN_HEADERS[field]
    header = _spelled(names[pick % len(names)], case, spaces)
    assert PLAN_SPEC.match(["Övrigt", header, "Uppföljning 180831"]).get(field) == 1


@given(st.permutations([names[0] for names in PLAN_HEADERS.values()]))
def test_ik_own_headers_map_one_to_one_in_any_order(headers):
    found = PLAN_SPEC.match(headers)
    assert set(found) == set(PLAN_HEADERS)
    assert sorted(found.values()) == list(range(len(headers)))
    assert all(headers[i] == PLAN_HEADERS[f][0] for f, i in found.items())


@given(st.lists(st.text(max_size=30), max_size=12))
def test_no_column_serves_two_fields(headers):
    found = PLAN_SPEC.match(headers)
    assert len(set(found.values())) == len(found)
    assert all(0 <= i < len(headers) for i in found.values())


@given(st.lists(st.sampled_from(["", "Plan 2019", "Miljönämnden", "Antagen"]), max_size=5))
def test_title_rows_above_the_header_are_passed_over(titles):
    rows = (*((t,) for t in titles), ("Process", "Kontrollmoment"), ("Inköp", "Följs avtalen?"))
    plan = read_plan([Grid("bladet P", rows, spreadsheet=True)])
    assert plan.table.header_row == len(titles) + 1
    assert [r.question for r in plan.rows] == ["Följs avtalen?"]
