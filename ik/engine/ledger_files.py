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


def sniff(path: Path) -> SniffedFile:
    """Look at the start of a file and decide how to read it.

    Raises InputError for empty files, binary files that are not spreadsheets, text in an
    encoding other than UTF-8 / Windows-1252 / UTF-16, and files without a header row.
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
    delimiter, headers = sniff_header(_complete_lines(text, at_end))
    return SniffedFile(kind="csv", encoding=encoding, delimiter=delimiter, headers=headers)


def detect_encoding(head: bytes, *, at_end: bool, name: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or else Windows-1252."""
    if head.startswith(_UTF8_BOM):
        return "utf-8-sig"
    if head.startswith(_UTF16_BOMS):
        return "utf-16"
    if b"\x00" in head:
        raise InputError(
            f"Filen {name} ser ut att vara en binärfil, inte en CSV-fil med text. "
            "Spara fakturalistan som CSV (UTF-8 eller Windows-1252) eller som Excel-fil."
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
    lines = text.splitlines()
    if not at_end and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut off mid-way
    return [line for line in lines[:50] if line.strip()]


def sniff_header(lines: Sequence[str]) -> tuple[str, tuple[str, ...]]:
    """The delimiter that splits the header and the following lines most consistently."""
    best: tuple[tuple[int, int], str] = ((-1, -1), DELIMITERS[0])
    for delimiter in DELIMITERS:
        counts = [
            len(row) for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
        ]
        if not counts:
            continue
        consistent = sum(1 for c in counts if c == counts[0])
        score = (consistent if counts[0] > 1 else 0, counts[0])
        if score > best[0]:
            best = (score, delimiter)
    delimiter = best[1]
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
