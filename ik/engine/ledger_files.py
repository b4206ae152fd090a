"""Recognising what a ledger file is before reading it: format, encoding, delimiter, headers."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ik.engine.errors import InputError

HEAD_BYTES = 1 << 16
EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"})
_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_UTF8_BOM = codecs.BOM_UTF8
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_SIGNATURES = (
    (b"\x89PNG", "en PNG-bild"),
    (b"%PDF", "en PDF-fil"),
    (b"\xff\xd8\xff", "en JPEG-bild"),
    (b"GIF8", "en GIF-bild"),
    (b"\x1f\x8b", "en gzip-komprimerad fil"),
    (b"7z\xbc\xaf", "ett 7z-arkiv"),
    (b"Rar!", "ett RAR-arkiv"),
)
# Semicolon first: a Swedish export with decimal commas is almost always semicolon-separated.
DELIMITERS = (";", "\t", ",", "|")


@dataclass(frozen=True, slots=True)
class SniffedFile:
    """What a file turned out to be. `encoding` is a Python codec name for text files."""

    kind: str  # "csv" or "excel"
    encoding: str = ""
    delimiter: str = ""
    headers: tuple[str, ...] = ()
    header_line: int = 1  # 1-based line of the header row; title rows may stand above it


def sniff(path: Path, header_row: int | None = None) -> SniffedFile:
    """Look at the start of a file and decide how to read it.

    The header is the first row with column names in at least two cells and as many cells as
    the rows below it, so title rows above it are passed over; `header_row` (1-based) says
    where it is instead. Raises InputError for empty files, binary files that are not
    spreadsheets, text in an encoding other than UTF-8 / Windows-1252 / UTF-16, and files
    without a header row.
    """
    try:
        with open(path, "rb") as fh:
            head = fh.read(HEAD_BYTES)
            at_end = not fh.read(1)
    except FileNotFoundError:
        raise InputError(f"Filen {path.name} finns inte.") from None
    except IsADirectoryError:
        raise InputError(f"{path.name} är en mapp, inte en fil.") from None
    if not head.strip(b" \t\r\n" + _UTF8_BOM):
        raise InputError(f"Filen {path.name} är tom.")
    if head.startswith((_ZIP, _OLE2)) or path.suffix.lower() in EXCEL_SUFFIXES:
        return SniffedFile(kind="excel")
    for signature, what in _SIGNATURES:
        if head.startswith(signature):
            raise InputError(
                f"Filen {path.name} är {what}, inte en CSV- eller Excel-fil med fakturarader."
            )
    encoding = detect_encoding(head, at_end=at_end, name=path.name)
    text = head.decode(encoding, errors="ignore") if at_end else _decode_prefix(head, encoding)
    lines = _complete_lines(text, at_end)
    delimiter = sniff_delimiter([line for line in lines if line.strip()])
    index = _header_index(lines, delimiter, header_row, path.name)
    _, headers = sniff_header(lines[index:], delimiter)
    return SniffedFile(
        kind="csv",
        encoding=encoding,
        delimiter=delimiter,
        headers=headers,
        header_line=index + 1,
    )


def detect_encoding(head: bytes, *, at_end: bool, name: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or else Windows-1252."""
    if head.startswith(_UTF8_BOM):
        return "utf-8-sig"
    if head.startswith(_UTF16_BOMS):
        return "utf-16"
    if b"\x00" in head:
        raise InputError(
            f"Filen {name} ser ut att vara en binärfil, inte en CSV-fil med text. "
            "Spara filen som CSV (UTF-8 eller Windows-1252) eller som Excel-fil."
        )
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=at_end)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        head.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = head[: exc.start].count(b"\n") + 1
        raise InputError(
            f"Filen {name} är varken UTF-8 eller Windows-1252: byte 0x{head[exc.start]:02X} på "
            f"rad {line} kan inte läsas. Spara filen som UTF-8 och försök igen.",
            row=line,
        ) from None
    return "cp1252"


def _decode_prefix(head: bytes, encoding: str) -> str:
    return codecs.getincrementaldecoder(encoding)(errors="replace").decode(head, final=False)


def _complete_lines(text: str, at_end: bool) -> list[str]:
    """The first lines of the file as they are numbered in it (empty ones included)."""
    lines = text.splitlines()
    if not at_end and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut off mid-way
    return lines[:60]


def _cells(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter), [])


def sniff_delimiter(lines: Sequence[str]) -> str:
    """The delimiter that splits most lines into the same number (more than one) of cells."""
    best: tuple[tuple[int, int], str] = ((-1, -1), DELIMITERS[0])
    for delimiter in DELIMITERS:
        counts = [
            len(row) for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
        ]
        if not counts:
            continue
        common = max(set(counts), key=lambda c: (counts.count(c), c))
        score = (counts.count(common) if common > 1 else 0, common)
        if score > best[0]:
            best = (score, delimiter)
    return best[1]


def _header_index(lines: Sequence[str], delimiter: str, header_row: int | None, name: str) -> int:
    if header_row is not None:
        if not 1 <= header_row <= len(lines) or not lines[header_row - 1].strip():
            raise InputError(
                f"Rubrikraden {header_row} finns inte bland de första {len(lines)} raderna i "
                f"filen {name}, eller är tom.",
                row=header_row,
            )
        return header_row - 1
    widths = [len(_cells(line, delimiter)) if line.strip() else 0 for line in lines]
    data_width = max(set(widths) - {0}, key=lambda w: (widths.count(w), w), default=0)
    for index, line in enumerate(lines):
        filled = sum(1 for cell in _cells(line, delimiter) if cell.strip())
        if widths[index] >= data_width - 1 and filled >= 2 and filled * 2 >= widths[index]:
            return index
    return next((i for i, line in enumerate(lines) if line.strip()), 0)


def sniff_header(lines: Sequence[str], delimiter: str | None = None) -> tuple[str, tuple[str, ...]]:
    """The header row (the first line) and the delimiter, read with the lines below it."""
    lines = [line for line in lines if line.strip()]
    delimiter = delimiter or sniff_delimiter(lines)
    parsed = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
    header = [h.strip().lstrip("\ufeff") for h in parsed[0]] if parsed else []
    return delimiter, tuple(_align_trailing_delimiter(header, parsed[1:]))


def _align_trailing_delimiter(header: list[str], data: Sequence[Sequence[str]]) -> list[str]:
    # Some finance systems end every data line, or only the header, with a delimiter; the
    # header is padded or trimmed so the lines are not all refused for their column count.
    if not data or not header:
        return header
    widths = {len(row) for row in data}
    if widths == {len(header) + 1} and all(row[-1] == "" for row in data):
        return [*header, ""]
    if widths == {len(header) - 1} and header[-1] == "":
        return header[:-1]
    return header
