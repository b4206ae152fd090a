"""Reading and writing the contract register (avtalsregister)."""

from datetime import date, datetime
from io import BytesIO

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from ik.engine.contracts import (
    Contract,
    contracts_to_csv,
    contracts_to_xlsx,
    orgnr_key,
    read_contracts,
)
from ik.engine.errors import InputError

HEADER = "leverantor;orgnr;avtal_id;titel;kategori;giltig_fran;giltig_till;ramavtal"


def csv(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\n".join(lines) + "\n").encode(encoding)


def test_reads_every_column_and_keys_the_organisation_number() -> None:
    data = csv(
        HEADER,
        "Östgöta Städ AB;16556012-5790;AV-1;Lokalvård;Fastighet;2018-01-01;2018-12-31;ja",
        "Dansk Software ApS;DK 12345678;AV-2;Licenser;IT;20180201;;nej",
    )
    first, second = read_contracts(data)
    assert first == Contract(
        "Östgöta Städ AB",
        "AV-1",
        date(2018, 1, 1),
        date(2018, 12, 31),
        "5560125790",
        "Lokalvård",
        "Fastighet",
        True,
    )
    assert second.orgnr == "DK12345678" and second.valid_to is None and not second.framework


def test_synonym_headers_in_windows_1252_are_understood() -> None:
    data = csv(
        "Leverantörsnamn;Organisationsnummer;Avtalsnummer;Startdatum;Slutdatum;Ramavtal",
        "Vätterns El AB;556475-6467;E-1;2016-01-01;2019-12-31;x",
        encoding="cp1252",
    )
    (contract,) = read_contracts(data)
    assert contract.supplier == "Vätterns El AB" and contract.framework
    assert contract.valid_to == date(2019, 12, 31)


def test_every_bad_row_is_named_with_its_column() -> None:
    data = csv(
        HEADER,
        "A AB;556012-5791;A-1;;;2018-01-01;;nej",
        ";;A-2;;;2018-01-01;;nej",
        "C AB;;A-3;;;2018-13-01;;nej",
        "D AB;;A-4;;;2018-05-01;2018-04-30;nej",
        "E AB;;A-5;;;2018-05-01;;kanske",
    )
    with pytest.raises(InputError) as caught:
        read_contracts(data)
    problems = [(p.row, p.column) for p in caught.value.problems]
    assert problems == [
        (2, "orgnr"),
        (3, "leverantor"),
        (4, "giltig_fran"),
        (5, "giltig_till"),
        (6, "ramavtal"),
    ]
    assert "5 fel" in str(caught.value) and "rad 2" in str(caught.value)
    assert "Organisationsnumret är inte giltigt" in str(caught.value)


def test_the_same_supplier_twice_under_one_contract_is_refused_but_two_suppliers_are_not() -> None:
    ok = csv(HEADER, "A AB;;R-1;;;2018-01-01;;ja", "B AB;;R-1;;;2018-01-01;;ja")
    assert len(read_contracts(ok)) == 2
    twice = csv(HEADER, "A AB;;R-1;;;2018-01-01;;ja", "a  ab;;r-1;;;2019-01-01;;ja")
    with pytest.raises(InputError, match="finns redan under avtal r-1 på rad 2"):
        read_contracts(twice)


def test_a_missing_required_column_lists_the_columns_found() -> None:
    with pytest.raises(InputError, match="Kolumnen 'giltig_fran' saknas"):
        read_contracts(csv("leverantor;avtal_id", "A;1"))


def test_excel_dates_are_read() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Leverantör", "Avtal", "Giltig från", "Giltig till"])
    sheet.append(["A AB", "X-1", datetime(2018, 1, 1), datetime(2018, 6, 30)])
    out = BytesIO()
    book.save(out)
    (contract,) = read_contracts(out.getvalue())
    assert (contract.valid_from, contract.valid_to) == (date(2018, 1, 1), date(2018, 6, 30))


def test_export_is_formula_safe_and_reads_back_unchanged() -> None:
    contracts = (
        Contract("=HYPERLINK(1)", "A-1", date(2018, 1, 1), None, "5560125790", "@T", "-K", True),
        Contract("B AB", "B-1", date(2017, 1, 1), date(2019, 1, 1), "DK12345678"),
    )
    as_csv = contracts_to_csv(contracts)
    assert b"'=HYPERLINK" in as_csv and b"556012-5790" in as_csv
    assert read_contracts(as_csv) == contracts
    assert read_contracts(contracts_to_xlsx(contracts)) == contracts


def test_a_contract_is_valid_on_both_end_days() -> None:
    contract = Contract("A", "1", date(2018, 1, 1), date(2018, 1, 31))
    assert contract.valid_on(date(2018, 1, 1)) and contract.valid_on(date(2018, 1, 31))
    assert not contract.valid_on(date(2017, 12, 31)) and not contract.valid_on(date(2018, 2, 1))
    assert Contract("A", "1", date(2018, 1, 1)).valid_on(date(2099, 1, 1))


@given(st.integers(min_value=0, max_value=999999), st.integers(min_value=2, max_value=9))
def test_every_written_form_of_a_number_gives_one_key(body: int, third: int) -> None:
    nine = f"55{third}{body:06d}"  # a third digit of 2 or more: a legal entity
    check = next(d for d in "0123456789" if orgnr_key(nine + d) is not None)
    number = nine + check
    forms = [number, f"{number[:6]}-{number[6:]}", f"16{number}", f"SE{number}01", f" {number} "]
    assert {orgnr_key(f) for f in forms} == {number}
