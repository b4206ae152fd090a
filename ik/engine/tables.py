"""Tables that people keep in Excel, CSV or Word, found by their column names.

Plans and result sheets come as a workbook with title rows above the header, a CSV export
from another system, or a table in a Word document. `read_grids` turns the file into grids
of text (one per sheet or Word table); `find_table` picks the grid and the row whose cells
name the most known columns, so titles above the header and other tables before it are
passed over. Rows keep the number the person sees in Excel (or in the Word table), so
messages point at the right place.

The file is read with the checks the ledger import uses: encoding and delimiter are
recognised the same way (`ledger_files`), workbooks are checked against the register limits
before calamine opens them, and Word documents against the limits for Word files.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ik.engine.errors import InputError, InputProblem
from ik.engine.headers import normalise_header
from ik.engine.ledger_excel import cell_text, open_workbook
from ik.engine.ledger_files import detect_encoding, sniff_delimiter
from ik.lib.filelimits import (
    REGISTER_SHEET,
    WORD_TEMPLATE,
    LimitError,
    check_spreadsheet,
    check_xml_members,
    check_zip,
)
from ik.lib.spreadsheet import unguard

# A header is looked for among the first rows only: a plan's title block is a few rows.
HEADER_SEARCH_ROWS = 30
MAX_ROWS = 5_000
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_NOT_TABLES = (
    (b"%PDF", "en PDF-fil"),
    (b"\x89PNG", "en PNG-bild"),
    (b"\xff\xd8\xff", "en JPEG-bild"),
    (b"{\\rtf", "ett RTF-dokument"),
)


@dataclass(frozen=True, slots=True)
class Grid:
    """One sheet or Word table as text. `where` names it in messages ("bladet Plan")."""

    where: str
    rows: tuple[tuple[str, ...], ...]
    spreadsheet: bool = False


@dataclass(frozen=True, slots=True)
class HeaderSpec:
    """Known columns: field -> the names people give it, most specific first.

    A header matches a name when they are equal once case, spacing, punctuation and å/ä/ö are
    folded (`normalise_header`), or when the header starts with the name followed by more
    words ("Syfte med granskningen" for "syfte"). Equal matches are taken first, so
    "Enhet för mätvärde" is not read as "Enhet".
    """

    names: Mapping[str, tuple[str, ...]]
    required: str

    def match(
        self, headers: Sequence[str], overrides: Mapping[str, str] | None = None
    ) -> dict[str, int]:
        """Field -> column index; each column serves one field, each field one column.

        `overrides` {field: header} name the column for a field outright; a field whose
        named column is missing is left out.
        """
        folded = [normalise_header(h) for h in headers]
        found: dict[str, int] = {}
        for field, header in (overrides or {}).items():
            at = _find(folded, normalise_header(header), True, set(found.values()))
            if at is not None:
                found[field] = at
        for exact in (True, False):
            for field, names in self.names.items():
                if field in found or field in (overrides or {}):
                    continue
                for name in (normalise_header(n) for n in names):
                    at = _find(folded, name, exact, set(found.values()))
                    if at is not None:
                        found[field] = at
                        break
        return found


def _find(folded: Sequence[str], name: str, exact: bool, taken: set[int]) -> int | None:
    for index, header in enumerate(folded):
        if index in taken or not header:
            continue
        if header == name if exact else header.startswith(f"{name}_"):
            return index
    return None


@dataclass(frozen=True, slots=True)
class Table:
    """The rows under a header. `rows` holds (row number as the person sees it, cells)."""

    where: str
    header_row: int
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    spreadsheet: bool = False

    def column_name(self, index: int) -> str:
        """Gives "B (Kontrollmoment)" in a spreadsheet, "Kontrollmoment" elsewhere."""
        header = self.headers[index] if index < len(self.headers) else ""
        label = f"”{header}”" if header else f"nummer {index + 1}"
        return f"{column_letters(index + 1)} ({label})" if self.spreadsheet else label


def column_letters(number: int) -> str:
    """1 -> A, 27 -> AA: the column as Excel names it."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# --- reading the file -----------------------------------------------------------------------


def read_grids(data: bytes, name: str, *, sheet: str | None = None) -> list[Grid]:
    """The file's sheets (or its one CSV table, or its Word tables) as grids of text."""
    if not data.strip():
        raise InputError(f"Filen {name} är tom.")
    lower = name.lower()
    if data.startswith(b"PK\x03\x04"):
        members = _zip_names(data, name)
        if "word/document.xml" in members:
            return _docx_grids(data, name)
        return _workbook_grids(data, name, sheet)
    if data.startswith(_OLE2):
        if lower.endswith(".doc"):
            raise InputError(
                f"Filen {name} är ett äldre Word-dokument (.doc). Spara det som .docx och "
                "försök igen."
            )
        return _workbook_grids(data, name, sheet)
    for signature, what in _NOT_TABLES:
        if data.startswith(signature):
            raise InputError(f"Filen {name} är {what}, inte en Excel-, CSV- eller Word-fil.")
    return [_csv_grid(data, name)]


def _zip_names(data: bytes, name: str) -> set[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return {info.filename for info in package.infolist()}
    except zipfile.BadZipFile:
        raise InputError(f"Filen {name} är ett trasigt zip-paket och kan inte läsas.") from None


def _csv_grid(data: bytes, name: str) -> Grid:
    encoding = detect_encoding(data, at_end=True, name=name)
    text = data.decode(encoding)
    lines = text.splitlines()
    delimiter = sniff_delimiter([line for line in lines if line.strip()][:60])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = tuple(tuple(unguard(cell.strip()) for cell in row) for row in reader)
    except csv.Error as exc:
        raise InputError(f"Filen {name} kan inte läsas som CSV: {exc}.") from None
    return Grid(where=f"filen {name}", rows=rows, spreadsheet=True)


def _workbook_grids(data: bytes, name: str, sheet: str | None) -> list[Grid]:
    try:
        check_spreadsheet(io.BytesIO(data), REGISTER_SHEET, what=f"Arbetsboken {name}")
    except LimitError as exc:
        raise InputError(str(exc)) from None
    workbook = open_workbook(data, name)
    names: list[str] = list(workbook.sheet_names)
    if sheet is not None:
        if sheet not in names:
            shown = ", ".join(f"”{n}”" for n in names)
            raise InputError(f"Bladet ”{sheet}” finns inte i {name}. Bladen heter {shown}.")
        names = [sheet]
    grids = []
    for sheet_name in names:
        try:
            values: list[list[Any]] = workbook.get_sheet_by_name(sheet_name).to_python(
                skip_empty_area=False
            )
        except Exception as exc:  # calamine raises its own error types per format
            raise InputError(
                f"Bladet ”{sheet_name}” i {name} kan inte läsas ({type(exc).__name__})."
            ) from None
        rows = tuple(tuple(unguard(cell_text(v)) for v in row) for row in values)
        grids.append(Grid(where=f"bladet ”{sheet_name}”", rows=rows, spreadsheet=True))
    return grids


def _docx_grids(data: bytes, name: str) -> list[Grid]:
    what = f"Word-dokumentet {name}"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            check_zip(package, WORD_TEMPLATE, what=what)
            check_xml_members(package, WORD_TEMPLATE, what=what)
    except LimitError as exc:
        raise InputError(str(exc)) from None
    # Only Word files need python-docx; importing it here keeps a quarter of a second off
    # every `runcontrol` start, which reads registers through this module.
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        tables = [tuple(tuple(_docx_row(row)) for row in table.rows) for table in document.tables]
    except Exception as exc:  # python-docx raises several unrelated types for broken files
        raise InputError(f"{what} kan inte läsas ({type(exc).__name__}).") from None
    return [
        Grid(where=f"tabell {number} i {name}", rows=rows)
        for number, rows in enumerate(tables, start=1)
    ]


def _docx_row(row: Any) -> Iterable[str]:
    # A cell merged across columns is returned once per column it spans; its text stays in
    # the first of them so the header is not named twice.
    previous = None
    for cell in row.cells:
        same = previous is not None and cell._tc is previous
        previous = cell._tc
        yield "" if same else " ".join(cell.text.split())


# --- finding the table ----------------------------------------------------------------------


def find_table(
    grids: Sequence[Grid],
    spec: HeaderSpec,
    *,
    header_row: int | None = None,
    overrides: Mapping[str, str] | None = None,
) -> Table:
    """The grid and header row that name the most known columns, the required one among them.

    With `header_row` (1-based) the header is that row of the first grid that has it;
    `overrides` {field: header} count as known columns (see `HeaderSpec.match`).
    """
    best: tuple[int, Grid, int] | None = None
    for grid in grids:
        candidates = [header_row - 1] if header_row is not None else range(HEADER_SEARCH_ROWS)
        for index in candidates:
            if not 0 <= index < len(grid.rows):
                continue
            matched = spec.match(grid.rows[index], overrides)
            if spec.required in matched and (best is None or len(matched) > best[0]):
                best = (len(matched), grid, index)
    if best is None:
        raise _no_header(grids, spec, header_row)
    _, grid, index = best
    headers = grid.rows[index]
    body = tuple(
        (number, cells)
        for number, cells in enumerate(grid.rows[index + 1 :], start=index + 2)
        if any(cells)
    )
    if len(body) > MAX_ROWS:
        raise InputError(f"Tabellen i {grid.where} har {len(body)} rader; gränsen är {MAX_ROWS}.")
    return Table(grid.where, index + 1, headers, body, grid.spreadsheet)


def _no_header(grids: Sequence[Grid], spec: HeaderSpec, header_row: int | None) -> InputError:
    wanted = spec.names[spec.required][0]
    if header_row is not None:
        seen = next((g.rows[header_row - 1] for g in grids if len(g.rows) >= header_row), ())
        found = ", ".join(f"”{h}”" for h in seen if h) or "inga"
        return InputError(
            f"Rad {header_row} har ingen kolumn ”{wanted}”. Kolumner på raden: {found}.",
            row=header_row,
            column=wanted,
        )
    if not grids:
        return InputError("Filen innehåller ingen tabell.")
    names = ", ".join(f"”{n}”" for n in spec.names[spec.required])
    return InputError(
        f"Ingen rubrikrad med kolumnen ”{wanted}” hittades bland de första "
        f"{HEADER_SEARCH_ROWS} raderna ({', '.join(g.where for g in grids[:5])}). "
        f"Kolumnen kan heta {names}; ange annars rubrikraden eller kolumnen.",
        column=wanted,
    )


def refuse_problems(
    problems: Sequence[InputProblem], where: str, *, quote_value: bool = False
) -> None:
    """Raise InputError naming the first bad row and counting the rest, if there are any.

    `quote_value` adds the first bad value to its message ("Okänd roll: 'chef'").
    """
    if not problems:
        return
    first = problems[0]
    message = f"{first.message}: {first.value!r}" if quote_value else first.message
    if len(problems) > 1:
        message = f"{len(problems)} fel i {where}. Det första: {message}"
    raise InputError(message, row=first.row, column=first.column, problems=tuple(problems))


# --- carrying a table between the preview and the confirmation -----------------------------

MAX_JSON_CHARS = 8_000_000
_BROKEN = "Förhandsvisningen kunde inte läsas. Ladda upp filen igen."


def table_to_json(table: Table) -> str:
    """The table as JSON, so a preview page can send it back without the file."""
    return json.dumps(
        {
            "where": table.where,
            "header_row": table.header_row,
            "headers": list(table.headers),
            "rows": [[number, list(cells)] for number, cells in table.rows],
            "spreadsheet": table.spreadsheet,
        },
        ensure_ascii=False,
    )


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(_BROKEN)
    return tuple(value)


def table_from_json(text: str) -> Table:
    """The table `table_to_json` wrote; InputError for anything else, whatever it holds."""
    if len(text) > MAX_JSON_CHARS:
        raise InputError(_BROKEN)
    try:
        data = json.loads(text)
    except ValueError:
        raise InputError(_BROKEN) from None
    if not isinstance(data, dict):
        raise InputError(_BROKEN)
    where, header_row, rows = data.get("where"), data.get("header_row"), data.get("rows")
    if not isinstance(where, str) or type(header_row) is not int or not isinstance(rows, list):
        raise InputError(_BROKEN)
    if len(rows) > MAX_ROWS:
        raise InputError(_BROKEN)
    body = []
    for row in rows:
        if not isinstance(row, list) or len(row) != 2 or type(row[0]) is not int:
            raise InputError(_BROKEN)
        body.append((row[0], _strings(row[1])))
    headers = _strings(data.get("headers"))
    return Table(where, header_row, headers, tuple(body), data.get("spreadsheet") is True)
