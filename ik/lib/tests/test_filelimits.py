"""The file limits, met by the hostile files they exist for."""

from __future__ import annotations

import io
import zipfile

import pytest

from ik.lib import filelimits
from ik.lib.filelimits import LimitError, SheetLimits, ZipLimits, check_spreadsheet
from ik.lib.tests import hostile


def _check(data: bytes, limits: SheetLimits = filelimits.LEDGER_SHEET) -> filelimits.SheetReport:
    return check_spreadsheet(io.BytesIO(data), limits, what="Filen fakturor.xlsx")


def test_a_cell_at_the_last_excel_address_is_refused_before_a_reader_allocates_the_sheet() -> None:
    data = hostile.xlsx_far_cell()
    assert len(data) < 2000
    with pytest.raises(LimitError) as refused:
        _check(data)
    message = str(refused.value)
    assert "Filen fakturor.xlsx" in message
    assert "bladet Fakturor" in message
    assert "rad 1\u00a0048\u00a0576 och kolumn 16\u00a0384" in message
    assert "gränsen är 30\u00a0000\u00a0000 celler" in message


def test_a_sheet_declaring_the_whole_grid_as_its_range_is_refused() -> None:
    with pytest.raises(LimitError, match="sträcker sig till rad 1\u00a0048\u00a0576"):
        _check(hostile.xlsx_declared_everything())


def test_a_small_sheet_passes_and_reports_nothing() -> None:
    report = _check(hostile.xlsx(hostile.header_row("leverantor", "belopp")))
    assert report.warnings() == []


def test_a_sheet_that_unpacks_past_the_limit_is_refused_from_its_declared_size() -> None:
    limits = SheetLimits(
        package=ZipLimits(max_members=100, max_member_bytes=8 << 20, max_total_bytes=8 << 20),
        max_cells=1000,
    )
    data = hostile.xlsx_sheet_bomb(64 << 20)
    assert len(data) < 1 << 20
    with pytest.raises(LimitError, match="packas upp till mer än 8 MB"):
        _check(data, limits)


def test_a_sheet_whose_header_understates_its_size_is_refused_while_unpacking() -> None:
    limits = SheetLimits(
        package=ZipLimits(max_members=100, max_member_bytes=8 << 20, max_total_bytes=8 << 20),
        max_cells=1000,
    )
    data = hostile.xlsx_sheet_bomb(64 << 20, stated=1000)
    with pytest.raises(LimitError, match=r"mer än 8 MB \(delen xl/worksheets/sheet1.xml\)"):
        _check(data, limits)


def test_a_ledger_xml_of_a_gigabyte_in_a_few_megabytes_is_refused_at_the_real_limit() -> None:
    data = hostile.xlsx_sheet_bomb(filelimits.GIB + 1)
    assert len(data) < 8 << 20
    with pytest.raises(LimitError, match="packas upp till mer än 1 GB"):
        _check(data)


def test_a_cell_larger_than_the_cell_limit_is_refused() -> None:
    big = "x" * (filelimits.LEDGER_SHEET.max_cell_bytes + 1)
    row = f'<row r="2"><c r="A2" t="inlineStr"><is><t>{big}</t></is></c></row>'
    with pytest.raises(LimitError, match="en cell på bladet Fakturor är större än 256 kB"):
        _check(hostile.xlsx(hostile.header_row("a", "b") + row))


def test_entities_in_a_sheet_are_refused_before_any_parser_sees_them() -> None:
    data = hostile.xlsx(hostile.header_row("a", "&lol9;"), prolog=hostile.BILLION_LAUGHS)
    with pytest.raises(LimitError, match=r"dokumenttypsdeklaration \(DTD\).*sheet1.xml"):
        _check(data)


def test_formula_cells_without_saved_values_are_named() -> None:
    rows = (
        '<row r="2"><c r="A2"><f>SUM(B1:B9)</f></c><c r="B2"><f>1+1</f><v>2</v></c>'
        '<c r="C2"/><c r="D2" t="str"><f>A1&amp;""</f><v></v></c></row>'
    )
    report = _check(hostile.xlsx(hostile.header_row("a", "b") + rows, dimension="A1:D2"))
    assert report.formulas_without_values == {"Fakturor": ["A2", "D2"]}
    (warning,) = report.warnings()
    assert "Bladet Fakturor har 2 formelceller utan sparat värde (A2, D2)" in warning


def test_a_file_that_is_not_a_zip_is_left_to_the_reader() -> None:
    assert _check(b"\xd0\xcf\x11\xe0 an old xls").warnings() == []


def test_a_package_with_too_many_members_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for i in range(11):
            package.writestr(f"part{i}.bin", b"")
    with (
        zipfile.ZipFile(out) as package,
        pytest.raises(LimitError, match="11 delar; gränsen är 10"),
    ):
        filelimits.check_zip(package, ZipLimits(10, 100, 100), what="Arkivet")


def test_an_image_over_the_pixel_limit_is_refused_from_its_header() -> None:
    data = hostile.png(30_000, 30_000)
    assert len(data) < 200_000
    with pytest.raises(LimitError, match="30\u00a0000 × 30\u00a0000 bildpunkter; gränsen"):
        filelimits.check_image(data, filelimits.LOGO, what="Logotypen")


def test_image_sizes_are_read_from_png_gif_and_jpeg_headers() -> None:
    assert filelimits.image_size(hostile.png(300, 120)) == (300, 120)
    assert filelimits.image_size(b"GIF89a" + bytes([44, 1, 120, 0]) + b"\x00" * 8) == (300, 120)
    jpeg = (
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        b"\xff\xc0\x00\x11\x08\x00\x78\x01\x2c\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01"
    )
    assert filelimits.image_size(jpeg) == (300, 120)
    assert filelimits.image_size(b"\x89PNG\r\n\x1a\n") is None
