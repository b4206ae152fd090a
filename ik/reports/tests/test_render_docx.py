import datetime as dt
import io
import zipfile

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from ik.engine.result import Verdict
from ik.reports.document import Cell, Column, Document, Meta, Paragraph, Section, Table
from ik.reports.followup import build_followup
from ik.reports.make_default_template import build_default_template
from ik.reports.render_docx import DEFAULT_TEMPLATE, render_docx, validate_docx_template
from ik.reports.tests.reference_data import followup_data


def _open(data: bytes):
    return docx.Document(io.BytesIO(data))


def _letterhead_template(footer_text: str = "") -> bytes:
    word = docx.Document()
    word.sections[0].header.paragraphs[0].text = "BREVHUVUD PROVKOMMUN"
    if footer_text:
        word.sections[0].footer.paragraphs[0].text = footer_text
    word.add_paragraph("Mallens exempeltext som inte ska följa med")
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def test_docx_reopens_with_headings_in_heading_styles_and_the_appendix_table():
    word = _open(render_docx(build_followup(followup_data())))
    headings = [(p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith("Head")]
    assert ("Heading 1", "Uppföljning av internkontrollplan per 31 augusti 2018") in headings
    assert ("Heading 2", "Kommunstyrelsens förvaltnings förslag till beslut") in headings
    appendix = word.tables[1]
    assert [c.text for c in appendix.rows[0].cells][:6] == [
        "Process",
        "Kontrollmoment",
        "Kontrollmetod",
        "Kontrollansvarig",
        "Tidpunkt/frekvens",
        "Uppföljning 180831",
    ]
    assert appendix.rows[1].cells[0].text == "1. Försent betalda fakturor (kommungemensamt)"


def test_docx_assessment_cell_has_both_colour_and_text():
    word = _open(render_docx(build_followup(followup_data())))
    cell = word.tables[1].rows[1].cells[6]
    shading = cell._tc.tcPr.find(qn("w:shd"))
    assert cell.text == "Röd"
    assert shading.get(qn("w:fill")) == "FFC7CE"


def test_docx_header_row_repeats_on_every_page():
    word = _open(render_docx(build_followup(followup_data())))
    header_row = word.tables[1].rows[0]
    assert header_row._tr.trPr.find(qn("w:tblHeader")) is not None


def test_docx_puts_the_appendix_in_a_landscape_section():
    word = _open(render_docx(build_followup(followup_data())))
    orientations = [s.orientation for s in word.sections]
    assert orientations == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE]
    assert word.sections[1].page_width > word.sections[1].page_height


def test_docx_footer_holds_the_contact_block_and_properties_name_the_report():
    word = _open(render_docx(build_followup(followup_data())))
    footer_text = "\n".join(c.text for t in word.sections[0].footer.tables for c in t._cells)
    assert "Burensköldsvägen 11-13" in footer_text and "Telefax" in footer_text
    assert word.core_properties.title == "Uppföljning av internkontrollplan per 31 augusti 2018"
    assert word.core_properties.author == "Mjölby kommun"


def test_organisations_template_keeps_its_letterhead_and_loses_its_body_text():
    template = _letterhead_template()
    for source in (template, None):
        word = _open(render_docx(build_followup(followup_data()), source))
        assert "Mallens exempeltext" not in "\n".join(p.text for p in word.paragraphs)
    word = _open(render_docx(build_followup(followup_data()), template))
    assert word.sections[0].header.paragraphs[0].text == "BREVHUVUD PROVKOMMUN"


def test_template_with_its_own_footer_is_left_as_the_organisation_made_it():
    template = _letterhead_template(footer_text="Vår egen sidfot")
    word = _open(render_docx(build_followup(followup_data()), template))
    assert word.sections[0].footer.paragraphs[0].text == "Vår egen sidfot"
    assert not word.sections[0].footer.tables


def test_template_can_be_given_as_a_path(tmp_path):
    path = tmp_path / "mall.docx"
    path.write_bytes(_letterhead_template())
    word = _open(render_docx(build_followup(followup_data()), path))
    assert word.sections[0].header.paragraphs[0].text == "BREVHUVUD PROVKOMMUN"


def test_a_word_template_file_dotx_is_accepted():
    data = _letterhead_template()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            blob = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                blob = blob.replace(
                    b"wordprocessingml.document.main+xml", b"wordprocessingml.template.main+xml"
                )
            target.writestr(info, blob)
    validate_docx_template(out.getvalue())
    assert _open(render_docx(build_followup(followup_data()), out.getvalue())).tables


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"inte en zip-fil", "inte en Word-fil"),
        (b"", "inte en Word-fil"),
    ],
)
def test_validate_docx_template_rejects_what_is_not_a_zip(data, message):
    with pytest.raises(ValueError, match=message):
        validate_docx_template(data)


def test_validate_docx_template_rejects_a_zip_without_a_word_document():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("hej.txt", "hej")
    with pytest.raises(ValueError, match="saknar ett Word-dokument"):
        validate_docx_template(out.getvalue())


def test_validate_docx_template_rejects_a_corrupt_word_document():
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(DEFAULT_TEMPLATE.read_bytes())) as source,
        zipfile.ZipFile(out, "w") as target,
    ):
        for info in source.infolist():
            blob = source.read(info.filename)
            if info.filename == "word/document.xml":
                blob = blob[: len(blob) // 2]
            target.writestr(info, blob)
    with pytest.raises(ValueError, match="skadad"):
        validate_docx_template(out.getvalue())


def test_shipped_default_template_is_valid_and_reproducible():
    validate_docx_template(DEFAULT_TEMPLATE.read_bytes())
    assert build_default_template() == DEFAULT_TEMPLATE.read_bytes()


def test_control_characters_and_markup_in_user_text_survive_as_text():
    text = "Rad\x07 med <b>taggar</b> & =SUMMA(A1)"
    table = Table("T", (Column("A"),), ((Cell(text, Verdict.GREEN),),))
    document = Document(Meta(title="Prov"), (Section((Paragraph(text), table)),))
    word = _open(render_docx(document))
    assert word.paragraphs[0].text == "Rad med <b>taggar</b> & =SUMMA(A1)"
    assert word.tables[0].rows[1].cells[0].text == "Rad med <b>taggar</b> & =SUMMA(A1)"


def test_template_without_heading_styles_still_prints_headings_in_bold():
    word = docx.Document()
    styles = word.styles.element
    for style in list(styles.iterchildren(qn("w:style"))):
        if style.get(qn("w:styleId")).startswith("Heading"):
            styles.remove(style)
    out = io.BytesIO()
    word.save(out)
    result = _open(render_docx(build_followup(followup_data()), out.getvalue()))
    bakgrund = next(p for p in result.paragraphs if p.text == "Bakgrund")
    assert bakgrund.runs[0].bold is True


def test_docx_core_properties_describe_this_document_not_the_template():
    now = dt.datetime(2026, 12, 1, 14, 30, tzinfo=dt.UTC)
    data = render_docx(build_followup(followup_data()), now=now)
    props = _open(data).core_properties
    assert props.title == "Uppföljning av internkontrollplan per 31 augusti 2018"
    assert (props.author, props.last_modified_by) == ("Mjölby kommun", "Mjölby kommun")
    assert props.created.replace(tzinfo=dt.UTC) == now
    assert props.modified.replace(tzinfo=dt.UTC) == now
    assert props.language == "sv-SE"
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        core = package.read("docProps/core.xml").decode()
        app = package.read("docProps/app.xml").decode()
    assert "python-docx" not in core and "2018-01-01" not in core
    assert "<Application>IK</Application>" in app and "Microsoft" not in app


def _fields(part) -> list[str]:
    return [t.text.strip() for t in part._element.iter(qn("w:instrText"))]


def test_docx_numbers_pages_as_page_of_pages_in_every_sections_header():
    word = _open(render_docx(build_followup(followup_data())))
    assert len(word.sections) == 2
    for section in word.sections:
        assert _fields(section.header) == ["PAGE", "NUMPAGES"]
        assert "(" in section.header.paragraphs[0].text


def test_a_template_header_without_page_numbers_gets_them():
    word = _open(render_docx(build_followup(followup_data()), _letterhead_template()))
    header = word.sections[0].header
    assert "BREVHUVUD PROVKOMMUN" in "\n".join(p.text for p in header.paragraphs)
    assert _fields(header) == ["PAGE", "NUMPAGES"]


def test_docx_headings_keep_with_the_next_paragraph():
    word = _open(render_docx(build_followup(followup_data())))
    headings = [p for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert headings
    assert all(p.paragraph_format.keep_with_next for p in headings)


def test_a_row_longer_than_a_page_may_split_while_short_rows_stay_whole():
    long = "Mening om resultatet. " * 600
    table = Table(
        "Lång",
        (Column("A"), Column("B")),
        ((Cell("kort"), Cell("x")),) + ((Cell("a"), Cell(long)),),
    )
    word = _open(render_docx(Document(Meta(title="Prov"), (Section((table,)),))))
    rows = word.tables[-1]._tbl.findall(qn("w:tr"))
    split = [row.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is None for row in rows]
    assert split == [False, False, True]  # header, short row, long row


def _header_images(data: bytes) -> list[bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return [package.read(n) for n in package.namelist() if n.startswith("word/media/")]


def test_an_svg_logo_is_drawn_into_the_word_header_as_png():
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
        b'<rect width="40" height="20" fill="#1f4e79"/></svg>'
    )
    document = Document(
        Meta(title="Prov", organisation="Provkommun", logo=svg), (Section((Paragraph("x"),)),)
    )
    images = _header_images(render_docx(document))
    assert images and all(image.startswith(b"\x89PNG") for image in images)


def test_an_svg_logo_that_cannot_be_drawn_is_left_out_and_the_document_still_renders():
    document = Document(
        Meta(title="Prov", organisation="Provkommun", logo=b"<svg xmlns='x'><unclosed"),
        (Section((Paragraph("x"),)),),
    )
    data = render_docx(document)
    assert _header_images(data) == []
    assert "Provkommun" in _open(data).sections[0].header.paragraphs[0].text
