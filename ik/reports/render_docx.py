"""Render a `Document` to DOCX, starting from the organisation's own Word template.

The template brings letterhead, logo, fonts and header/footer styles; its body is replaced by
the report. Tables are written as WordprocessingML directly, which keeps large reports fast.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import cast

import docx
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Emu, Pt
from docx.text.paragraph import Paragraph as WordParagraph

from ik.reports.document import (
    TONE_FILL,
    Block,
    ContactItem,
    Document,
    DocumentHeader,
    Heading,
    ItemList,
    PageBreak,
    Paragraph,
    Table,
    TextStyle,
)

DEFAULT_TEMPLATE = Path(__file__).resolve().parent / "templates_docx" / "default.docx"
TEMPLATE_TYPE = b"wordprocessingml.template.main+xml"
DOCUMENT_TYPE = b"wordprocessingml.document.main+xml"
CONTACT_COLUMNS = 4
TABLE_FONT_HALF_POINTS = "17"
BORDER_COLOUR = "9A9A9A"
# Characters XML 1.0 cannot hold; user text is cleaned of them before it reaches Word.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

TemplateSource = str | Path | bytes | None


def _as_document_package(data: bytes) -> bytes:
    # A .dotx differs from a .docx only in its main part's content type.
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        types = source.read("[Content_Types].xml")
        if TEMPLATE_TYPE not in types:
            return data
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                blob = source.read(info.filename)
                if info.filename == "[Content_Types].xml":
                    blob = blob.replace(TEMPLATE_TYPE, DOCUMENT_TYPE)
                target.writestr(info, blob)
        return out.getvalue()


def validate_docx_template(data: bytes) -> None:
    """Raise ValueError with a Swedish message unless `data` is a usable Word file or template."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ValueError("Filen är inte en Word-fil (DOCX eller DOTX).")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
            if "word/document.xml" not in names or "[Content_Types].xml" not in names:
                raise ValueError("Filen saknar ett Word-dokument (word/document.xml).")
            if package.testzip() is not None:
                raise ValueError("Filen är skadad och kan inte läsas.")
        docx.Document(io.BytesIO(_as_document_package(data)))
    except ValueError:
        raise
    except Exception as exc:
        raise ValueError("Filen är skadad eller inte en giltig Word-mall.") from exc


def _open_template(template: TemplateSource) -> WordDocument:
    if template is None:
        data = DEFAULT_TEMPLATE.read_bytes()
    elif isinstance(template, bytes):
        data = template
    else:
        data = Path(template).read_bytes()
    validate_docx_template(data)
    return docx.Document(io.BytesIO(_as_document_package(data)))


def _clean(text: str) -> str:
    return _XML_ILLEGAL.sub("", text)


def _clear_body(word: WordDocument) -> None:
    body = word.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _has_style(word: WordDocument, name: str) -> bool:
    try:
        word.styles[name]
    except KeyError:
        return False
    return True


def _add_lines(paragraph: WordParagraph, text: str, bold: bool = False, size: float = 0) -> None:
    for i, line in enumerate(_clean(text).split("\n")):
        run = paragraph.add_run(line)
        if i:
            run._r.insert(0, OxmlElement("w:br"))
        run.bold = bold or None
        if size:
            run.font.size = Pt(size)


def _paragraph(word: WordDocument, text: str, style: TextStyle = TextStyle.NORMAL) -> None:
    paragraph = word.add_paragraph()
    size = 8 if style is TextStyle.SMALL else 0
    _add_lines(paragraph, text, bold=style is TextStyle.STRONG, size=size)


def _heading(word: WordDocument, block: Heading) -> None:
    level = min(max(block.level, 1), 6)
    name = f"Heading {level}"
    if _has_style(word, name):
        paragraph = word.add_paragraph(style=name)
        _add_lines(paragraph, block.text)
    else:
        # A template without heading styles still gets visibly distinct headings.
        paragraph = word.add_paragraph()
        _add_lines(paragraph, block.text, bold=True, size={1: 15, 2: 12}.get(level, 11))


def _item_list(word: WordDocument, block: ItemList) -> None:
    items = block.labelled()
    for i, item in enumerate(items):
        paragraph = word.add_paragraph()
        _add_lines(paragraph, item)
        if i < len(items) - 1:
            paragraph.paragraph_format.space_after = Pt(0)


def _document_header(word: WordDocument, block: DocumentHeader) -> None:
    left = f"{block.organisation}\n{block.committee}"
    right = "\n".join([block.kind, *(f"{label}: {value}" for label, value in block.fields())])
    table = word.add_table(rows=1, cols=2)
    cells = table.rows[0].cells
    for cell, text in ((cells[0], left), (cells[1], right)):
        first, _, rest = text.partition("\n")
        paragraph = cell.paragraphs[0]
        _add_lines(paragraph, first, bold=True)
        if rest:
            _add_lines(paragraph, "\n" + rest)
    word.add_paragraph()


def _el(tag: str, **attrs: str) -> BaseOxmlElement:
    element = cast(BaseOxmlElement, OxmlElement(tag))
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), value)
    return element


def _run(text: str, bold: bool = False) -> list[BaseOxmlElement]:
    runs = []
    for i, line in enumerate(_clean(text).split("\n")):
        run = _el("w:r")
        props = _el("w:rPr")
        if bold:
            props.append(_el("w:b"))
            props.append(_el("w:i"))
        props.append(_el("w:sz", val=TABLE_FONT_HALF_POINTS))
        run.append(props)
        if i:
            run.append(_el("w:br"))
        t = _el("w:t")
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        t.text = line
        run.append(t)
        runs.append(run)
    return runs


def _cell(text: str, width: int, fill: str | None = None, bold: bool = False) -> BaseOxmlElement:
    tc = _el("w:tc")
    props = _el("w:tcPr")
    props.append(_el("w:tcW", w=str(width), type="dxa"))
    if fill:
        props.append(_el("w:shd", val="clear", color="auto", fill=fill))
    tc.append(props)
    paragraph = _el("w:p")
    paragraph_props = _el("w:pPr")
    paragraph_props.append(_el("w:spacing", before="0", after="0"))
    paragraph.append(paragraph_props)
    for run in _run(text, bold):
        paragraph.append(run)
    tc.append(paragraph)
    return tc


def _table_properties(total: int, caption: str) -> BaseOxmlElement:
    props = _el("w:tblPr")
    props.append(_el("w:tblW", w=str(total), type="dxa"))
    borders = _el("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_el(f"w:{side}", val="single", sz="4", space="0", color=BORDER_COLOUR))
    props.append(borders)
    props.append(_el("w:tblLayout", type="fixed"))
    margins = _el("w:tblCellMar")
    for side in ("left", "right"):
        margins.append(_el(f"w:{side}", w="70", type="dxa"))
    props.append(margins)
    props.append(_el("w:tblCaption", val=_clean(caption)[:255]))
    return props


def _row(cells: list[BaseOxmlElement], header: bool = False) -> BaseOxmlElement:
    tr = _el("w:tr")
    props = _el("w:trPr")
    props.append(_el("w:cantSplit"))
    if header:
        props.append(_el("w:tblHeader"))
    tr.append(props)
    for cell in cells:
        tr.append(cell)
    return tr


def _table(word: WordDocument, block: Table, text_width: int) -> None:
    total_weight = sum(c.width for c in block.columns) or 1.0
    widths = [int(text_width * c.width / total_weight) for c in block.columns]
    tbl = _el("w:tbl")
    tbl.append(_table_properties(sum(widths), block.title))
    grid = _el("w:tblGrid")
    for width in widths:
        grid.append(_el("w:gridCol", w=str(width)))
    tbl.append(grid)
    header = [_cell(c.title, w, bold=True) for c, w in zip(block.columns, widths, strict=True)]
    tbl.append(_row(header, header=True))
    for row in block.rows:
        cells = [
            _cell(cell.text, w, TONE_FILL[cell.tone] if cell.tone is not None else None)
            for cell, w in zip(row, widths, strict=True)
        ]
        tbl.append(_row(cells))
    body = word.element.body
    body.insert(len(body) - 1, tbl)
    word.add_paragraph()


def _block(word: WordDocument, block: Block, text_width: int) -> None:
    if isinstance(block, DocumentHeader):
        _document_header(word, block)
    elif isinstance(block, Heading):
        _heading(word, block)
    elif isinstance(block, Paragraph):
        _paragraph(word, block.text, block.style)
    elif isinstance(block, ItemList):
        _item_list(word, block)
    elif isinstance(block, Table):
        _table(word, block, text_width)
    elif isinstance(block, PageBreak):
        word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    else:
        raise TypeError(f"Unknown block {type(block).__name__}")


def _orient(section: docx.section.Section, landscape: bool) -> None:
    width, height = section.page_width, section.page_height
    if width is None or height is None:
        return
    wide = width > height
    if wide != landscape:
        section.page_width, section.page_height = height, width
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT


def _text_width_twips(section: docx.section.Section) -> int:
    width = section.page_width or Cm(21)
    margins = (section.left_margin or Cm(2)) + (section.right_margin or Cm(2))
    return int((width - margins) / 635)  # EMU per twip


def _is_empty(part: docx.section._BaseHeaderFooter) -> bool:
    return not any(p.text.strip() for p in part.paragraphs) and not part.tables


def _footer(word: WordDocument, contact: tuple[ContactItem, ...]) -> None:
    footer = word.sections[0].footer
    if not contact or not _is_empty(footer):
        return
    columns = min(len(contact), CONTACT_COLUMNS)
    rows = -(-len(contact) // columns)
    width = word.sections[0].page_width or Cm(21)
    table = footer.add_table(rows=rows, cols=columns, width=Emu(int(width - Cm(4))))
    for i, item in enumerate(contact):
        paragraph = table.cell(i // columns, i % columns).paragraphs[0]
        _add_lines(paragraph, item.label, bold=True, size=7)
        if item.value:
            _add_lines(paragraph, "\n" + item.value, size=7)


def _page_header(word: WordDocument, document: Document) -> None:
    header = word.sections[0].header
    if not _is_empty(header):
        return
    paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
    logo = document.meta.logo
    if logo and (logo.startswith(b"\x89PNG") or logo.startswith(b"\xff\xd8\xff")):
        paragraph.add_run().add_picture(io.BytesIO(logo), height=Cm(1))
        paragraph.add_run("  ")
    _add_lines(paragraph, document.meta.organisation, size=9)


def _properties(word: WordDocument, document: Document) -> None:
    props = word.core_properties
    props.title = _clean(document.meta.title)[:255]
    props.subject = _clean(document.meta.subject)[:255]
    props.author = _clean(document.meta.organisation)[:255]
    props.keywords = _clean(", ".join(document.meta.keywords))[:255]
    props.language = "sv-SE"


def render_docx(document: Document, template: TemplateSource = None) -> bytes:
    """The report as DOCX bytes, built on `template` (path or bytes) or the shipped default."""
    word = _open_template(template)
    _clear_body(word)
    _properties(word, document)
    _page_header(word, document)
    _footer(word, document.contact)
    for i, section in enumerate(document.sections):
        word_section = word.sections[-1] if i == 0 else word.add_section(WD_SECTION.NEW_PAGE)
        _orient(word_section, section.landscape)
        width = _text_width_twips(word_section)
        for block in section.blocks:
            _block(word, block, width)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
