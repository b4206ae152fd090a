"""Hostile and unusual spreadsheets meet the readers: refused in Swedish, or reported."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from ik.engine.controls.late_payments.control import late_payments
from ik.engine.errors import InputError
from ik.engine.ledger import read_ledger
from ik.engine.systems import read_systems
from ik.lib.tests import hostile


def test_a_ledger_naming_the_last_excel_cell_is_refused_instead_of_aborting_the_process(
    tmp_path: Path,
) -> None:
    path = tmp_path / "fakturor.xlsx"
    path.write_bytes(hostile.xlsx_far_cell())
    with pytest.raises(InputError) as refused:
        read_ledger(path)
    assert "Filen fakturor.xlsx: bladet Fakturor sträcker sig till rad 1" in str(refused.value)
    assert "gränsen är 30\u00a0000\u00a0000 celler" in str(refused.value)


def test_a_ledger_of_a_gigabyte_of_sheet_xml_is_refused_before_it_is_unpacked(
    tmp_path: Path,
) -> None:
    path = tmp_path / "fakturor.xlsx"
    path.write_bytes(hostile.xlsx_sheet_bomb((1 << 30) + 1))
    assert path.stat().st_size < 8 << 20
    with pytest.raises(InputError, match="packas upp till mer än 1 GB"):
        read_ledger(path)


def test_a_systems_register_naming_the_last_excel_cell_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "system.xlsx"
    path.write_bytes(hostile.xlsx_far_cell())
    with pytest.raises(InputError, match="Arbetsboken system.xlsx: bladet Fakturor sträcker"):
        read_systems(path)


def test_formula_cells_without_saved_values_are_reported_by_the_late_payment_control(
    tmp_path: Path,
) -> None:
    # A script (openpyxl here) writes formulas without computing them; Excel would.
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["FAKTURANR", "LEVERANTÖR", "FÖRFALLODATUM", "BETALDATUM", "BELOPP_SEK"])
    sheet.append([1, "Åby El AB", dt.date(2018, 8, 31), dt.date(2018, 9, 2), 100])
    sheet.append([2, "Öst Tak", dt.date(2018, 8, 31), dt.date(2018, 8, 30), "=E2*2"])
    sheet.append([3, "Öst Tak", dt.date(2018, 8, 31), dt.date(2018, 8, 30), "=E3+1"])
    path = tmp_path / "fakturor.xlsx"
    workbook.save(path)
    ledger = read_ledger(path)
    assert ledger.warnings == (
        "Bladet Sheet har 2 formelceller utan sparat värde (E3, E4); de lästes som tomma. "
        "Öppna filen i Excel, låt den räkna och spara den igen.",
    )
    result = late_payments(ledger)
    assert result.details["warnings"] == list(ledger.warnings)
