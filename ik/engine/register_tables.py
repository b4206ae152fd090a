"""Small registers read from CSV, a workbook or a Word table and written back.

A register file is whatever `ik.engine.tables.read_grids` reads: CSV (delimiter and encoding
recognised; UTF-8 with or without BOM, UTF-16 with BOM or Windows-1252), the first sheet of a
workbook (XLSX, XLS, ODS) or the first table of a Word document. Headers are matched loosely:
case, å/ä/ö versus a/a/o, spaces versus underscores and brackets do not matter, so
"Beror på", "beror_pa" and "BEROR PA" are the same column. The first non-empty row is the
header and row numbers in error messages count it as row 1. What the writers here produce,
the readers read back unchanged.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ik.engine.errors import InputError, InputProblem
from ik.engine.headers import normalise_header
from ik.engine.tables import read_grids, refuse_problems
from ik.lib.spreadsheet import csv_row, xlsx_row

Source = str | Path | bytes


# --- reading -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Table:
    """A register's rows; `columns` maps each canonical column name found to its index.

    Cells come from `read_grids` stripped and with IK's export guard already taken off.
    """

    name: str
    columns: Mapping[str, int]
    rows: tuple[tuple[int, tuple[str, ...]], ...]

    def get(self, cells: tuple[str, ...], column: str) -> str:
        index = self.columns.get(column)
        if index is None or index >= len(cells):
            return ""
        return cells[index]


def _source_name(source: Source) -> str:
    return "uppladdad fil" if isinstance(source, bytes) else Path(source).name


def _read_bytes(source: Source) -> bytes:
    if isinstance(source, bytes):
        return source
    try:
        return Path(source).read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"Filen {source} finns inte") from exc
    except OSError as exc:
        raise InputError(f"Filen {source} kan inte läsas (felkod {exc.errno})") from exc


def read_table(
    source: Source, spec: Mapping[str, tuple[str, ...]], required: Iterable[str]
) -> Table:
    """Read a table, mapping each header to the canonical column name in `spec`."""
    name = _source_name(source)
    grids = read_grids(_read_bytes(source), name)
    if not grids:
        raise InputError(f"Filen {name} innehåller ingen tabell.")
    header: tuple[str, ...] | None = None
    header_row = 0
    body: list[tuple[int, tuple[str, ...]]] = []
    for number, cells in enumerate(grids[0].rows, start=1):
        if not any(cells):
            continue
        if header is None:
            header, header_row = cells, number
        else:
            body.append((number - header_row + 1, cells))
    if header is None:
        raise InputError(f"Filen {name} är tom.")
    _check_width(body, len(header), name)
    aliases = {alias: canon for canon, names in spec.items() for alias in (canon, *names)}
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        canon = aliases.get(normalise_header(title))
        if canon is not None and canon not in columns:
            columns[canon] = index
    missing = [c for c in required if c not in columns]
    if missing:
        found = ", ".join(repr(h) for h in header if h)
        raise InputError(
            f"Kolumnen {missing[0]!r} saknas i {name}. Kolumner i filen: {found}", row=1
        )
    return Table(name, columns, tuple(body))


def _check_width(body: list[tuple[int, tuple[str, ...]]], width: int, name: str) -> None:
    # Extra filled cells mean a field was split, typically an unquoted list of dependencies
    # in a comma-separated file; reading on would silently drop part of it.
    for row, cells in body:
        extra = [c for c in cells[width:] if c]
        if extra:
            raise InputError(
                f"Raden har fler fält än rubrikraden i {name} ({extra[0]!r} blir över); "
                "sätt citattecken kring värden som innehåller avgränsaren",
                row=row,
            )


def raise_problems(problems: list[InputProblem], name: str) -> None:
    """Refuse the register if any row is bad; its messages quote the bad value."""
    refuse_problems(problems, name, quote_value=True)


class CellError(Exception):
    def __init__(self, column: str, value: str, reason: str) -> None:
        super().__init__(reason)
        self.column, self.value, self.reason = column, value, reason


def parsed[T](table: Table, cells: tuple[str, ...], column: str, parser: Callable[[str], T]) -> T:
    value = table.get(cells, column)
    try:
        return parser(value)
    except ValueError as exc:
        raise CellError(column, value, str(exc)) from None


_TRUE = {"ja", "j", "x", "1", "true", "sant", "yes", "y"}
_FALSE = {"", "nej", "n", "0", "false", "falskt", "no"}


def parse_bool(text: str) -> bool:
    folded = text.strip().casefold()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise ValueError("Värdet ska vara ja eller nej")


# --- writing ---


def csv_bytes(header: Sequence[str], rows: Iterable[list[str]]) -> bytes:
    # UTF-8 with BOM and semicolons, so Excel in a Swedish locale opens it without questions.
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(csv_row(cells) for cells in rows)
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(title: str, header: Sequence[str], rows: Iterable[list[str]]) -> bytes:
    # Only the export needs openpyxl; importing it here keeps half a second off every
    # `runcontrol` start, which reads registers through this module.
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    xlsx_row(sheet, 1, header)
    for number, cells in enumerate(rows, start=2):
        # Written as text so a priority "1" or a name "0800" comes back exactly as it went out.
        xlsx_row(sheet, number, cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
