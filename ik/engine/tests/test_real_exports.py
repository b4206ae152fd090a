"""Controls on files shaped like real municipal exports: titles, totals, posting lines, cp1252.

The generator writes what finance offices save from their reports: title rows above the
header, one invoice split over several units and accounts, a "Summa" row at the bottom,
amount columns under names IK must learn, and Windows-1252 text.
"""

import random
from pathlib import Path

import pytest

from ik.engine.controls.account_review.control import account_review
from ik.engine.controls.duplicate_payments.control import duplicate_payments
from ik.engine.controls.missing_orgnr.control import missing_orgnr
from ik.engine.errors import InputError
from ik.engine.ledger import read_ledger
from ik.engine.orgnr import classify_identity_number

TITLES = ["Leverantörsreskontra 2023;;;;;", "Utdrag ur ekonomisystemet;;;;;", ";;;;;"]
ORGNR = ["556012-5790", "556036-0793", "SAKNAS", "NULL", "-", "0", "", "DK12345678",
         "556012-5791", "556012-5790 / 556036-0793", "19121212-1212"]  # fmt: skip


def export(
    folder: Path,
    *,
    amount_header: str = "UTFALL",
    invoices: int = 30,
    titles: bool = True,
    totals: bool = True,
    seed: int = 7,
) -> tuple[Path, list[list[str]]]:
    """A posting-level export; returns the path and the data rows as written."""
    rnd = random.Random(seed)
    header = f"LEVERANTÖR;ORGANISATIO;FAKT NR;RN1/FÖRVALTNING;KONTO;{amount_header}"
    rows: list[list[str]] = []
    for number in range(invoices):
        supplier = f"Leverantör {number % 9} Åkeri AB"
        orgnr = ORGNR[number % 9 if number % 9 < len(ORGNR) else 0]
        lines = rnd.sample([("KS", "4010"), ("BUN", "6110"), ("SOC", "7110")], rnd.randint(1, 3))
        for unit, account in lines:
            amount = f"{rnd.randint(100, 90_000)},{rnd.randint(0, 99):02d}"
            rows.append([supplier, orgnr, f"F{1000 + number}", unit, account, amount])
    out = [*(TITLES if titles else []), header, *(";".join(r) for r in rows)]
    if totals:
        total = sum(float(r[5].replace(",", ".")) for r in rows)
        out.append(f"Summa;;;;;{total:.2f}".replace(".", ","))
    path = folder / "export.csv"
    path.write_bytes(("\r\n".join(out) + "\r\n").encode("cp1252"))
    return path, rows


def test_header_below_title_rows_is_found_and_totals_row_left_out_by_name(tmp_path) -> None:
    path, rows = export(tmp_path)
    ledger = read_ledger(path)
    assert ledger.header_row == 4
    assert ledger.rows == len(rows)
    assert [r.row for r in ledger.left_out] == [4 + len(rows) + 1]
    assert "Summa" in ledger.left_out[0].reason
    result = missing_orgnr(ledger)
    assert result.details["header_row"] == 4
    assert result.details["left_out_rows"][0]["row"] == 4 + len(rows) + 1


def test_a_nameless_row_holding_the_column_total_is_left_out(tmp_path) -> None:
    path, rows = export(tmp_path, totals=False, titles=False)
    total = sum(float(r[5].replace(",", ".")) for r in rows)
    with open(path, "ab") as fh:
        fh.write(f";;;;;{total:.2f}\r\n".replace(".", ",").encode("cp1252"))
    ledger = read_ledger(path)
    assert ledger.rows == len(rows)
    assert "summan av övriga rader" in ledger.left_out[0].reason


def test_header_row_can_be_given_and_a_wrong_one_is_named(tmp_path) -> None:
    path, rows = export(tmp_path)
    assert read_ledger(path, header_row=4).rows == len(rows)
    with pytest.raises(InputError, match="Kolumn"):
        read_ledger(path, header_row=2, required=["amount"])
    with pytest.raises(InputError, match="Rubrikraden 999"):
        read_ledger(path, header_row=999)


@pytest.mark.parametrize("name", ["nettobelopp", "belopp_sek", "Utfall", "NETTOBELOPP"])
def test_amount_columns_under_open_data_names_are_recognised(tmp_path, name) -> None:
    path, rows = export(tmp_path, amount_header=name)
    result = account_review(read_ledger(path), prefixes=["71"])
    assert result.details["amount"] > 0


def test_an_amount_column_ik_does_not_know_is_refused_listing_the_columns(tmp_path) -> None:
    path, _ = export(tmp_path, amount_header="Kronor exkl moms")
    with pytest.raises(InputError) as refused:
        account_review(read_ledger(path))
    message = str(refused.value)
    assert "belopp (amount)" in message and '"Kronor exkl moms"' in message
    assert '"LEVERANTÖR"' in message


def test_split_invoices_are_one_invoice_each(tmp_path) -> None:
    path, rows = export(tmp_path, invoices=40)
    result = duplicate_payments(read_ledger(path))
    assert result.details["invoices"] == 40
    assert [f for f in result.findings if f.data["rule"] == "same_invoice_no"] == []


def test_every_row_has_exactly_one_org_number_kind(tmp_path) -> None:
    path, rows = export(tmp_path, invoices=45)
    result = missing_orgnr(read_ledger(path))
    kinds = result.details["rows_by_kind"]
    assert sum(kinds.values()) == result.rows == len(rows)
    expected = dict.fromkeys(kinds, 0)
    for row in rows:
        expected[classify_identity_number(row[1] or None)] += 1
    assert kinds == expected
    assert result.details["postings_without_valid_orgnr"] == (
        kinds["missing_orgnr"] + kinds["invalid_orgnr"] + kinds["several_orgnr"]
    )


@pytest.mark.parametrize(
    ("cell", "kind"),
    [
        ("SAKNAS", "missing_orgnr"),
        ("null", "missing_orgnr"),
        ("-", "missing_orgnr"),
        ("0", "missing_orgnr"),
        ("DK12345678", "foreign_vat"),
        ("EE100593401", "foreign_vat"),
        ("556012-5790, 556036-0793", "several_orgnr"),
        ("556012-5791", "invalid_orgnr"),
        ("19121232-1212", "invalid_orgnr"),
        ("SE556012579001", "valid"),
        ("19121212-1212", "valid"),
    ],
)
def test_org_number_kinds(cell: str, kind: str) -> None:
    assert classify_identity_number(cell) == kind


def test_foreign_vat_numbers_are_listed_apart_and_not_counted(tmp_path) -> None:
    path = tmp_path / "moms.csv"
    path.write_text("leverantor;orgnr\nDansk ApS;DK12345678\nAlfa AB;556012-5790\n", "utf-8")
    result = missing_orgnr(read_ledger(path))
    assert result.value == 0
    assert [f.kind for f in result.findings] == ["foreign_vat"]
    assert "utländska momsregistreringsnummer" in result.summary
