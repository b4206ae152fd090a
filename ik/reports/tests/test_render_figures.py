"""A chart in a report: vector SVG in the PDF/A, a PNG in Word, its words in Excel."""

import io
import re
import zipfile
from decimal import Decimal

import docx
from openpyxl import load_workbook

from ik.lib.charts import ValueRow, target_bars
from ik.reports.document import Document, Figure, Meta, Paragraph, Section
from ik.reports.render_docx import render_docx
from ik.reports.render_pdf import render_pdf
from ik.reports.render_xlsx import render_xlsx
from ik.reports.tests.pdftext import PdfFile

CHART = target_bars(
    "c",
    "Försent betalda fakturor per nämnd",
    [ValueRow("Kommunstyrelsen", Decimal("3.2"), "green"), ValueRow("Socialnämnden", None, "")],
    target=Decimal(5),
    unit="%",
)


def _document() -> Document:
    figure = Figure(CHART.title, CHART.svg, CHART.desc)
    blocks = (Paragraph("Före diagrammet."), figure, Paragraph("Efter diagrammet."))
    return Document(Meta(title="Prov", organisation="Provkommun"), (Section(blocks),))


def _flat(text: str) -> str:
    return "".join(text.split())


def test_the_pdf_draws_the_chart_as_a_captioned_figure_with_its_description_and_stays_pdfa():
    reader = PdfFile(render_pdf(_document()))
    assert re.search(r"<pdfaid:part>2</pdfaid:part>|pdfaid:part=\"2\"", reader.xmp())
    text = _flat(reader.text())
    assert _flat(f"Diagram 1: {CHART.title}") in text
    assert text.index("Förediagrammet") < text.index("Diagram1") < text.index("Efterdiagrammet")
    # The SVG's own words are text in the PDF, not a picture of text.
    assert "Kommunstyrelsen" in text and "Ingetmätvärde" in text
    alt = (b"FEFF" + CHART.desc.encode("utf-16-be").hex().upper().encode()).upper()
    figures = [o for o in reader.objects.values() if b"/S/Figure" in o]
    assert figures and any(b"/ALT<" + alt + b">" in o.upper() for o in figures)


def test_word_gets_the_same_chart_as_a_png_with_the_description_as_alt_text():
    data = render_docx(_document())
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        media = [n for n in package.namelist() if n.startswith("word/media/")]
        assert media and package.read(media[0]).startswith(b"\x89PNG")
    word = docx.Document(io.BytesIO(data))
    (picture,) = word.inline_shapes
    assert picture._inline.docPr.get("descr") == CHART.desc
    assert picture._inline.docPr.get("title") == CHART.title
    texts = [p.text for p in word.paragraphs]
    assert texts.index(CHART.title) > texts.index("Före diagrammet.")


def test_a_spreadsheet_says_what_the_chart_shows():
    workbook = load_workbook(io.BytesIO(render_xlsx(_document())))
    lines = [c.value for row in workbook.worksheets[0].iter_rows() for c in row if c.value]
    assert f"Diagram: {CHART.title}. {CHART.desc}" in lines
