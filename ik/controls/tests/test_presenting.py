from ik.controls.presenting import detail_rows, detail_tables, unit_label


def test_details_are_labelled_in_swedish_with_swedish_numbers():
    rows = dict(
        detail_rows(
            {
                "amount_share": 0.0472,
                "interest_cost": 1173.16,
                "delimiter": ";",
                "late": 17,
                "unknown_key": "x",
            }
        )
    )
    assert rows["Andel av betalt belopp som betalades sent"] == "4,7\u00a0%"
    assert rows["Uppskattad dröjsmålsränta"] == "1\u00a0173,16\u00a0kr"
    assert rows["Avgränsare"] == "semikolon"
    assert rows["Betalda efter förfallodagen"] == "17"
    assert rows["unknown_key"] == "x"


def test_record_lists_become_tables_with_unit_names():
    tables = detail_tables(
        {"worst_units": [{"unit": "11", "late": 3, "paid": 72}]}, {"11": "Ekonomiska avdelningen"}
    )
    assert tables[0]["caption"] == "Enheter med flest sena betalningar"
    assert tables[0]["headers"] == ["Enhet", "Sena", "Betalda"]
    assert tables[0]["rows"] == [["11 Ekonomiska avdelningen", "3", "72"]]


def test_unknown_unit_codes_are_shown_as_they_are():
    assert unit_label("99", {"11": "Ekonomi"}) == "99"


def test_counts_and_amounts_per_kind_name_each_kind_and_format_each_amount():
    rows = dict(
        detail_rows(
            {
                "rows_by_kind": {"valid": 68010, "missing_orgnr": 9, "foreign_vat": 3},
                "amount_by_kind": {"missing_orgnr": 450123.5, "foreign_vat": None},
            }
        )
    )
    assert rows["Rader per slag"] == (
        "Giltigt nummer: 68\u00a0010, Nummer saknas: 9, Utländskt momsnummer: 3"
    )
    assert (
        rows["Belopp per slag"] == "Nummer saknas: 450\u00a0123,50\u00a0kr, Utländskt momsnummer: –"
    )
