"""The register reader: any file `read_grids` reads, numbered and named for the registers."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

import docx
import pytest
from openpyxl import Workbook

from ik.engine.errors import InputError
from ik.engine.register_tables import csv_bytes, read_table, xlsx_bytes

SPEC = {"namn": ("name",), "varde": ("värde",)}


def _values(data: bytes | Path) -> list[tuple[int, str, str]]:
    table = read_table(data, SPEC, ("namn",))
    return [(row, table.get(cells, "namn"), table.get(cells, "varde")) for row, cells in table.rows]


def _workbook(*sheets: list[list[object]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for number, rows in enumerate(sheets, start=1):
        sheet = book.create_sheet(f"Blad{number}")
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_excel_cells_read_as_the_text_a_person_types_in_a_csv_file():
    cells: list[object] = [
        True,
        False,
        2.0,
        0.1 + 0.2,
        0.000015,
        0.123456789,
        datetime(2018, 10, 16),
        datetime(2018, 10, 16, 6, 20),
        "  Lön  ",
    ]
    data = _workbook([["namn", "värde"], *[["x", cell] for cell in cells]])
    assert [value for _, _, value in _values(data)] == [
        "ja",
        "nej",
        "2",
        "0.3",
        "0.000015",
        "0.123456789",
        "2018-10-16",
        "2018-10-16 06:20:00",
        "Lön",
    ]


def test_text_that_starts_with_an_apostrophe_survives_a_csv_and_an_xlsx_round_trip():
    # The export guards "=1+1" as "'=1+1" and "'=1+1" as "''=1+1"; one guard comes off.
    rows = [["'=1+1", "=1+1"], ["'Hej", "@SUMMA"], ["-", "-5"]]
    assert _values(csv_bytes(["namn", "varde"], rows)) == [
        (2, "'=1+1", "=1+1"),
        (3, "'Hej", "@SUMMA"),
        (4, "-", "-5"),
    ]
    assert _values(xlsx_bytes("Blad", ["namn", "varde"], rows)) == [
        (2, "'=1+1", "=1+1"),
        (3, "'Hej", "@SUMMA"),
        (4, "-", "-5"),
    ]


@pytest.mark.parametrize(
    "data",
    [
        "Namn;Värde\nÅsa;ö\n".encode("cp1252"),
        "\ufeffNamn;Värde\nÅsa;ö\n".encode(),
        "Namn;Värde\nÅsa;ö\n".encode("utf-16"),
        "Namn,Värde\r\nÅsa,ö\r\n".encode(),
        "Namn\tVärde\nÅsa\tö\n".encode(),
    ],
    ids=["windows-1252", "utf-8-bom", "utf-16", "comma", "tab"],
)
def test_encodings_and_delimiters_are_recognised(data):
    assert _values(data) == [(2, "Åsa", "ö")]


def test_rows_are_counted_from_the_header_below_blank_lines():
    assert _values(b"\n;\nnamn;varde\nA;1\n;\nB;2\n") == [(2, "A", "1"), (4, "B", "2")]


def test_the_first_sheet_of_a_workbook_is_read():
    data = _workbook([[], ["Namn"], ["Ann"]], [["namn"], ["Bo"]])
    assert _values(data) == [(2, "Ann", "")]


def test_the_first_table_of_a_word_document_is_read():
    document = docx.Document()
    document.add_paragraph("Registret")
    table = document.add_table(rows=2, cols=2)
    for (row, column), text in zip(
        ((0, 0), (0, 1), (1, 0), (1, 1)), ("Namn", "Värde", "Ann", "3"), strict=True
    ):
        table.cell(row, column).text = text
    document.add_table(rows=1, cols=1).cell(0, 0).text = "namn"
    out = io.BytesIO()
    document.save(out)
    assert _values(out.getvalue()) == [(2, "Ann", "3")]


def _docx_without_tables() -> bytes:
    out = io.BytesIO()
    docx.Document().save(out)
    return out.getvalue()


def _zip_of_text() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("register.txt", "namn\nAnn\n")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Filen register.xlsx är tom."),
        (b"\r\n;;\r\n\r\n", "Filen register.xlsx är tom."),
        (b"PK\x03\x04 cut off", "Filen register.xlsx är ett trasigt zip-paket"),
        (_zip_of_text(), "Filen register.xlsx kunde inte läsas som Excel-fil"),
        (b"namn\n\x00\x01\x02", "Filen register.xlsx ser ut att vara en binärfil"),
        (b"namn\nA\x81\n", "Filen register.xlsx är varken UTF-8 eller Windows-1252"),
        (_docx_without_tables(), "Filen register.xlsx innehåller ingen tabell."),
    ],
    ids=["empty", "blank", "broken-zip", "zip", "binary", "bad-encoding", "word-without-table"],
)
def test_an_unreadable_file_is_refused_in_swedish_naming_the_file(tmp_path, data, message):
    path = tmp_path / "register.xlsx"
    path.write_bytes(data)
    with pytest.raises(InputError) as refused:
        read_table(path, SPEC, ("namn",))
    assert str(refused.value).startswith(message)


def test_a_missing_required_column_names_the_columns_found():
    with pytest.raises(InputError) as refused:
        read_table(b"\nNamn;Belopp;\nA;1;\n", SPEC, ("namn", "varde"))
    assert refused.value.row == 1
    assert refused.value.message == (
        "Kolumnen 'varde' saknas i uppladdad fil. Kolumner i filen: 'Namn', 'Belopp'"
    )
