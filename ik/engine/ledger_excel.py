"""Spreadsheet ledgers: calamine reads the sheet, DuckDB gets it as a plain CSV file.

Going through a temporary CSV lets spreadsheets share the CSV path's parsing and error
reporting. The sheet's own row number travels along as the first column so messages point at
the row the user sees in Excel, even when rows above the header are empty.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from ik.engine.errors import InputError
from ik.lib.filelimits import LEDGER_SHEET, LimitError, SheetReport, check_spreadsheet

ROW_COLUMN = "_ik_row"


@dataclass(frozen=True, slots=True)
class SheetHeader:
    sheet: str
    header_row: int  # 1-based sheet row of the header
    headers: tuple[str, ...]
    warnings: tuple[str, ...] = ()


def cell_text(value: Any) -> str:
    """A cell as the text a person would type for it in a CSV file.

    ISO dates (a date-time at midnight as the date alone), whole numbers without ".0", other
    numbers with a decimal point and no exponent, and TRUE/FALSE as "ja"/"nej", which every
    yes/no column reads.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        if abs(value) >= 1e15:
            return repr(value)
        # Fifteen significant digits, as Excel shows and stores what is typed: 0.1 + 0.2 stays
        # 0.3, 0.123456789 keeps its digits (a fixed six places would cut them), and Decimal
        # writes 1e-05 as 0.00001.
        text = format(value, ".15g")
        return format(Decimal(text), "f") if "e" in text else text
    return str(value).strip()


def check_limits(path: Path) -> SheetReport:
    """Refuse a workbook over the ledger limits before calamine, which allocates the whole
    sheet at once, opens it."""
    try:
        return check_spreadsheet(str(path), LEDGER_SHEET, what=f"Filen {path.name}")
    except LimitError as exc:
        raise InputError(str(exc)) from None


def open_workbook(source: Path | bytes, name: str) -> CalamineWorkbook:
    """The workbook in a file or in bytes; InputError when it is not one calamine reads."""
    try:
        if isinstance(source, bytes):
            return CalamineWorkbook.from_filelike(io.BytesIO(source))
        return CalamineWorkbook.from_path(str(source))
    except Exception as exc:  # calamine raises its own error types per format
        raise InputError(
            f"Filen {name} kunde inte läsas som Excel-fil ({type(exc).__name__}). "
            "Kontrollera att det är en .xlsx-, .xls- eller .ods-fil och inte ett zip-arkiv "
            "eller en fil med fel filändelse."
        ) from None


def _open(path: Path) -> CalamineWorkbook:
    return open_workbook(path, path.name)


def _rows(workbook: CalamineWorkbook) -> tuple[str, list[list[Any]]]:
    for name in workbook.sheet_names:
        sheet = workbook.get_sheet_by_name(name)
        rows: list[list[Any]] = sheet.to_python(skip_empty_area=False)
        if any(any(cell not in (None, "") for cell in row) for row in rows[:50]):
            return name, rows
    return "", []


def _header_index(rows: Sequence[Sequence[Any]], header_row: int | None, name: str) -> int:
    if header_row is not None:
        if not 1 <= header_row <= len(rows) or not any(cell_text(c) for c in rows[header_row - 1]):
            raise InputError(
                f"Rubrikraden {header_row} finns inte i Excel-filen {name}, eller är tom.",
                row=header_row,
            )
        return header_row - 1
    # The header is the first row with at least two filled cells: titles above it are common.
    for index, row in enumerate(rows[:50]):
        if sum(1 for cell in row if cell_text(cell)) >= 2:
            return index
    return -1


def excel_to_csv(path: Path, destination: Path, header_row: int | None = None) -> SheetHeader:
    """Write the first non-empty sheet to `destination` as UTF-8 CSV with the sheet row first."""
    report = check_limits(path)
    workbook = _open(path)
    sheet, rows = _rows(workbook)
    header_index = _header_index(rows, header_row, path.name)
    if header_index < 0:
        raise InputError(f"Excel-filen {path.name} har ingen rubrikrad med kolumnnamn.")
    headers = tuple(cell_text(c) for c in rows[header_index])
    width = len(headers)
    with open(destination, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=",", lineterminator="\n")
        writer.writerow([ROW_COLUMN, *(f"c{i}" for i in range(width))])
        writer.writerows(_data_rows(rows, header_index, width))
    return SheetHeader(
        sheet=sheet,
        header_row=header_index + 1,
        headers=headers,
        warnings=tuple(report.warnings(sheet)),
    )


def _data_rows(rows: Sequence[Sequence[Any]], header_index: int, width: int) -> Iterator[list[str]]:
    for index in range(header_index + 1, len(rows)):
        cells = [cell_text(c) for c in rows[index][:width]]
        if any(cells):
            cells.extend([""] * (width - len(cells)))
            yield [str(index + 1), *cells]
