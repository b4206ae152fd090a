import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from ik.reports.swedish_format import (
    date_compact,
    date_iso,
    date_long,
    date_short,
    format_measure,
    format_number,
    genitive,
    join_swedish,
    swedish_sort_key,
)

CUTOFF = dt.date(2018, 8, 31)


def test_dates_are_written_in_prose_table_and_column_forms():
    assert date_long(CUTOFF) == "31 augusti 2018"
    assert date_short(CUTOFF) == "31 aug 2018"
    assert date_iso(CUTOFF) == "2018-08-31"
    assert date_compact(CUTOFF) == "180831"


def test_a_missing_date_is_blank_never_none():
    assert [date_long(None), date_short(None), date_iso(None), date_compact(None)] == [""] * 4


def test_numbers_use_decimal_comma_and_no_trailing_zeros():
    assert format_number(Decimal("8.5000")) == "8,5"
    assert format_number(Decimal("8.0000")) == "8"
    assert format_number(-0.25) == "-0,25"
    assert format_number(12345.5) == "12 345,5"
    assert format_number(1234) == "1234"
    assert format_number(None) == ""


def test_measures_put_a_space_before_the_unit():
    assert format_measure(Decimal(8), "%") == "8 %"
    assert format_measure(Decimal("8.5"), "%") == "8,5 %"
    assert format_measure(Decimal(3), "") == "3"


def test_genitive_adds_s_except_after_s_x_z():
    assert genitive("Kommunstyrelsens förvaltning") == "Kommunstyrelsens förvaltnings"
    assert genitive("Socialnämnden") == "Socialnämndens"
    assert genitive("Räddningstjänst Östergötlands") == "Räddningstjänst Östergötlands"


def test_swedish_sorting_puts_a_ring_a_umlaut_o_umlaut_after_z():
    words = ["Östra", "Ängen", "Zeta", "Åsen", "alfa", "Émile", "Öland"]
    assert sorted(words, key=swedish_sort_key) == [
        "alfa",
        "Émile",
        "Zeta",
        "Åsen",
        "Ängen",
        "Öland",
        "Östra",
    ]


def test_join_swedish_uses_och_before_the_last_part():
    assert join_swedish(["a"]) == "a"
    assert join_swedish(["a", "b", "c"]) == "a, b och c"


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_formatted_numbers_read_back_to_the_same_value(value):
    text = format_number(value)
    assert Decimal(text.replace(" ", "").replace(",", ".")) == value
