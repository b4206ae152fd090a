import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from ik.engine.errors import InputError
from ik.engine.ledger import Ledger, read_ledger
from ik.engine.result import sha256_file

RAINDANCE_HEADER = "FAKTURANR;LEVERANTOR;ORGNR;ANSVAR;FORFALLODATUM;BETALDATUM;BELOPP_SEK"


def write(tmp_path: Path, text: str, *, encoding: str = "utf-8", name: str = "f.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def rows(ledger: Ledger, columns: str = "*") -> list[tuple[object, ...]]:
    return ledger.con.execute(f"SELECT {columns} FROM {ledger.table} ORDER BY row").fetchall()  # noqa: S608


def test_reads_semicolon_windows_1252_with_decimal_comma_and_spaces(tmp_path: Path) -> None:
    text = (
        f"{RAINDANCE_HEADER}\n"
        "A1;Åkerlunds Bygg AB;556012-5790;1100;2018-08-31;2018-09-03;1 234,50\n"
        "A2;Örebro Städ;5560125790;1200;2018-08-31;;-99,00\n"
    )
    ledger = read_ledger(write(tmp_path, text, encoding="cp1252"))
    assert ledger.encoding == "cp1252"
    assert ledger.delimiter == ";"
    assert ledger.profile == "raindance"
    assert rows(ledger, "row, supplier, amount, paid_date") == [
        (2, "Åkerlunds Bygg AB", Decimal("1234.50"), dt.date(2018, 9, 3)),
        (3, "Örebro Städ", Decimal("-99.00"), None),
    ]


def test_windows_1252_only_characters_are_decoded(tmp_path: Path) -> None:
    # "–" and "€" are where Windows-1252 differs from Latin-1.
    text = f"{RAINDANCE_HEADER}\nA1;Bygg – Städ € AB;;1100;2018-08-31;2018-09-01;10\n"
    ledger = read_ledger(write(tmp_path, text, encoding="cp1252"))
    assert rows(ledger, "supplier") == [("Bygg – Städ € AB",)]


def test_reads_utf8_with_bom_and_comma_delimiter(tmp_path: Path) -> None:
    text = "\ufeffFakturanr,Leverantör,Belopp,Förfallodatum\nF1,Ägir AB,1234.50,2018-08-31\n"
    ledger = read_ledger(write(tmp_path, text))
    assert ledger.delimiter == ","
    assert ledger.columns[0] == "Fakturanr"
    assert rows(ledger, "invoice_no, supplier, amount, due_date") == [
        ("F1", "Ägir AB", Decimal("1234.50"), dt.date(2018, 8, 31))
    ]


def test_reads_excel_unicode_text_export_in_utf16(tmp_path: Path) -> None:
    text = "\ufeffFAKTURANR\tLEVERANTÖR\tBELOPP\n9\tÖdeshög Åkeri\t1 234,50\n"
    ledger = read_ledger(write(tmp_path, text, encoding="utf-16-le"))
    assert rows(ledger, "supplier, amount") == [("Ödeshög Åkeri", Decimal("1234.50"))]


def test_reads_tab_delimited_utf8(tmp_path: Path) -> None:
    text = "faktura_nr\tleverantor\tbelopp\tdatum\n7\tÅsa AB\t12,5\t20180831\n"
    ledger = read_ledger(write(tmp_path, text))
    assert ledger.delimiter == "\t"
    assert ledger.profile == "leverantorsreskontra"
    assert rows(ledger, "amount, invoice_date") == [(Decimal("12.50"), dt.date(2018, 8, 31))]


@pytest.mark.parametrize(
    "cell",
    ["2018-08-31", "20180831", "31/08/2018", "43343", "2018-08-31 00:00:00", "31.08.2018"],
)
def test_date_forms_all_mean_the_same_day(tmp_path: Path, cell: str) -> None:
    ledger = read_ledger(write(tmp_path, f"fakturanr;forfallodatum\n1;{cell}\n"))
    assert rows(ledger, "due_date") == [(dt.date(2018, 8, 31),)]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1 234,50", "1234.50"),
        ("1\u00a0234,50", "1234.50"),
        ("1\u202f234,50", "1234.50"),
        ("1234.50", "1234.50"),
        ("1,234.50", "1234.50"),
        ("1.234.567,50", "1234567.50"),
        ("-12,5", "-12.50"),
        ("12,50-", "-12.50"),
        ("7", "7.00"),
    ],
)
def test_amount_forms(tmp_path: Path, cell: str, expected: str) -> None:
    ledger = read_ledger(write(tmp_path, f'fakturanr;belopp\n1;"{cell}"\n'))
    assert rows(ledger, "amount") == [(Decimal(expected),)]


def test_quoted_fields_may_hold_the_delimiter(tmp_path: Path) -> None:
    text = 'fakturanr;leverantor;belopp\n1;"Bygg; Montage AB";"1 000,00"\n'
    ledger = read_ledger(write(tmp_path, text))
    assert rows(ledger, "supplier, amount") == [("Bygg; Montage AB", Decimal("1000.00"))]


@pytest.mark.parametrize(
    "text", ["fakturanr;belopp\n1;10;\n2;20;\n", "fakturanr;belopp;\n1;10\n2;20\n"]
)
def test_a_trailing_delimiter_on_data_lines_or_header_is_tolerated(
    tmp_path: Path, text: str
) -> None:
    assert rows(read_ledger(write(tmp_path, text)), "row, amount") == [
        (2, Decimal("10.00")),
        (3, Decimal("20.00")),
    ]


def test_crlf_line_endings(tmp_path: Path) -> None:
    text = "fakturanr;belopp\r\n1;10\r\n2;20\r\n"
    assert rows(read_ledger(write(tmp_path, text)), "row, amount") == [
        (2, Decimal("10.00")),
        (3, Decimal("20.00")),
    ]


def test_row_numbers_follow_the_file_beyond_one_row_group(tmp_path: Path) -> None:
    lines = ["fakturanr;belopp"] + [f"{i};{i},00" for i in range(2, 130_002)]
    ledger = read_ledger(write(tmp_path, "\n".join(lines) + "\n"))
    mismatched = ledger.con.execute(
        f"SELECT count(*) FROM {ledger.table} WHERE CAST(invoice_no AS INTEGER) <> row"  # noqa: S608
    ).fetchone()
    assert ledger.rows == 130_000
    assert mismatched == (0,)


def test_input_sha256_is_the_files_digest_and_the_file_is_unchanged(tmp_path: Path) -> None:
    path = write(tmp_path, "fakturanr;belopp\n1;10\n")
    before = path.read_bytes()
    ledger = read_ledger(path)
    assert ledger.input_sha256 == sha256_file(path)
    assert path.read_bytes() == before


def test_reads_xlsx_with_typed_cells_and_sheet_row_numbers(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Utdrag ur leverantörsreskontran"])
    ws.append([])
    ws.append(["FAKTURANR", "LEVERANTÖR", "FÖRFALLODATUM", "BETALDATUM", "BELOPP_SEK"])
    ws.append([1001, "Åby El AB", dt.date(2018, 8, 31), dt.datetime(2018, 9, 2), 1234.5])
    ws.append([1002, "Öst Tak", 43343, "2018-08-30", "2 000,00"])
    path = tmp_path / "ledger.xlsx"
    wb.save(path)
    ledger = read_ledger(path)
    assert ledger.file_format == "excel"
    assert rows(ledger, "row, invoice_no, supplier, due_date, paid_date, amount") == [
        (4, "1001", "Åby El AB", dt.date(2018, 8, 31), dt.date(2018, 9, 2), Decimal("1234.50")),
        (5, "1002", "Öst Tak", dt.date(2018, 8, 31), dt.date(2018, 8, 30), Decimal("2000.00")),
    ]


def test_bad_xlsx_value_names_sheet_row_and_column(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["FAKTURANR", "FÖRFALLODATUM"])
    ws.append([1, "snart"])
    path = tmp_path / "ledger.xlsx"
    wb.save(path)
    with pytest.raises(InputError) as caught:
        read_ledger(path)
    assert (caught.value.row, caught.value.column) == (2, "FÖRFALLODATUM")


def test_malformed_date_refuses_the_file_naming_row_column_and_value(tmp_path: Path) -> None:
    text = f"{RAINDANCE_HEADER}\nA1;X;;1;2018-08-31;2018-09-01;1\nA2;Y;;1;2018-02-30;2018-09-01;1\n"
    with pytest.raises(InputError) as caught:
        read_ledger(write(tmp_path, text))
    error = caught.value
    assert (error.row, error.column) == (3, "FORFALLODATUM")
    assert "'2018-02-30'" in str(error)
    assert "inte ett datum" in str(error)


def test_malformed_amount_refuses_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_ledger(write(tmp_path, "fakturanr;belopp\n1;10\n2;tio kronor\n"))
    assert (caught.value.row, caught.value.column) == (3, "belopp")
    assert "inte ett belopp" in str(caught.value)


def test_skip_bad_rows_reads_the_rest_and_lists_each_skipped_row(tmp_path: Path) -> None:
    text = "fakturanr;belopp;forfallodatum\n1;10;2018-01-01\n2;x;2018-01-01\n3;30;igår\n4;40;\n"
    ledger = read_ledger(write(tmp_path, text), skip_bad_rows=True)
    assert rows(ledger, "row, invoice_no") == [(2, "1"), (5, "4")]
    assert ledger.rows == 2
    assert [(p.row, p.column, p.value) for p in ledger.problems] == [
        (3, "belopp", "x"),
        (4, "forfallodatum", "igår"),
    ]


def test_row_with_wrong_number_of_columns_is_refused_with_its_line(tmp_path: Path) -> None:
    text = "fakturanr;belopp\n1;10\n2;20;extra\n3;30\n"
    with pytest.raises(InputError) as caught:
        read_ledger(write(tmp_path, text))
    assert caught.value.row == 3
    assert "3 kolumner men rubrikraden har 2" in str(caught.value)


def test_skipping_a_broken_line_keeps_later_row_numbers_right(tmp_path: Path) -> None:
    text = "fakturanr;belopp\n1;10\n2;20;extra\n3;30\n4\n5;x\n"
    ledger = read_ledger(write(tmp_path, text), skip_bad_rows=True)
    assert rows(ledger, "row, invoice_no") == [(2, "1"), (4, "3")]
    assert [p.row for p in ledger.problems] == [3, 5, 6]


def test_missing_columns_are_named_in_swedish_with_the_columns_found(tmp_path: Path) -> None:
    path = write(tmp_path, "FAKTURANR;BELOPP_SEK\n1;10\n")
    with pytest.raises(InputError) as caught:
        read_ledger(path, required=["due_date", "paid_date"])
    message = str(caught.value)
    assert "förfallodatum (due_date)" in message
    assert "betaldatum (paid_date)" in message
    assert '"FAKTURANR", "BELOPP_SEK"' in message


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="Filen saknas.csv finns inte"):
        read_ledger(tmp_path / "saknas.csv")


def test_empty_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="är tom"):
        read_ledger(write(tmp_path, ""))


def test_header_without_rows_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="inga rader med data"):
        read_ledger(write(tmp_path, "fakturanr;belopp\n"))


def test_png_renamed_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bild.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    with pytest.raises(InputError, match="PNG-bild"):
        read_ledger(path)


def test_zip_renamed_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "arkiv.csv"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(InputError, match="kunde inte läsas som Excel-fil"):
        read_ledger(path)


def test_binary_noise_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes(b"abc\x00\x01\x02" * 50)
    with pytest.raises(InputError, match="binärfil"):
        read_ledger(path)


def test_file_in_neither_utf8_nor_windows_1252_is_refused(tmp_path: Path) -> None:
    # 0x81 is undefined in Windows-1252 and invalid as a UTF-8 start byte.
    path = tmp_path / "data.csv"
    path.write_bytes(b"fakturanr;leverantor\n1;A\x81B\n")
    with pytest.raises(InputError, match="varken UTF-8 eller Windows-1252"):
        read_ledger(path)


def test_utf8_start_with_windows_1252_later_is_read_as_windows_1252(tmp_path: Path) -> None:
    head = "fakturanr;leverantor\n" + "".join(f"{i};Plain AB\n" for i in range(20_000))
    path = tmp_path / "data.csv"
    path.write_bytes(head.encode() + "20000;Ödeshög Åkeri\n".encode("cp1252"))
    ledger = read_ledger(path)
    assert ledger.con.execute(
        f"SELECT supplier FROM {ledger.table} WHERE invoice_no = '20000'"  # noqa: S608
    ).fetchall() == [("Ödeshög Åkeri",)]


def test_file_with_no_recognised_header_says_which_fields_are_missing(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="Kolumner saknas för förfallodatum"):
        read_ledger(write(tmp_path, "a;b;c\n1;2;3\n"), required=["due_date", "paid_date"])


def test_fields_limits_what_is_loaded(tmp_path: Path) -> None:
    ledger = read_ledger(
        write(tmp_path, f"{RAINDANCE_HEADER}\nA1;X;;1;2018-08-31;2018-09-01;1\n"),
        fields=["amount"],
    )
    assert ledger.fields == ("amount",)
    assert rows(ledger) == [(2, Decimal("1.00"))]
