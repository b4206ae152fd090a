"""Read rendered files back into plain text and table cells, for content checks."""

from __future__ import annotations

import datetime as dt
import io

import docx
from docx.oxml.ns import qn
from openpyxl import load_workbook

from ik.reports.document import Document
from ik.reports.plan import POINT_SHEET
from ik.reports.render_xlsx import TEXT_SHEET
from ik.reports.tests.pdftext import PdfFile


def flat(text: str) -> str:
    """Text with all whitespace removed, so line wrapping does not matter."""
    return "".join(text.split())


def _paragraph_text(p) -> str:
    parts = []
    for node in p.iter(qn("w:t"), qn("w:br")):
        parts.append("\n" if node.tag == qn("w:br") else (node.text or ""))
    return "".join(parts)


def cell_texts(document: Document) -> set[str]:
    """Every header and body cell text of every table: what each format must carry."""
    texts: set[str] = set()
    for table in document.tables():
        texts.update(c.title for c in table.columns)
        texts.update(cell.text for row in table.rows for cell in row)
    return texts


def docx_text(data: bytes) -> str:
    """Every paragraph of the body, tables included, one per line."""
    body = docx.Document(io.BytesIO(data)).element.body
    return "\n".join(_paragraph_text(p) for p in body.iter(qn("w:p")))


def docx_cells(data: bytes) -> set[str]:
    """The cell texts of the report's data tables (those with a caption)."""
    body = docx.Document(io.BytesIO(data)).element.body
    cells = set()
    for tbl in body.iter(qn("w:tbl")):
        if tbl.find(f"{qn('w:tblPr')}/{qn('w:tblCaption')}") is None:
            continue
        for tc in tbl.iter(qn("w:tc")):
            cells.add("\n".join(_paragraph_text(p) for p in tc.iter(qn("w:p"))))
    return cells


def xlsx_cells(data: bytes) -> set[str]:
    """The cell texts of every table sheet, header row included, title row left out."""
    book = load_workbook(io.BytesIO(data))
    cells = set()
    for name in book.sheetnames:
        if name in (TEXT_SHEET, POINT_SHEET):
            continue
        for row in book[name].iter_rows(min_row=3, values_only=True):
            cells.update(_as_text(v) for v in row)
    return cells


def _as_text(value: object) -> str:
    """A cell's value as the other formats print it: typed dates as 2018-12-31."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value)


def pdf_text(data: bytes) -> str:
    """The PDF's text as shown on its pages."""
    return PdfFile(data).text()
