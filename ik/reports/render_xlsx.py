"""Render a `Document` to XLSX: the text on one sheet, each table on a sheet of its own.

Auditors filter and sort the tables, so every table sheet has its header row frozen and an
autofilter. Cell text is always stored as text, never as a formula.
"""

from __future__ import annotations

import datetime as dt
import io
import re

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ik.lib.spreadsheet import xlsx_cell, xlsx_row
from ik.reports.document import (
    TONE_FILL,
    Block,
    Cell,
    ContactItem,
    DataSheet,
    Document,
    DocumentHeader,
    Figure,
    Heading,
    ItemList,
    PageBreak,
    Paragraph,
    Table,
    TextStyle,
)

TEXT_SHEET = "Dokument"
CHARS_PER_WEIGHT = 18
SHEET_NAME_LIMIT = 31
TEXT_WIDTH = 100
# Characters of 11 pt Calibri per unit of column width, a little under one, and the line
# height in points; Excel caps a row at 409 points.
WRAP_FACTOR = 0.95
LINE_POINTS = 15
MAX_ROW_POINTS = 409
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
BOLD = Font(bold=True)
HEADER_FONT = Font(bold=True, italic=True)
HEADER_FILL = PatternFill("solid", fgColor="E8E8E8")
HEADING_FONTS = {1: Font(bold=True, size=15), 2: Font(bold=True, size=12)}
_SHEET_ILLEGAL = re.compile(r"[\[\]:*?/\\]")
_FILLS = {tone: PatternFill("solid", fgColor=colour) for tone, colour in TONE_FILL.items()}


def _clean(text: str) -> str:
    return str(ILLEGAL_CHARACTERS_RE.sub("", text))


def _put(sheet: Worksheet, row: int, column: int, text: str) -> None:
    # Text such as "=SUM(A1)" from a user must stay text, not become a formula.
    cell = xlsx_cell(sheet, row, column, _clean(text))
    cell.alignment = WRAP_TOP


class _TextSheet:
    """Writes the document's running text down column A."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.row = 1
        sheet.column_dimensions["A"].width = TEXT_WIDTH

    def line(self, text: str, font: Font | None = None) -> None:
        _put(self.sheet, self.row, 1, text)
        lines = _lines(text, TEXT_WIDTH)
        if lines > 1:
            self.sheet.row_dimensions[self.row].height = min(lines * LINE_POINTS, MAX_ROW_POINTS)
        if font is not None:
            self.sheet.cell(row=self.row, column=1).font = font
        self.row += 1

    def gap(self) -> None:
        self.row += 1


def _cut(text: str, limit: int) -> str:
    """`text` within `limit` characters, cut after a whole word when there is one."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut[:limit].rstrip(" ,.;–-")


def _sheet_name(workbook: Workbook, number: int, title: str) -> str:
    """Excel allows 31 characters: "3. Öppna avvikelser Barn- och", never half a word."""
    clean = _SHEET_ILLEGAL.sub(" ", f"{number}. {title}")
    base = _cut(clean, SHEET_NAME_LIMIT)
    name, suffix = base, 2
    while name in workbook.sheetnames:
        tail = f" ({suffix})"
        name = _cut(clean, SHEET_NAME_LIMIT - len(tail)) + tail
        suffix += 1
    return name


def _put_cell(sheet: Worksheet, row: int, column: int, cell: Cell) -> None:
    """A number or date as itself, so Excel sums and sorts it; everything else as text."""
    if cell.value is None:
        _put(sheet, row, column, cell.text)
        return
    target = sheet.cell(row=row, column=column, value=cell.value)
    target.alignment = WRAP_TOP
    if isinstance(cell.value, dt.date):
        target.number_format = "yyyy-mm-dd"
    elif isinstance(cell.value, int):
        target.number_format = "0"
    else:
        unit = f' "{cell.unit}"' if cell.unit else ""
        target.number_format = f"#,##0.0{unit}"


def _lines(text: str, width: float) -> int:
    """How many lines `text` wraps to in a column `width` characters wide."""
    per_line = max(int(width * WRAP_FACTOR), 1)
    return sum(max(-(-len(line) // per_line), 1) for line in text.split("\n"))


def _row_height(row: tuple[Cell, ...], widths: list[float]) -> float:
    lines = max(_lines(cell.text, w) for cell, w in zip(row, widths, strict=True))
    return min(lines * LINE_POINTS + 3, MAX_ROW_POINTS)


def _table_sheet(workbook: Workbook, number: int, table: Table) -> str:
    sheet = workbook.create_sheet(_sheet_name(workbook, number, table.title))
    _put(sheet, 1, 1, table.title)
    sheet.cell(row=1, column=1).font = HEADING_FONTS[2]
    sheet.cell(row=1, column=1).alignment = Alignment(vertical="top")
    header_row = 3
    widths = [column.width * CHARS_PER_WEIGHT for column in table.columns]
    sheet.row_dimensions[header_row].height = _row_height(
        tuple(Cell(c.title) for c in table.columns), widths
    )
    for col, column in enumerate(table.columns, start=1):
        _put(sheet, header_row, col, column.title)
        cell = sheet.cell(row=header_row, column=col)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        sheet.column_dimensions[get_column_letter(col)].width = column.width * CHARS_PER_WEIGHT
    for r, row in enumerate(table.rows, start=header_row + 1):
        # Excel does not grow a row to fit wrapped text when opening a file.
        sheet.row_dimensions[r].height = _row_height(row, widths)
        for col, value in enumerate(row, start=1):
            _put_cell(sheet, r, col, value)
            if value.tone is not None:
                sheet.cell(row=r, column=col).fill = _FILLS[value.tone]
    last = get_column_letter(len(table.columns))
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.auto_filter.ref = f"A{header_row}:{last}{header_row + len(table.rows)}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return str(sheet.title)


def _block(text: _TextSheet, workbook: Workbook, block: Block) -> None:
    if isinstance(block, DocumentHeader):
        text.line(block.organisation, BOLD)
        text.line(block.committee)
        text.line(block.kind, BOLD)
        for label, value in block.fields():
            text.line(f"{label}: {value}")
        text.gap()
    elif isinstance(block, Heading):
        text.line(block.text, HEADING_FONTS.get(block.level, BOLD))
    elif isinstance(block, Paragraph):
        text.line(block.text, BOLD if block.style is TextStyle.STRONG else None)
    elif isinstance(block, ItemList):
        for item in block.labelled():
            text.line(item)
    elif isinstance(block, Table):
        number = len(workbook.sheetnames)
        name = _table_sheet(workbook, number, block)
        text.line(f"Tabellen finns på bladet ”{name}”.")
    elif isinstance(block, PageBreak):
        text.gap()
    elif isinstance(block, Figure):
        # A spreadsheet gets the chart's words; its numbers are in the table beside it.
        text.line(f"Diagram: {block.title}. {block.desc}")
    else:
        raise TypeError(f"Unknown block {type(block).__name__}")


def _contact(text: _TextSheet, contact: tuple[ContactItem, ...]) -> None:
    if not contact:
        return
    text.gap()
    for item in contact:
        text.line(item.label, BOLD)
        if item.value:
            text.line(item.value)


def _data_sheet(workbook: Workbook, data: DataSheet) -> None:
    """The header on row 1 and one row per record below it, all text, nothing else."""
    sheet = workbook.create_sheet(_sheet_name(workbook, 0, data.title).removeprefix("0. "))
    xlsx_row(sheet, 1, (_clean(h) for h in data.headers))
    for col in range(1, len(data.headers) + 1):
        sheet.cell(row=1, column=col).font = HEADER_FONT
        sheet.column_dimensions[get_column_letter(col)].width = 24
    for r, row in enumerate(data.rows, start=2):
        xlsx_row(sheet, r, (_clean(value) for value in row))
    sheet.freeze_panes = "A2"
    last = get_column_letter(max(len(data.headers), 1))
    sheet.auto_filter.ref = f"A1:{last}{len(data.rows) + 1}"


def render_xlsx(document: Document) -> bytes:
    """The report as XLSX bytes."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = TEXT_SHEET
    text = _TextSheet(sheet)
    for section in document.sections:
        for block in section.blocks:
            _block(text, workbook, block)
    _contact(text, document.contact)
    for data in document.data_sheets:
        _data_sheet(workbook, data)
    props = workbook.properties
    props.title = _clean(document.meta.title)
    props.subject = _clean(document.meta.subject)
    props.creator = _clean(document.meta.organisation)
    props.keywords = _clean(", ".join(document.meta.keywords))
    props.language = "sv-SE"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
