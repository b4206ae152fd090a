"""Render a `Document` to a tagged PDF/A-2b with typst.

Every piece of user text enters the typst source as a string literal, never as markup, so
characters such as `#`, `*`, `$`, `[` or `<` print as themselves.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import typst

from ik.lib.logos import usable_logo
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
    Section,
    Table,
    TextStyle,
)

FONTS = ("Liberation Sans", "Arial", "Carlito", "DejaVu Sans")
BORDER = 'rgb("#9a9a9a")'
UNSPLIT_ROW_CHARS = 1500
# Four fields a row keep the contact block readable on portrait pages.
CONTACT_COLUMNS = 4


def typst_string(text: str) -> str:
    """A typst string literal holding `text` exactly."""
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\r", "")
        .replace("\t", " ")
        .replace("\n", "\\n")
    )
    return f'"{escaped}"'


def typst_text(text: str) -> str:
    """A typst code expression for `text`, with its newlines as line breaks."""
    lines = text.replace("\r\n", "\n").split("\n")
    if len(lines) == 1:
        return typst_string(lines[0])
    return "[" + "#linebreak()".join(f"#{typst_string(line)}" for line in lines) + "]"


def _header(block: DocumentHeader) -> str:
    left = f"#strong({typst_string(block.organisation)})"
    left += f"#linebreak()#{typst_string(block.committee)}"
    right = f"#strong({typst_string(block.kind)})"
    for label, value in block.fields():
        right += f"#linebreak()#{typst_string(label)}: #{typst_string(value)}"
    return f"#grid(columns: (1fr, auto), column-gutter: 1cm, [{left}], [{right}])\n#v(0.8em)\n"


def _table(table: Table) -> str:
    widths = ", ".join(f"{c.width}fr" for c in table.columns)
    header = ", ".join(f"emph(strong({typst_string(c.title)}))" for c in table.columns)
    cells = []
    for row in table.rows:
        # Rows stay on one page, except one too long for a page, which must break or be lost.
        breakable = sum(len(cell.text) for cell in row) > UNSPLIT_ROW_CHARS
        for cell in row:
            body = typst_text(cell.text)
            fill = f'fill: rgb("#{TONE_FILL[cell.tone]}"), ' if cell.tone is not None else ""
            if breakable:
                cells.append(f"table.cell({fill}breakable: true, {body})")
            elif fill:
                cells.append(f"table.cell({fill}{body})")
            else:
                cells.append(body)
    return (
        f"#text(size: 8.5pt, table(columns: ({widths},), stroke: 0.5pt + {BORDER}, "
        f"inset: 4pt, align: top + left, "
        f"table.header(repeat: true, {header}), {', '.join(cells)}))\n"
    )


# As wide as a portrait page's text, and as the chart in Word; wider would enlarge its words.
CHART_WIDTH = "16cm"


def _figure(figure: Figure) -> str:
    """The SVG itself, vector in the PDF, with its description as the alternative text."""
    image = (
        f'image(bytes({typst_string(figure.svg)}), format: "svg", width: {CHART_WIDTH}, '
        f"alt: {typst_string(figure.desc)})"
    )
    return (
        f"#figure({image}, caption: {typst_string(figure.title)}, "
        "kind: image, supplement: [Diagram])\n"
    )


def _block(block: Block) -> str:
    if isinstance(block, DocumentHeader):
        return _header(block)
    if isinstance(block, Heading):
        level = min(max(block.level, 1), 6)
        return f"#heading(level: {level}, {typst_text(block.text)})\n"
    if isinstance(block, Paragraph):
        body = typst_text(block.text)
        if block.style is TextStyle.STRONG:
            body = f"strong({body})"
        elif block.style is TextStyle.SMALL:
            body = f"text(size: 8pt, {body})"
        return f"#par({body})\n"
    if isinstance(block, ItemList):
        return "#par({})\n".format(typst_text("\n".join(block.labelled()))) if block.items else ""
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, PageBreak):
        return "#pagebreak(weak: true)\n"
    if isinstance(block, Figure):
        return _figure(block)
    raise TypeError(f"Unknown block {type(block).__name__}")


def _footer(contact: tuple[ContactItem, ...]) -> str:
    if not contact:
        return "none"
    cells = ", ".join(
        f"[#strong({typst_string(item.label)})#linebreak()#{typst_text(item.value)}]"
        if item.value
        else f"[#strong({typst_string(item.label)})]"
        for item in contact
    )
    columns = min(len(contact), CONTACT_COLUMNS)
    return (
        f"text(size: 7pt, grid(columns: ({', '.join(['1fr'] * columns)},), "
        f"column-gutter: 8pt, row-gutter: 6pt, {cells}))"
    )


# "1 (3)": this page and the number of pages, as Swedish committee documents count them.
PAGE_NUMBER = 'context text(size: 9pt, counter(page).display("1 (1)", both: true))'


def _page_header(document: Document, logo_file: str | None) -> str:
    name = f"text(size: 9pt, {typst_string(document.meta.organisation)})"
    if logo_file is None:
        return (
            f"[#grid(columns: (1fr, auto), column-gutter: 8pt, align: horizon, "
            f"{name}, {PAGE_NUMBER})]"
        )
    alt = typst_string(document.meta.organisation)
    logo = f"image({typst_string(logo_file)}, height: 1cm, alt: {alt})"
    return (
        f"[#grid(columns: (auto, 1fr, auto), column-gutter: 8pt, align: horizon, "
        f"{logo}, {name}, {PAGE_NUMBER})]"
    )


def _preamble(document: Document, logo_file: str | None) -> str:
    meta = document.meta
    keywords = ", ".join(typst_string(k) for k in meta.keywords)
    author = f"({typst_string(meta.organisation)},)" if meta.organisation else "()"
    fonts = ", ".join(typst_string(f) for f in FONTS)
    return (
        f"#set document(title: {typst_string(meta.title)}, author: {author}, "
        f"keywords: ({keywords}{',' if meta.keywords else ''}))\n"
        f'#set text(lang: "sv", region: "se", font: ({fonts}), size: 10.5pt, '
        "hyphenate: false)\n"
        "#set smartquote(enabled: false)\n"
        "#set par(justify: false)\n"
        "#set table.cell(breakable: false)\n"
        "#show heading: set block(above: 1.2em, below: 0.6em)\n"
        "#show heading.where(level: 1): set text(size: 15pt)\n"
        "#show heading.where(level: 2): set text(size: 12pt)\n"
        '#set page(paper: "a4", margin: (x: 2cm, top: 2.5cm, bottom: 3.2cm), '
        f"header: {_page_header(document, logo_file)}, "
        f"footer: {_footer(document.contact)})\n"
    )


def _section(section: Section, first: bool) -> str:
    flipped = "true" if section.landscape else "false"
    out = f"#set page(flipped: {flipped})\n" if section.landscape or not first else ""
    if not first:
        out += "#pagebreak(weak: true)\n"
    return out + "".join(_block(b) for b in section.blocks)


def typst_source(document: Document, logo_file: str | None = None) -> str:
    """The complete typst source for `document`."""
    parts = [_preamble(document, logo_file)]
    for i, section in enumerate(document.sections):
        parts.append(_section(section, first=i == 0))
    return "".join(parts)


_TRAILER = re.compile(rb"trailer\s*(<<.*?>>)\s*startxref\s*(\d+)\s*%%EOF\s*$", re.S)
_ROOT = re.compile(rb"/Root\s+(\d+)\s+0\s+R")


# typst marks the document /MarkInfo<</Marked true/Suspects false>>. False is the default
# and valid, yet Poppler (pdftotext, pdftoppm, pdfinfo 22.x) takes any /Suspects that is not
# true for a wrong type and prints "Syntax Error: Suspects object is wrong type (boolean)"
# for every file; the updated catalog leaves the default out.
_SUSPECTS_FALSE = re.compile(rb"/Suspects\s+false")


def display_doc_title(pdf: bytes) -> bytes:
    """`pdf` with /DisplayDocTitle in its viewer preferences, so readers show the title
    rather than the file name (PDF/UA asks for it), added as an incremental update that
    leaves typst's bytes as they are. The updated catalog drops /Suspects false."""
    trailer = _TRAILER.search(pdf[-2048:])
    root = _ROOT.search(trailer.group(1)) if trailer else None
    if trailer is None or root is None:
        return pdf
    number = root.group(1)
    starts = list(re.finditer(rb"(?m)^" + number + rb" 0 obj\s*", pdf))
    if not starts:
        return pdf
    body_end = pdf.index(b"endobj", starts[-1].end())
    catalog = pdf[starts[-1].end() : body_end].strip()
    if b"/DisplayDocTitle" in catalog or not catalog.endswith(b">>"):
        return pdf
    catalog = _SUSPECTS_FALSE.sub(b"", catalog)
    if b"/ViewerPreferences<<" in catalog:
        catalog = catalog.replace(
            b"/ViewerPreferences<<", b"/ViewerPreferences<</DisplayDocTitle true", 1
        )
    else:
        catalog = catalog[:-2] + b"/ViewerPreferences<</DisplayDocTitle true>>>>"
    offset = len(pdf) + 1
    update = b"\n" + number + b" 0 obj\n" + catalog + b"\nendobj\n"
    xref_at = offset - 1 + len(update)
    previous = trailer.group(2)
    fields = trailer.group(1)[2:-2]
    fields = re.sub(rb"/Prev\s+\d+", b"", fields)
    update += (
        b"xref\n0 1\n0000000000 65535 f \n"
        + number
        + b" 1\n"
        + f"{offset:010d} 00000 n \n".encode()
        + b"trailer\n<<"
        + fields
        + b"/Prev "
        + previous
        + b">>\n"
        + b"startxref\n"
        + str(xref_at).encode()
        + b"\n%%EOF\n"
    )
    return pdf + update


def render_pdf(document: Document) -> bytes:
    """A tagged PDF/A-2b of `document`, with the organisation's logo when it has one."""
    usable = usable_logo(document.meta.logo)
    if usable is None:
        source = typst_source(document)
        return display_doc_title(typst.compile(source.encode(), pdf_standards=["a-2b"]))
    logo, kind = usable
    with tempfile.TemporaryDirectory(prefix="ik-report-") as tmp:
        root = Path(tmp)
        logo_name = f"logo.{kind}"
        (root / logo_name).write_bytes(logo)
        main = root / "main.typ"
        main.write_text(typst_source(document, logo_name), encoding="utf-8")
        compiled = typst.compile(str(main), root=str(root), pdf_standards=["a-2b"])
        return display_doc_title(compiled)
