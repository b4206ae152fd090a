import base64
import io
import re
from dataclasses import replace

import pikepdf
import pytest

from ik.lib.tests import hostile
from ik.reports.document import (
    Cell,
    Column,
    Document,
    Heading,
    Meta,
    Paragraph,
    Section,
    Table,
)
from ik.reports.followup import build_followup
from ik.reports.item import build_item
from ik.reports.plan import build_plan
from ik.reports.render_pdf import render_pdf, typst_string
from ik.reports.tests.pdftext import PdfFile
from ik.reports.tests.reference_data import followup_data, plan_data

# A 1×1 red pixel.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
)
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<rect width="10" height="10"/></svg>'
)


def _flat(text: str) -> str:
    return "".join(text.split())


def _small(*blocks, logo=None) -> Document:
    return Document(Meta(title="Prov", organisation="Provkommun", logo=logo), (Section(blocks),))


def test_pdf_declares_pdfa_2b_in_its_xmp_metadata_and_is_tagged():
    pdf = render_pdf(build_followup(followup_data()))
    assert pdf.startswith(b"%PDF-")
    reader = PdfFile(pdf)
    xmp = reader.xmp()
    assert re.search(r"<pdfaid:part>2</pdfaid:part>|pdfaid:part=\"2\"", xmp)
    assert re.search(r"<pdfaid:conformance>B</pdfaid:conformance>|pdfaid:conformance=\"B\"", xmp)
    assert "Uppföljning av internkontrollplan per 31 augusti 2018" in xmp
    catalog = reader.catalog()
    assert b"/StructTreeRoot" in catalog
    assert re.search(rb"/Lang\s*\(sv", catalog)


def test_pdf_has_the_appendix_on_a_landscape_page():
    reader = PdfFile(render_pdf(build_followup(followup_data())))
    boxes = [
        re.search(rb"/MediaBox\s*\[([^\]]*)\]", reader.objects[p]).group(1).split()
        for p in reader.pages()
    ]
    orientations = [float(b[2]) > float(b[3]) for b in boxes]
    assert orientations[0] is False and orientations[-1] is True


def test_user_text_with_markup_characters_prints_literally():
    nasty = 'Pris #1 *fet* $x$ <script>alert("x")</script> [länk] \\ bak // _u_ @ref = "citat"'
    table = Table("T", (Column("Text"),), ((Cell(nasty),),))
    pdf = render_pdf(_small(Heading(nasty), Paragraph(nasty + "\nrad två"), table))
    text = _flat(PdfFile(pdf).text())
    assert text.count(_flat(nasty)) == 3
    assert "radtvå" in text


def test_typst_string_escapes_quotes_backslashes_and_newlines():
    assert typst_string('a"b\\c\nd') == '"a\\"b\\\\c\\nd"'


def _first_page_drawing(pdf: bytes) -> bytes:
    reader = PdfFile(pdf)
    head = reader.objects[reader.pages()[0]]
    return reader.streams[reader.ref(head, b"Contents")]


def test_pdf_embeds_the_organisations_logo_in_png_or_svg():
    plain = render_pdf(_small(Paragraph("Text")))
    with_png = render_pdf(_small(Paragraph("Text"), logo=PNG))
    assert b"/Subtype/Image" not in plain
    assert b"/Subtype/Image" in with_png
    with_svg = render_pdf(_small(Paragraph("Text"), logo=SVG))
    assert len(_first_page_drawing(with_svg)) > len(_first_page_drawing(plain))
    assert "Provkommun" in PdfFile(with_svg).text()


def test_an_unknown_logo_format_is_left_out_rather_than_failing_the_document():
    pdf = render_pdf(_small(Paragraph("Text"), logo=b"GIF89a-not-supported"))
    assert "Text" in PdfFile(pdf).text()


def test_a_corrupt_logo_that_starts_like_a_png_is_left_out_rather_than_failing():
    pdf = render_pdf(_small(Paragraph("Text"), logo=hostile.png_corrupt()))
    assert b"/Subtype/Image" not in pdf
    assert "Text" in PdfFile(pdf).text()


def test_a_logo_of_thirty_thousand_pixels_square_is_left_out_rather_than_rendered():
    pdf = render_pdf(_small(Paragraph("Text"), logo=hostile.png(30_000, 30_000)))
    assert b"/Subtype/Image" not in pdf


def test_contact_block_is_in_the_pdf_footer_on_every_page():
    reader = PdfFile(render_pdf(build_followup(followup_data())))
    for page in reader.pages():
        assert "kommunstyrelsen@mjolby.se" in reader.page_text(page)


def test_every_pdf_page_says_its_number_and_the_count_in_the_header():
    reader = PdfFile(render_pdf(build_followup(followup_data())))
    pages = list(reader.pages())
    assert len(pages) == 2
    for number, page in enumerate(pages, start=1):
        assert _flat(f"{number} ({len(pages)})") in _flat(reader.page_text(page))


def test_a_result_longer_than_a_page_breaks_across_pages_and_loses_nothing():
    data = followup_data()
    long = " ".join(f"Mening {i} om kontrollens resultat." for i in range(400)) + " SLUTORDET"
    entries = (replace(data.entries[0], result_text=long), *data.entries[1:])
    reader = PdfFile(render_pdf(build_followup(replace(data, entries=entries))))
    pages = list(reader.pages())
    assert len(pages) > 3
    text = _flat(reader.text())
    assert "SLUTORDET" in text and "Mening399" in text
    # The row runs on over the pages without printing over the contact block.
    for page in pages:
        assert "kommunstyrelsen@mjolby.se" in reader.page_text(page)


def test_pdf_viewers_show_the_document_title_and_the_update_is_a_valid_revision():
    pdf = render_pdf(build_followup(followup_data()))
    catalog = PdfFile(pdf).catalog()
    assert re.search(rb"/ViewerPreferences\s*<<[^>]*/DisplayDocTitle\s+true", catalog)
    assert b"/StructTreeRoot" in catalog and re.search(rb"/Lang\s*\(sv", catalog)
    # The appended cross-reference section points at the new catalog and the old one.
    xref_at = int(re.findall(rb"startxref\s+(\d+)", pdf)[-1])
    assert pdf[xref_at:].startswith(b"xref")
    entry = re.search(rb"xref\n0 1\n0000000000 65535 f \n(\d+) 1\n(\d{10}) 00000 n \n", pdf)
    number, offset = entry.group(1), int(entry.group(2))
    assert pdf[offset:].startswith(number + b" 0 obj")
    previous = int(re.search(rb"/Prev (\d+)", pdf[xref_at:]).group(1))
    assert pdf[previous:].startswith(b"xref")


@pytest.mark.parametrize(
    ("build", "title"),
    [
        (
            lambda: build_item(followup_data()),
            "Uppföljning av internkontrollplan per 31 augusti 2018",
        ),
        (lambda: build_plan(plan_data()), "Internkontrollplan 2018 för KS-förvaltning"),
    ],
)
def test_pikepdf_reads_pdfa_2b_tags_swedish_and_the_title_for_viewers(build, title):
    """The same properties as above, read by qpdf rather than by IK's own reader."""
    pdf = pikepdf.open(io.BytesIO(render_pdf(build())))
    assert pdf.check_pdf_syntax() == []
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
        assert xmp.pdfa_status == "2B"
        assert xmp["dc:title"] == title
    root = pdf.Root
    assert root.StructTreeRoot.Type == "/StructTreeRoot"
    kids = root.StructTreeRoot.K
    assert len(kids) > 0 if isinstance(kids, pikepdf.Array) else "/S" in kids
    assert root.MarkInfo.Marked is True
    assert str(root.Lang) == "sv-SE"
    assert root.ViewerPreferences.DisplayDocTitle is True
    assert str(pdf.docinfo.Title) == title


def test_the_catalog_leaves_out_suspects_false_which_poppler_reports_as_a_syntax_error():
    pdf = render_pdf(build_followup(followup_data()))
    # typst's own catalog has it; the revision readers use does not.
    assert b"/Suspects false" in pdf
    opened = pikepdf.open(io.BytesIO(pdf))
    root = opened.Root
    assert "/Suspects" not in root.MarkInfo and root.MarkInfo.Marked is True
