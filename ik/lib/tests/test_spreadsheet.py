import io
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from ik.lib.spreadsheet import csv_cell, csv_row, is_formula_like, unguard, xlsx_row

ATTACKS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1", "-1 234,50"]


def test_formula_like_text_is_put_behind_an_apostrophe():
    assert csv_row(ATTACKS) == ["'" + a for a in ATTACKS]


def test_numbers_and_plain_text_stay_as_they_are():
    values = [-1234.5, -5, Decimal("-3.25"), "-5", "-1234,50", "+46", "8%", "Ekonomi", ""]
    assert csv_row(values) == values


def test_text_that_looks_guarded_already_reads_back_unchanged():
    assert unguard(csv_cell("'=1+1")) == "'=1+1"


@given(st.text())
def test_a_guarded_csv_cell_never_starts_a_formula_and_reads_back_unchanged(text):
    cell = csv_cell(text)
    assert not is_formula_like(cell)
    assert unguard(cell) == text


def test_xlsx_text_is_a_quote_prefixed_string_and_numbers_stay_numbers():
    workbook = Workbook()
    sheet = workbook.active
    xlsx_row(sheet, 1, [*ATTACKS, -1234.5, 7, "Text"])
    out = io.BytesIO()
    workbook.save(out)
    cells = list(load_workbook(io.BytesIO(out.getvalue())).active[1])
    for cell, attack in zip(cells, ATTACKS, strict=False):
        assert (cell.value, cell.data_type, cell.quotePrefix) == (attack, "s", True)
    assert [(c.value, c.data_type) for c in cells[-3:]] == [(-1234.5, "n"), (7, "n"), ("Text", "s")]
    assert not cells[-1].quotePrefix
