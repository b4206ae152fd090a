"""Render a `Document` to DOCX, starting from the organisation's own Word template.

The template brings letterhead, logo, fonts and header/footer styles; its body is replaced by
the report. Tables are written as WordprocessingML directly, which keeps large reports fast.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import docx
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Emu, Pt, Twips
from docx.text.paragraph import Paragraph as WordParagraph

from ik.lib.charts import svg_png
from ik.lib.filelimits import (
    WORD_TEMPLATE,
    LimitError,
    check_xml_members,
    check_zip,
    iter_member,
    read_member,
)
from ik.lib.logos import svg_as_png, usable_logo
from ik.reports.document import (
    TONE_FILL,
    Block,
    ContactItem,
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

logger = logging.getLogger(__name__)
DEFAULT_TEMPLATE = Path(__file__).resolve().parent / "templates_docx" / "default.docx"
TEMPLATE_TYPE = b"wordprocessingml.template.main+xml"
DOCUMENT_TYPE = b"wordprocessingml.document.main+xml"
CONTACT_COLUMNS = 4
TABLE_FONT_HALF_POINTS = "17"
BORDER_COLOUR = "9A9A9A"
# Rows with more text than this may break across pages; shorter ones stay together.
UNSPLIT_ROW_CHARS = 1500
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


def _has_macros(package: zipfile.ZipFile, types: bytes) -> bool:
    lowered = types.lower()
    if b"macroenabled" in lowered or b"vbaproject" in lowered:
        return True
    return any(
        name.lower().rsplit("/", 1)[-1] in ("vbaproject.bin", "vbadata.xml")
        for name in package.namelist()
    )


def _check_package(data: bytes) -> None:
    """The package checks that need no XML parser: size, parts, macros, entities."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ValueError("Filen är inte en Word-fil (DOCX eller DOTX).")
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        members = check_zip(package, WORD_TEMPLATE, what="Word-mallen")
        names = {info.filename for info in members}
        if "word/document.xml" not in names or "[Content_Types].xml" not in names:
            raise ValueError("Filen saknar ett Word-dokument (word/document.xml).")
        types = read_member(
            package, package.getinfo("[Content_Types].xml"), WORD_TEMPLATE, what="Word-mallen"
        )
        if _has_macros(package, types):
            raise ValueError(
                "Word-mallen innehåller makron (VBA-kod), och sådana tas inte emot. Spara "
                "den som Word-dokument (.docx) eller Word-mall (.dotx) och ladda upp den igen."
            )
        check_xml_members(package, WORD_TEMPLATE, what="Word-mallen")
        for info in members:
            # Unpacks every part against the limit, which also finds damaged parts.
            for _block in iter_member(package, info, WORD_TEMPLATE, what="Word-mallen"):
                pass


def validate_docx_template(data: bytes) -> None:
    """Raise ValueError with a Swedish message unless `data` is a usable Word file or template.

    Macros, document type declarations and parts over the size limits are refused before
    python-docx parses anything.
    """
    try:
        _check_package(data)
    except LimitError as exc:
        raise ValueError(str(exc)) from None
    except zipfile.BadZipFile:
        raise ValueError("Filen är skadad och kan inte läsas.") from None
    try:
        docx.Document(io.BytesIO(_as_document_package(data)))
    except Exception:
        # python-docx words its errors for developers, with object reprs in them.
        raise ValueError("Filen är skadad eller inte en giltig Word-mall.") from None


def _open_template(template: TemplateSource) -> WordDocument:
    data = _template_bytes(template)
    try:
        validate_docx_template(data)
    except ValueError:
        # A template stored before the checks of today (macros, say) must not stop the
        # committee's document, nor travel into it: the built-in template stands in.
        logger.warning("The organisation's Word template is refused; using the default one.")
        data = DEFAULT_TEMPLATE.read_bytes()
    return docx.Document(io.BytesIO(_as_document_package(data)))


def _template_bytes(template: TemplateSource) -> bytes:
    if template is None:
        return DEFAULT_TEMPLATE.read_bytes()
    if isinstance(template, bytes):
        return template
    return Path(template).read_bytes()


def _clean(text: str) -> str:
    return _XML_ILLEGAL.sub("", text)


def _clear_body(word: WordDocument) -> None:
    body = word.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _heading_styles(word: WordDocument) -> dict[int, str]:
    # Looked up once per document: python-docx resolves style names slowly, per paragraph.
    wanted = {f"Heading {level}": level for level in range(1, 7)}
    found: dict[int, str] = {}
    for style in word.styles:
        if style.type == WD_STYLE_TYPE.PARAGRAPH and style.name in wanted:
            found[wanted[style.name]] = style.style_id
    return found


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


def _heading(word: WordDocument, block: Heading, styles: dict[int, str]) -> None:
    level = min(max(block.level, 1), 6)
    paragraph = word.add_paragraph()
    if level in styles:
        paragraph._p.style = styles[level]
        _add_lines(paragraph, block.text)
    else:
        # A template without heading styles still gets visibly distinct headings.
        _add_lines(paragraph, block.text, bold=True, size={1: 15, 2: 12}.get(level, 11))
    # Set on the paragraph, not left to the template's style: no heading ends a page.
    paragraph.paragraph_format.keep_with_next = True


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


def _runs_xml(text: str, bold: bool) -> str:
    props = (
        f'<w:rPr>{"<w:b/><w:i/>" if bold else ""}<w:sz w:val="{TABLE_FONT_HALF_POINTS}"/></w:rPr>'
    )
    runs = []
    for i, line in enumerate(_clean(text).split("\n")):
        brk = "<w:br/>" if i else ""
        runs.append(f'<w:r>{props}{brk}<w:t xml:space="preserve">{escape(line)}</w:t></w:r>')
    return "".join(runs)


def _cell_xml(text: str, width: int, fill: str | None = None, bold: bool = False) -> str:
    shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shading}</w:tcPr>'
        f'<w:p><w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr>{_runs_xml(text, bold)}</w:p>'
        "</w:tc>"
    )


def _table_properties_xml(total: int, caption: str) -> str:
    sides = ("top", "left", "bottom", "right", "insideH", "insideV")
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="{BORDER_COLOUR}"/>'
        for side in sides
    )
    caption_attr = quoteattr(_clean(caption)[:255])
    return (
        f'<w:tblPr><w:tblW w:w="{total}" w:type="dxa"/><w:tblBorders>{borders}</w:tblBorders>'
        '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="70" w:type="dxa"/>'
        '<w:right w:w="70" w:type="dxa"/></w:tblCellMar>'
        f"<w:tblCaption w:val={caption_attr}/></w:tblPr>"
    )


def _table(word: WordDocument, block: Table, text_width: int) -> None:
    # Built as one string and parsed once: creating tens of thousands of elements one by
    # one dominated the time of large reports.
    total_weight = sum(c.width for c in block.columns) or 1.0
    widths = [int(text_width * c.width / total_weight) for c in block.columns]
    parts = [f"<w:tbl {nsdecls('w')}>", _table_properties_xml(sum(widths), block.title)]
    parts.append("<w:tblGrid>")
    parts += [f'<w:gridCol w:w="{width}"/>' for width in widths]
    parts.append("</w:tblGrid><w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>")
    parts += [_cell_xml(c.title, w, bold=True) for c, w in zip(block.columns, widths, strict=True)]
    parts.append("</w:tr>")
    for row in block.rows:
        # A row taller than a page must split, or Word cuts off what does not fit.
        short = sum(len(cell.text) for cell in row) <= UNSPLIT_ROW_CHARS
        parts.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>" if short else "<w:tr>")
        parts += [
            _cell_xml(cell.text, w, TONE_FILL[cell.tone] if cell.tone is not None else None)
            for cell, w in zip(row, widths, strict=True)
        ]
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    body = word.element.body
    body.insert(len(body) - 1, parse_xml("".join(parts)))
    word.add_paragraph()


# A chart as wide as a portrait page's text; wider would enlarge its letters past the text's.
CHART_WIDTH = Cm(16)


def _figure(word: WordDocument, figure: Figure, text_width: int) -> None:
    """The chart as a PNG at most the width of the text, its description as the picture's
    alt text and its title as a caption below."""
    width = min(Twips(text_width), CHART_WIDTH)
    run = word.add_paragraph().add_run()
    picture = run.add_picture(io.BytesIO(svg_png(figure.svg)), width=width)
    properties = picture._inline.docPr
    properties.set("title", _clean(figure.title))
    properties.set("descr", _clean(figure.desc))
    _paragraph(word, figure.title, TextStyle.SMALL)


def _block(word: WordDocument, block: Block, text_width: int, styles: dict[int, str]) -> None:
    if isinstance(block, DocumentHeader):
        _document_header(word, block)
    elif isinstance(block, Heading):
        _heading(word, block, styles)
    elif isinstance(block, Paragraph):
        _paragraph(word, block.text, block.style)
    elif isinstance(block, ItemList):
        _item_list(word, block)
    elif isinstance(block, Table):
        _table(word, block, text_width)
    elif isinstance(block, PageBreak):
        word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    elif isinstance(block, Figure):
        _figure(word, block, text_width)
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


def _field(name: str) -> str:
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {name} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def _page_number(paragraph: WordParagraph, tab: str) -> None:
    """Appends "1 (3)" after `tab`: PAGE and NUMPAGES fields, which Word fills in."""
    runs = (
        f'<w:r><w:rPr><w:sz w:val="18"/></w:rPr>{tab}</w:r>'
        + _field("PAGE")
        + '<w:r><w:t xml:space="preserve"> (</w:t></w:r>'
        + _field("NUMPAGES")
        + "<w:r><w:t>)</w:t></w:r>"
    )
    for run in parse_xml(f"<w:p {nsdecls('w')}>{runs}</w:p>"):
        paragraph._p.append(run)


def _has_page_field(part: docx.section._BaseHeaderFooter) -> bool:
    return any(" PAGE " in (node.text or "") for node in part._element.iter(qn("w:instrText")))


def _template_header(word: WordDocument) -> bool:
    """True when the template brings its own header, which is kept; it gets page numbers
    at the right margin unless it has them already."""
    header = word.sections[0].header
    if _is_empty(header):
        return False
    if not _has_page_field(header):
        tab = '<w:ptab w:relativeTo="margin" w:alignment="right" w:leader="none"/>'
        _page_number(header.add_paragraph(), tab)
    return True


def _logo_picture(logo: bytes | None) -> bytes | None:
    """The logo as Word can show it: PNG or JPEG as stored, an SVG drawn as PNG."""
    usable = usable_logo(logo)
    if usable is None:
        return None
    data, kind = usable
    return svg_as_png(data) if kind == "svg" else data


def _page_header(section: docx.section.Section, document: Document, first: bool) -> None:
    """Logo, organisation and "1 (3)" at the right edge of this section's text width.

    Each section has its own header, since a landscape page's right edge lies further out.
    """
    header = section.header
    if not first:
        header.is_linked_to_previous = False
    paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
    picture = _logo_picture(document.meta.logo)
    if picture is not None:
        paragraph.add_run().add_picture(io.BytesIO(picture), height=Cm(1))
        paragraph.add_run("  ")
    _add_lines(paragraph, document.meta.organisation, size=9)
    stops = paragraph.paragraph_format.tab_stops
    style = paragraph.style
    if style is not None:
        # The header style's own stops (centre, right at portrait width) would catch the tab.
        for inherited in style.paragraph_format.tab_stops:
            stops.add_tab_stop(inherited.position, WD_TAB_ALIGNMENT.CLEAR)
    stops.add_tab_stop(Emu(_text_width_twips(section) * 635), WD_TAB_ALIGNMENT.RIGHT)
    _page_number(paragraph, "<w:tab/>")


def _properties(word: WordDocument, document: Document, now: dt.datetime) -> None:
    # Every field is set, so nothing of the template's own (its title, dates, or a
    # generator's comment) is left to describe the committee's document.
    props = word.core_properties
    organisation = _clean(document.meta.organisation)[:255]
    props.title = _clean(document.meta.title)[:255]
    props.subject = _clean(document.meta.subject)[:255]
    props.author = organisation
    props.last_modified_by = organisation
    props.keywords = _clean(", ".join(document.meta.keywords))[:255]
    props.comments = ""
    props.category = ""
    props.content_status = ""
    props.identifier = ""
    props.version = ""
    props.revision = 1
    props.language = "sv-SE"
    props.created = now
    props.modified = now


def _app_properties(data: bytes, document: Document) -> bytes:
    """The package with docProps/app.xml saying what made it, instead of the template's."""
    app = (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties"><Application>IK</Application>'
        f"<Company>{escape(_clean(document.meta.organisation))}</Company></Properties>"
    )
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename == "docProps/app.xml":
                target.writestr(info, app.encode())
            else:
                target.writestr(info, source.read(info.filename))
    return out.getvalue()


def render_docx(
    document: Document, template: TemplateSource = None, now: dt.datetime | None = None
) -> bytes:
    """The report as DOCX bytes, built on `template` (path or bytes) or the shipped default.

    `now` is the file's created and modified time, by default the moment of rendering.
    """
    word = _open_template(template)
    _clear_body(word)
    _properties(word, document, now or dt.datetime.now(dt.UTC).replace(microsecond=0))
    own_header = _template_header(word)
    _footer(word, document.contact)
    styles = _heading_styles(word)
    for i, section in enumerate(document.sections):
        word_section = word.sections[-1] if i == 0 else word.add_section(WD_SECTION.NEW_PAGE)
        _orient(word_section, section.landscape)
        if not own_header:
            _page_header(word_section, document, first=i == 0)
        width = _text_width_twips(word_section)
        for block in section.blocks:
            _block(word, block, width, styles)
    out = io.BytesIO()
    word.save(out)
    return _app_properties(out.getvalue(), document)
