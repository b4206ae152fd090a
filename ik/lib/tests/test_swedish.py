from datetime import date
from decimal import Decimal

import duckdb
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ik.lib.swedish import (
    count_noun,
    format_amount,
    format_amount_sql,
    format_date_compact,
    format_date_iso,
    format_date_long,
    format_date_short,
    format_decimal,
    format_duration_minutes,
    format_hours,
    format_measure,
    format_percent,
    genitive,
    join_swedish,
    parse_decimal,
    sort_key,
    verdict_label,
)

NBSP = "\u00a0"
CUTOFF = date(2018, 8, 31)


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


def test_swedish_sorting_ignores_case_and_accents_and_sorts_ae_oe_as_a_umlaut_o_umlaut():
    words = ["Östra", "Ängen", "Zeta", "Åsen", "alfa", "Émile", "Öland"]
    assert sorted(words, key=sort_key) == [
        "alfa",
        "Émile",
        "Zeta",
        "Åsen",
        "Ängen",
        "Öland",
        "Östra",
    ]
    names = ["Ölsystem", "Ärende", "Zebra", "Åtgärd", "arkiv", "Ekonomi"]
    assert sorted(names, key=sort_key) == [
        "arkiv",
        "Ekonomi",
        "Zebra",
        "Åtgärd",
        "Ärende",
        "Ölsystem",
    ]
    assert sorted(["Øster", "Ærø", "Ost", "Zulu"], key=sort_key) == ["Ost", "Zulu", "Ærø", "Øster"]


def test_dates_are_written_in_prose_table_and_column_forms():
    assert format_date_long(CUTOFF) == "31 augusti 2018"
    assert format_date_short(CUTOFF) == "31 aug 2018"
    assert format_date_iso(CUTOFF) == "2018-08-31"
    assert format_date_compact(CUTOFF) == "180831"


def test_a_missing_date_is_blank_never_none():
    assert [
        format_date_long(None),
        format_date_short(None),
        format_date_iso(None),
        format_date_compact(None),
    ] == [""] * 4


def test_numbers_use_decimal_comma_and_no_trailing_zeros():
    assert format_decimal(Decimal("8.5000")) == "8,5"
    assert format_decimal(Decimal("8.0000")) == "8"
    assert format_decimal(-0.25) == "-0,25"
    assert format_decimal(12345.5) == f"12{NBSP}345,5"
    assert format_decimal(None) == ""


def test_four_digit_numbers_group_their_thousands_like_longer_ones():
    assert format_decimal(1234) == f"1{NBSP}234"
    assert format_decimal(1234.5) == f"1{NBSP}234,5"
    assert format_decimal(-1234) == f"-1{NBSP}234"
    assert format_decimal(999) == "999"


def test_a_measured_value_keeps_every_decimal_it_was_given():
    assert format_measure(Decimal("0.125"), "%") == f"0,125{NBSP}%"
    assert format_measure(Decimal("8.1234"), "%") == f"8,1234{NBSP}%"


def test_fixed_places_round_half_up():
    assert format_decimal(Decimal("0.125"), 2) == "0,13"
    assert format_decimal(Decimal("2.5"), 0) == "3"
    assert format_decimal(Decimal("8"), 1) == "8,0"


def test_measures_put_a_no_break_space_before_the_unit():
    assert format_measure(Decimal(8), "%") == f"8{NBSP}%"
    assert format_measure(Decimal("8.5"), "%") == f"8,5{NBSP}%"
    assert format_measure(Decimal(3), "") == "3"


def test_shares_amounts_and_hours():
    assert format_percent(0.0793) == f"7,9{NBSP}%"
    assert format_percent(0.08) == f"8,0{NBSP}%"
    assert format_percent(0.05, None) == f"5{NBSP}%"
    assert format_percent(0.025, None) == f"2,5{NBSP}%"
    assert format_percent(None) == ""
    assert format_amount(Decimal("1234.5")) == f"1{NBSP}234,50{NBSP}kr"
    assert format_amount(-12) == f"-12,00{NBSP}kr"
    assert format_hours(1.5) == "1,5"
    assert format_hours(4) == "4"
    assert format_hours(1 / 3) == "0,33"
    assert format_hours(None) == ""


@given(
    st.one_of(
        st.decimals(min_value=-(10**13), max_value=10**13, places=4, allow_nan=False),
        st.decimals(min_value=-(10**24), max_value=10**24, places=2, allow_nan=False),
    )
)
def test_amounts_formatted_in_duckdb_read_as_format_amount(amount: Decimal) -> None:
    expression = format_amount_sql("v")
    with duckdb.connect() as con:
        found = con.execute(
            f"SELECT {expression} FROM (SELECT CAST($v AS DECIMAL(38, 4)) AS v)",  # noqa: S608
            {"v": str(amount)},
        ).fetchone()
    assert found == (format_amount(amount),)


def test_no_amount_formats_as_null_in_duckdb() -> None:
    with duckdb.connect() as con:
        found = con.execute(f"SELECT {format_amount_sql('CAST(NULL AS DECIMAL(18, 2))')}")
        assert found.fetchone() == (None,)


def test_verdict_labels():
    assert [verdict_label(v) for v in ("green", "yellow", "red")] == ["Grön", "Gul", "Röd"]
    assert verdict_label(None) == "Ej bedömd"
    assert verdict_label("") == "Ej bedömd"


def test_genitive_adds_s_except_after_s_x_z():
    assert genitive("Kommunstyrelsens förvaltning") == "Kommunstyrelsens förvaltnings"
    assert genitive("Socialnämnden") == "Socialnämndens"
    assert genitive("Räddningstjänst Östergötlands") == "Räddningstjänst Östergötlands"


def test_join_swedish_uses_och_before_the_last_part():
    assert join_swedish(["a"]) == "a"
    assert join_swedish(["a", "b", "c"]) == "a, b och c"


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_formatted_numbers_read_back_to_the_same_value_through_the_parser(value):
    assert parse_decimal(format_decimal(value, 2)) == value


def test_count_noun_takes_the_singular_only_for_exactly_one():
    assert count_noun(1, "öppen åtgärd", "öppna åtgärder") == "1 öppen åtgärd"
    assert count_noun(0, "öppen åtgärd", "öppna åtgärder") == "0 öppna åtgärder"
    assert count_noun(2, "nämnd", "nämnder") == "2 nämnder"
    assert count_noun(1500, "händelse", "händelser") == "1\u00a0500 händelser"


def test_durations_read_as_hours_and_minutes():
    assert format_duration_minutes(480) == "8 timmar"
    assert format_duration_minutes(90) == "1 timme 30 minuter"
    assert format_duration_minutes(1) == "1 minut"
    assert format_duration_minutes(61) == "1 timme 1 minut"
