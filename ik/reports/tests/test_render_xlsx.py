import datetime as dt
import io
from decimal import Decimal

from openpyxl import load_workbook

from ik.engine.result import Verdict
from ik.reports.document import Cell, Column, Document, Meta, Paragraph, Section, Table
from ik.reports.followup import build_followup
from ik.reports.render_xlsx import TEXT_SHEET, render_xlsx
from ik.reports.tests.reference_data import followup_data


def _open(data: bytes):
    return load_workbook(io.BytesIO(data))


def test_xlsx_has_the_text_sheet_and_one_sheet_per_table():
    book = _open(render_xlsx(build_followup(followup_data())))
    assert book.sheetnames[0] == TEXT_SHEET
    assert len(book.sheetnames) == 2
    text = [row[0] for row in book[TEXT_SHEET].iter_rows(values_only=True) if row[0]]
    assert "Bakgrund" in text
    assert (
        "1. Kommunstyrelsen godkänner uppföljning av internkontrollplanen per 31 augusti 2018."
        in text
    )


def test_xlsx_table_sheet_has_frozen_filtered_header_and_coloured_assessments():
    book = _open(render_xlsx(build_followup(followup_data())))
    sheet = book[book.sheetnames[1]]
    assert (
        sheet["A1"].value == "Uppföljning av internkontrollplan för KS-förvaltning per 31 aug 2018"
    )
    assert [c.value for c in sheet[3]][:6] == [
        "Process",
        "Kontrollmoment",
        "Kontrollmetod",
        "Kontrollansvarig",
        "Tidpunkt/frekvens",
        "Uppföljning 180831",
    ]
    assert sheet.freeze_panes == "A4"
    assert sheet.auto_filter.ref == "A3:G8"
    assert sheet["G4"].value == "Röd"
    assert sheet["G4"].fill.fgColor.rgb.endswith("FFC7CE")


def test_xlsx_keeps_formula_like_user_text_as_text():
    table = Table("Formler", (Column("A"),), ((Cell("=1+1"),), (Cell("Grön", Verdict.GREEN),)))
    document = Document(Meta(title="Prov"), (Section((Paragraph('=HYPERLINK("x")'), table)),))
    book = _open(render_xlsx(document))
    assert book[TEXT_SHEET]["A1"].value == '=HYPERLINK("x")'
    assert book[TEXT_SHEET]["A1"].data_type == "s"
    sheet = book[book.sheetnames[1]]
    assert sheet["A4"].value == "=1+1" and sheet["A4"].data_type == "s"


def test_xlsx_sheet_names_are_valid_and_unique_for_long_similar_titles():
    title = "Uppföljning: [KS/2017:335] * väldigt lång titel?"
    table = Table(title, (Column("A"),), ((Cell("x"),),))
    document = Document(Meta(title="Prov"), (Section((table, table, table)),))
    names = _open(render_xlsx(document)).sheetnames[1:]
    assert len(set(names)) == 3
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)


def test_numbers_and_dates_are_stored_typed_not_as_text():
    table = Table(
        "Typer",
        (Column("Datum"), Column("Antal"), Column("Mätvärde"), Column("Text")),
        (
            (
                Cell.date(dt.date(2018, 11, 30)),
                Cell.count(3),
                Cell.measure(Decimal("8.5"), "%"),
                Cell("2018-11-30"),
            ),
        ),
    )
    book = _open(render_xlsx(Document(Meta(title="Prov"), (Section((table,)),))))
    sheet = book[book.sheetnames[1]]
    assert sheet["A4"].value == dt.datetime(2018, 11, 30)
    assert sheet["A4"].number_format == "yyyy-mm-dd"
    assert (sheet["B4"].value, sheet["B4"].data_type) == (3, "n")
    assert (sheet["C4"].value, sheet["C4"].data_type) == (8.5, "n")
    assert sheet["C4"].number_format == '#,##0.0 "%"'
    assert sheet["D4"].data_type == "s"


def test_sheet_names_are_cut_at_a_word_boundary_within_31_characters():
    title = "Öppna avvikelser Barn- och utbildningsnämnden per 2018-08-31"
    tables = tuple(Table(title, (Column("A"),), ((Cell("x"),),)) for _ in range(2))
    book = _open(render_xlsx(Document(Meta(title="Prov"), (Section(tables),))))
    assert book.sheetnames[1:] == ["1. Öppna avvikelser Barn- och", "2. Öppna avvikelser Barn- och"]
    for name in book.sheetnames[1:]:
        assert len(name) <= 31
        assert title.startswith(name.split(". ", 1)[1])


def test_rows_are_as_high_as_their_wrapped_text():
    long = "ord " * 300
    table = Table("Höjd", (Column("Kort"), Column("Lång", 2.0)), ((Cell("x"), Cell(long)),))
    book = _open(render_xlsx(Document(Meta(title="Prov"), (Section((table,)),))))
    sheet = book[book.sheetnames[1]]
    width = sheet.column_dimensions["B"].width
    lines = len(long) / width
    assert sheet.row_dimensions[4].height >= lines * 12
