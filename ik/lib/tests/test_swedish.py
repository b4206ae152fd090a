from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ik.lib.swedish import (
    format_date_compact,
    format_date_long,
    format_decimal,
    format_measure,
    parse_decimal,
    sort_key,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8", "8"),
        ("8,5", "8.5"),
        ("8.5", "8.5"),
        (" 8,5 % ", "8.5"),
        ("1 234,50", "1234.50"),
        ("1\u00a0234,5", "1234.5"),
        ("-3", "-3"),
        ("\u22122,5", "-2.5"),
        (",5", "0.5"),
    ],
)
def test_parse_decimal_reads_what_swedes_type(text, expected):
    assert parse_decimal(text, allow_unit="%") == Decimal(expected)


@pytest.mark.parametrize("text", ["åtta", "8,5,1", "", "%", "8 %% ", "1e5", "NaN"])
def test_parse_decimal_refuses_words_with_a_swedish_message(text):
    with pytest.raises(ValueError, match="inte ett tal"):
        parse_decimal(text, allow_unit="%")


def test_percent_sign_is_refused_when_no_unit_is_allowed():
    with pytest.raises(ValueError):
        parse_decimal("8 %")


@given(st.decimals(-(10**9), 10**9, places=3, allow_nan=False, allow_infinity=False))
def test_formatted_numbers_read_back_unchanged(value):
    assert parse_decimal(format_decimal(value)) == value


def test_format_decimal_uses_comma_and_groups_thousands():
    assert format_decimal(Decimal("8.5000")) == "8,5"
    assert format_decimal(Decimal("8.0000")) == "8"
    assert format_decimal(1234567.5) == "1\u00a0234\u00a0567,5"
    assert format_decimal(Decimal("0.123"), places=1) == "0,1"
    assert format_measure(Decimal("8"), "%") == "8\u00a0%"
    assert format_measure(None, "%") == ""


def test_dates_in_prose_and_tables():
    day = date(2018, 8, 31)
    assert format_date_long(day) == "31 augusti 2018"
    assert format_date_compact(day) == "180831"
    assert format_date_long(None) == ""


def test_swedish_sorting_puts_a_ring_a_umlaut_o_umlaut_after_z():
    names = ["Östra", "Zeta", "Ärla", "Alfa", "Åsa"]
    assert sorted(names, key=sort_key) == ["Alfa", "Zeta", "Åsa", "Ärla", "Östra"]
