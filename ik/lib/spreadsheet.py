"""Cells for CSV and XLSX exports that a spreadsheet shows as typed and never runs.

Excel, LibreOffice and Google Sheets read a cell that starts with `=`, `+`, `-` or `@` as a
formula (and tab or carriage return are stripped before that check), so text a user typed,
such as `=HYPERLINK(...)` or `@SUM(...)`, would run on the auditor's machine when they open an
export. Every exporter writes its cells through this module:

- CSV: such text gets a leading apostrophe, which spreadsheets show as "text follows";
  readers of IK's own exports take it off again with `unguard`.
- XLSX: text is stored with the string data type (never a formula) and marked with Excel's
  quote prefix, so it stays text even when someone edits the cell.

Numbers stay numbers: a number value is written as it is, and text that is only a number
(`-1234,50`, `-5`) is left alone, since a spreadsheet reads it as that number and runs nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"
# Only a bare number: with spaces, "-1 234" is a formula to Excel (space intersects ranges).
_PLAIN_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?%?")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet would read `text` as a formula rather than as text."""
    return text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text)


def csv_cell(value: Any) -> Any:
    """A CSV cell value: formula-like text behind an apostrophe, everything else unchanged.

    Text that already looks guarded gets one more apostrophe, so `unguard` gives it back.
    """
    if isinstance(value, str) and is_formula_like(value.lstrip(GUARD)):
        return GUARD + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_cell(v) for v in values]


def unguard(text: str) -> str:
    """The text as it was before `csv_cell`, for readers of IK's own exports."""
    if text.startswith(GUARD) and is_formula_like(text.lstrip(GUARD)):
        return text[1:]
    return text


class _Cell(Protocol):
    data_type: str
    quotePrefix: bool


class _Sheet(Protocol):
    def cell(self, row: int, column: int, value: Any = None) -> Any: ...


def xlsx_cell(sheet: _Sheet, row: int, column: int, value: Any) -> Any:
    """Write one XLSX cell: text always as a string, formula-like text quote-prefixed.

    Readers take an apostrophe off formula-like text in workbooks too (a guarded CSV export
    saved as XLSX carries it), so text that already looks guarded gets one more, as in CSV.
    """
    if isinstance(value, str) and value.startswith(GUARD) and is_formula_like(value.lstrip(GUARD)):
        value = GUARD + value
    cell: _Cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True
    return cell


def xlsx_row(sheet: _Sheet, row: int, values: Iterable[Any]) -> None:
    for column, value in enumerate(values, start=1):
        xlsx_cell(sheet, row, column, value)
