from pathlib import Path

import pytest

from ik.engine.errors import InputError
from ik.engine.headers import normalise_header
from ik.engine.ledger import read_ledger
from ik.engine.mappings import resolve_mapping

RAINDANCE = [
    "FAKTURANR",
    "LEVERANTOR",
    "ORGNR",
    "ANSVAR",
    "FAKTURADATUM",
    "FORFALLODATUM",
    "BETPAMDATUM",
    "BETALT_SEK",
    "KONTO",
]
OPEN_DATA = [
    "kopare",
    "faktura_nr",
    "leverantor",
    "leverantor_id",
    "forvaltning",
    "konto_nr",
    "konto_text",
    "belopp",
    "valuta",
    "datum",
]


def test_header_matching_ignores_case_spacing_and_swedish_letters() -> None:
    assert normalise_header(" Förfallo datum ") == "forfallo_datum"
    assert normalise_header("FÖRFALLO_DATUM") == "forfallo_datum"
    assert normalise_header("RN1/FÖRVALTNING") == "rn1_forvaltning"


def test_auto_picks_raindance_and_accepts_its_variant_headers() -> None:
    mapping = resolve_mapping(RAINDANCE)
    assert mapping.profile == "raindance"
    assert mapping.header_for("paid_date") == "BETPAMDATUM"
    assert mapping.header_for("amount") == "BETALT_SEK"


def test_auto_picks_the_open_data_spec_which_has_no_payment_dates() -> None:
    mapping = resolve_mapping(OPEN_DATA)
    assert mapping.profile == "leverantorsreskontra"
    assert mapping.as_headers() == {
        "invoice_no": "faktura_nr",
        "supplier": "leverantor",
        "orgnr": "leverantor_id",
        "unit": "forvaltning",
        "invoice_date": "datum",
        "amount": "belopp",
        "account": "konto_nr",
    }


def test_auto_falls_back_to_generic_synonyms_for_a_municipal_excel_layout() -> None:
    mapping = resolve_mapping(
        ["RN1/FÖRVALTNING", "LEVERANTÖR", "ORGANISATIO", "FAKT NR", "KONTO", "UTFALL"]
    )
    assert mapping.profile == "generic"
    assert mapping.as_headers() == {
        "invoice_no": "FAKT NR",
        "supplier": "LEVERANTÖR",
        "orgnr": "ORGANISATIO",
        "unit": "RN1/FÖRVALTNING",
        "amount": "UTFALL",
        "account": "KONTO",
    }


def test_overrides_map_any_header_and_win_over_the_profile() -> None:
    mapping = resolve_mapping(
        ["Ref", "Kreditor", "Sista dag", "Betald"],
        overrides={
            "invoice_no": "ref",
            "due_date": "Sista dag",
            "paid_date": "Betald",
            "supplier": "KREDITOR",
        },
    )
    assert mapping.as_headers() == {
        "invoice_no": "Ref",
        "supplier": "Kreditor",
        "due_date": "Sista dag",
        "paid_date": "Betald",
    }


def test_plain_dict_mapping_uses_exactly_the_given_columns() -> None:
    mapping = resolve_mapping(["A", "B", "belopp"], {"invoice_no": "A", "supplier": "B"})
    assert mapping.profile == "custom"
    assert mapping.as_headers() == {"invoice_no": "A", "supplier": "B"}


def test_override_naming_an_absent_header_lists_the_columns_found() -> None:
    with pytest.raises(InputError) as caught:
        resolve_mapping(["A", "B"], overrides={"due_date": "Förfallo"})
    assert 'Kolumnen "Förfallo"' in str(caught.value)
    assert '"A", "B"' in str(caught.value)


def test_unknown_field_and_unknown_profile_are_refused() -> None:
    with pytest.raises(InputError, match='Okänt fält "due"'):
        resolve_mapping(["A"], overrides={"due": "A"})
    with pytest.raises(InputError, match='Okänd kolumnprofil "visma"'):
        resolve_mapping(["A"], "visma")


def test_named_profile_does_not_borrow_generic_synonyms() -> None:
    mapping = resolve_mapping(["Fakturanummer", "Belopp"], "leverantorsreskontra")
    assert "invoice_no" not in mapping.positions
    assert mapping.header_for("amount") == "Belopp"


def test_read_ledger_applies_overrides(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("Ref;Sista dag;Betald;Summa\nX1;2018-01-31;2018-02-01;5,00\n", "utf-8")
    ledger = read_ledger(
        path,
        overrides={"invoice_no": "Ref", "due_date": "Sista dag", "paid_date": "Betald"},
        required=["due_date", "paid_date", "amount"],
    )
    assert ledger.mapping["amount"] == "Summa"
    found = ledger.con.execute(f"SELECT invoice_no, paid_date > due_date FROM {ledger.table}")  # noqa: S608
    assert found.fetchall() == [("X1", True)]
