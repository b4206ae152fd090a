"""Hostile files for the tests: small on disk, huge once declared, unpacked or decoded.

Each is built with zipfile, struct and zlib in a fraction of a second; none is ever unpacked
whole by the code under test, which is the point.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

_XLSX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Fakturor" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def header_row(*titles: str) -> str:
    cells = "".join(_text_cell(f"{chr(65 + i)}1", t) for i, t in enumerate(titles))
    return f'<row r="1">{cells}</row>'


def xlsx(sheet_data: str, *, dimension: str = "A1", prolog: str = "") -> bytes:
    """A one-sheet workbook whose sheet holds `sheet_data` (rows of cells) as written."""
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{sheet_data}</sheetData></worksheet>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", _XLSX_TYPES)
        package.writestr("_rels/.rels", _RELS)
        package.writestr("xl/workbook.xml", _WORKBOOK)
        package.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        package.writestr("xl/worksheets/sheet1.xml", sheet)
    return out.getvalue()


def xlsx_far_cell() -> bytes:
    """1.5 kB: one filled cell at XFD1048576 makes a dense reader allocate 512 GiB."""
    return xlsx(
        header_row("leverantor", "belopp") + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    )


def xlsx_declared_everything() -> bytes:
    """A sheet that declares A1:XFD1048576 as its used range."""
    return xlsx(header_row("leverantor", "belopp"), dimension="A1:XFD1048576")


def xlsx_sheet_bomb(unpacked: int, *, stated: int | None = None) -> bytes:
    """A few MB on disk, at least `unpacked` bytes of sheet XML (blank rows) once inflated.

    With `stated`, the sheet's headers state that size instead of the true one: readers that
    trust the header are told a small number while the data still unpacks in full.
    """
    start = (SHEET_START + "<sheetData>" + header_row("a", "b")).encode()
    return zip_package(
        {
            "[Content_Types].xml": _XLSX_TYPES.encode(),
            "_rels/.rels": _RELS.encode(),
            "xl/workbook.xml": _WORKBOOK.encode(),
            "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS.encode(),
            "xl/worksheets/sheet1.xml": Repeated(start, b"<row/>", unpacked, b"</sheetData>"),
        },
        stated={"xl/worksheets/sheet1.xml": stated} if stated else None,
    )


class Repeated:
    """Content made of `head`, `unit` repeated past `size` bytes, and `tail`.

    Deflated once per megabyte with a full flush, so the same compressed block can be
    repeated: building a gigabyte takes as long as checksumming it.
    """

    def __init__(self, head: bytes, unit: bytes, size: int, tail: bytes = b"") -> None:
        self.head, self.tail = head, tail
        self.block = unit * max(1, (1 << 20) // len(unit))
        self.count = -(-size // len(self.block))

    def deflated(self) -> tuple[bytes, int, int]:
        """Raw deflate data, CRC-32 and unpacked size."""
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        head = compressor.compress(self.head) + compressor.flush(zlib.Z_FULL_FLUSH)
        block = compressor.compress(self.block) + compressor.flush(zlib.Z_FULL_FLUSH)
        tail = compressor.compress(self.tail) + compressor.flush()
        crc = zlib.crc32(self.head)
        for _ in range(self.count):
            crc = zlib.crc32(self.block, crc)
        crc = zlib.crc32(self.tail, crc)
        size = len(self.head) + len(self.block) * self.count + len(self.tail)
        return head + block * self.count + tail, crc, size


def zip_package(
    parts: dict[str, bytes | Repeated], *, stated: dict[str, int] | None = None
) -> bytes:
    """A zip file with deflated members, written by hand so a member can be a `Repeated`."""
    out = bytearray()
    central = bytearray()
    for name, content in parts.items():
        if isinstance(content, Repeated):
            data, crc, size = content.deflated()
        else:
            compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
            data = compressor.compress(content) + compressor.flush()
            crc, size = zlib.crc32(content), len(content)
        encoded = name.encode()
        size = (stated or {}).get(name, size)
        fields = struct.pack("<HHHHHIII", 20, 0, 8, 0, 0x21, crc, len(data), size)
        offset = len(out)
        out += b"PK\x03\x04" + fields + struct.pack("<HH", len(encoded), 0) + encoded + data
        central += (
            b"PK\x01\x02"
            + struct.pack("<H", 20)
            + fields
            + struct.pack("<HHHHHII", len(encoded), 0, 0, 0, 0, 0, offset)
            + encoded
        )
    end = struct.pack("<HHHHIIH", 0, 0, len(parts), len(parts), len(central), len(out), 0)
    return bytes(out + central + b"PK\x05\x06" + end)


# --- Word -----------------------------------------------------------------------------------------

_DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="{main}"/></Types>'
)
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
_DOCX_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
_DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
)
BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)


def docx(
    *,
    main: str = DOCX_MAIN,
    extra: dict[str, bytes] | None = None,
    prolog: str = "",
    text: str = "x",
) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", _DOCX_TYPES.format(main=main))
        package.writestr("_rels/.rels", _DOCX_RELS)
        package.writestr("word/document.xml", _DOCUMENT.format(prolog=prolog, text=text))
        for name, blob in (extra or {}).items():
            package.writestr(name, blob)
    return out.getvalue()


def docx_bomb(unpacked: int) -> bytes:
    """A Word file of under a megabyte whose document.xml unpacks to `unpacked` bytes."""
    head = _DOCUMENT.split("<w:p>")[0].format(prolog="").encode()
    return zip_package(
        {
            "[Content_Types].xml": _DOCX_TYPES.format(main=DOCX_MAIN).encode(),
            "_rels/.rels": _DOCX_RELS.encode(),
            "word/document.xml": Repeated(head, b"<w:p/>", unpacked, b"</w:body></w:document>"),
        }
    )


# --- images --------------------------------------------------------------------------------------


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png(width: int, height: int) -> bytes:
    """A valid black-and-white PNG of the given size; 30000 × 30000 is about 110 kB."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    rows_per_block = 1000
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(row * rows_per_block) + compressor.flush(zlib.Z_FULL_FLUSH)
    rest = compressor.compress(row * (height % rows_per_block)) + compressor.flush()
    checksum = 1
    for _ in range(height // rows_per_block):
        checksum = zlib.adler32(row * rows_per_block, checksum)
    checksum = zlib.adler32(row * (height % rows_per_block), checksum)
    pixels = b"\x78\xda" + block * (height // rows_per_block) + rest + struct.pack(">I", checksum)
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", pixels)
        + _chunk(b"IEND", b"")
    )


def png_corrupt() -> bytes:
    """A PNG signature and a plausible header, followed by bytes that are not an image."""
    header = struct.pack(">IIBBBBB", 200, 100, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", b"not pixels" * 20)
