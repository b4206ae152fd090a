"""Limits on files that come in, checked before anything parses them.

A zip-based file (XLSX, DOCX, an organisation archive) is small on disk and can be huge when
unpacked; a spreadsheet can name a cell at XFD1048576 so a reader allocates the whole sheet;
an image can declare 30000 × 30000 pixels; XML can declare entities that expand without end.
Each check here reads no more than its limit and raises `LimitError` with a Swedish message
that names the limit, so the person can see what to change and no process runs out of memory.
"""

from __future__ import annotations

import copy
import re
import struct
import zipfile
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import IO

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB
CHUNK = 4 * MIB
XML_SUFFIXES = (".xml", ".rels", ".vml")
# Excel's own sheet size; a reference past it is not a spreadsheet Excel wrote.
EXCEL_ROWS = 1_048_576
EXCEL_COLUMNS = 16_384


class LimitError(ValueError):
    """A file over one of the limits. The message is Swedish and names the limit."""


@dataclass(frozen=True, slots=True)
class ZipLimits:
    """How large a zip package may be once unpacked."""

    max_members: int
    max_member_bytes: int
    max_total_bytes: int


@dataclass(frozen=True, slots=True)
class SheetLimits:
    """How large a spreadsheet may be: the package, the sheet's area and a single cell."""

    package: ZipLimits
    max_cells: int
    max_cell_bytes: int = 256 * KIB


@dataclass(frozen=True, slots=True)
class ImageLimits:
    max_pixels: int
    max_side: int


# Ledgers are large by nature: a year of a region's invoices fills an Excel sheet.
LEDGER_SHEET = SheetLimits(
    package=ZipLimits(max_members=10_000, max_member_bytes=1 * GIB, max_total_bytes=1 * GIB),
    max_cells=30_000_000,
)
# Registers and lists of systems, people and units: thousands of rows, not millions.
REGISTER_SHEET = SheetLimits(
    package=ZipLimits(max_members=1_000, max_member_bytes=64 * MIB, max_total_bytes=128 * MIB),
    max_cells=2_000_000,
)
WORD_TEMPLATE = ZipLimits(max_members=2_000, max_member_bytes=32 * MIB, max_total_bytes=64 * MIB)
# An organisation's archive carries its evidence files, each up to the upload limit, and its
# rows as one JSON document that is parsed whole.
BACKUP = ZipLimits(max_members=200_000, max_member_bytes=4 * GIB, max_total_bytes=256 * GIB)
BACKUP_DATA = ZipLimits(max_members=200_000, max_member_bytes=1 * GIB, max_total_bytes=1 * GIB)
LOGO = ImageLimits(max_pixels=25_000_000, max_side=10_000)


def size_text(n: int) -> str:
    """Bytes as the nearest whole GB, MB or kB, in Swedish."""
    for unit, size in (("GB", GIB), ("MB", MIB), ("kB", KIB)):
        if n >= size:
            return f"{n / size:.0f} {unit}".replace(".", ",")
    return f"{n} byte"


def _number(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")


# --- zip packages ------------------------------------------------------------------------------


def check_zip(package: zipfile.ZipFile, limits: ZipLimits, *, what: str) -> list[zipfile.ZipInfo]:
    """The package's members, after checking their number and declared unpacked sizes."""
    members = package.infolist()
    if len(members) > limits.max_members:
        raise LimitError(
            f"{what} innehåller {_number(len(members))} delar; gränsen är "
            f"{_number(limits.max_members)}."
        )
    total = 0
    for info in members:
        if info.file_size > limits.max_member_bytes:
            raise LimitError(
                f"{what} packas upp till mer än {size_text(limits.max_member_bytes)} "
                f"(delen {info.filename}); gränsen för en del är "
                f"{size_text(limits.max_member_bytes)}."
            )
        total += info.file_size
        if total > limits.max_total_bytes:
            raise LimitError(
                f"{what} packas upp till mer än {size_text(limits.max_total_bytes)}, "
                "vilket är gränsen för uppackad storlek."
            )
    return members


def iter_member(
    package: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ZipLimits, *, what: str
) -> Generator[bytes]:
    """The unpacked bytes of one member, refusing more than the limit whatever its header says.

    Python's reader stops at the declared size; reading against the limit instead finds a
    member whose header understates what it unpacks to, which other readers would unpack whole.
    """
    bounded = copy.copy(info)
    # Past the limit by more than a read, so the limit is met before the reader's own end.
    bounded.file_size = limits.max_member_bytes + 2 * CHUNK
    seen = 0
    try:
        with package.open(bounded) as member:
            while block := member.read(CHUNK):
                seen += len(block)
                if seen > limits.max_member_bytes:
                    raise LimitError(
                        f"{what} packas upp till mer än {size_text(limits.max_member_bytes)} "
                        f"(delen {info.filename}), vilket är gränsen för en del."
                    )
                yield block
    except (zipfile.BadZipFile, EOFError, ValueError, OSError) as exc:
        if isinstance(exc, LimitError):
            raise
        raise LimitError(f"{what} är skadad: delen {info.filename} kan inte packas upp.") from None
    if seen != info.file_size:
        raise LimitError(
            f"{what} är skadad: delen {info.filename} har en annan storlek än den anger."
        )


def read_member(
    package: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ZipLimits, *, what: str
) -> bytes:
    return b"".join(iter_member(package, info, limits, what=what))


# --- XML -----------------------------------------------------------------------------------------

_PROLOG_ITEM = re.compile(rb"\s*(<\?.*?\?>|<!--.*?-->)", re.DOTALL)
MAX_PROLOG_BYTES = 64 * KIB


def check_xml_prolog(head: bytes, *, what: str, part: str) -> None:
    """Refuse XML with a document type declaration: entities can expand without end.

    Office files never carry one. Only the prolog is read, up to the root element.
    """
    position = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    while match := _PROLOG_ITEM.match(head, position):
        position = match.end()
    rest = head[position:].lstrip()
    if (not rest or rest.startswith(b"<!--")) and len(head) >= MAX_PROLOG_BYTES:
        raise LimitError(f"{what} har en XML-inledning längre än 64 kB i {part}.")
    if rest.startswith(b"<!"):
        raise LimitError(
            f"{what} innehåller en dokumenttypsdeklaration (DTD) med möjliga entiteter i "
            f"{part}; sådana läses inte av säkerhetsskäl."
        )


def _check_part_prolog(
    package: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ZipLimits, *, what: str
) -> None:
    blocks = iter_member(package, info, limits, what=what)
    head = b""
    try:
        for block in blocks:
            head += block
            if len(head) >= MAX_PROLOG_BYTES:
                break
    finally:
        blocks.close()
    check_xml_prolog(head[:MAX_PROLOG_BYTES], what=what, part=info.filename)


def check_xml_members(package: zipfile.ZipFile, limits: ZipLimits, *, what: str) -> None:
    """Check the prolog of every XML part of a package, reading only its first bytes."""
    for info in package.infolist():
        if info.filename.lower().endswith(XML_SUFFIXES):
            _check_part_prolog(package, info, limits, what=what)


# --- spreadsheets --------------------------------------------------------------------------------

_CELL_REF = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,4})([0-9]{1,9})"')
_ROW_REF = re.compile(rb'<(?:\w+:)?row\s[^>]*?\br="([0-9]{1,9})"')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s[^>]*?\bref="([A-Z]{0,4})([0-9]{0,9}):?([^"]*)"')
_FORMULA_CELL = re.compile(
    rb"<(?:\w+:)?c\s([^>]*?)(?<!/)>((?:(?!</(?:\w+:)?c>).)*)</(?:\w+:)?c>", re.DOTALL
)
_HAS_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_HAS_VALUE = re.compile(rb"<(?:\w+:)?(?:v>[^<]|is[\s>])")
_REF_ATTR = re.compile(rb'\br="([A-Z]{1,4}[0-9]{1,9})"')
_SHEET = re.compile(rb'<(?:\w+:)?sheet\s[^>]*?name="([^"]*)"[^>]*?\br:id="([^"]*)"')
_RELATIONSHIP = re.compile(rb'<Relationship\s[^>]*?Id="([^"]*)"[^>]*?Target="([^"]*)"')
_RELATIONSHIP_REVERSED = re.compile(rb'<Relationship\s[^>]*?Target="([^"]*)"[^>]*?Id="([^"]*)"')


def column_number(letters: str) -> int:
    """A1-style column letters as a 1-based number: A → 1, XFD → 16384."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


@dataclass(slots=True)
class SheetReport:
    """What the check found that the reader should pass on: formula cells without values."""

    formulas_without_values: dict[str, list[str]] = field(default_factory=dict)

    def warnings(self, sheet: str | None = None, limit: int = 10) -> list[str]:
        """Swedish warnings, for every sheet or for the one named."""
        out = []
        for name, cells in self.formulas_without_values.items():
            if sheet is not None and name != sheet:
                continue
            shown = ", ".join(cells[:limit]) + (" …" if len(cells) > limit else "")
            out.append(
                f"Bladet {name} har {len(cells)} formelceller utan sparat värde ({shown}); de "
                "lästes som tomma. Öppna filen i Excel, låt den räkna och spara den igen."
            )
        return out


@dataclass(slots=True)
class _SheetScan:
    name: str
    what: str
    limits: SheetLimits
    max_row: int = 0
    max_column: int = 0
    formulas: list[str] = field(default_factory=list)

    def segment(self, data: bytes) -> None:
        too_long = re.search(rb"[^<]{%d}" % (self.limits.max_cell_bytes + 1), data)
        if too_long:
            raise LimitError(
                f"{self.what}: en cell på bladet {self.name} är större än "
                f"{size_text(self.limits.max_cell_bytes)}, vilket är gränsen för en cell."
            )
        for letters, digits in set(_CELL_REF.findall(data)):
            self.max_column = max(self.max_column, column_number(letters.decode()))
            self.max_row = max(self.max_row, int(digits))
        self.max_row = max([self.max_row, *map(int, _ROW_REF.findall(data))])
        if _HAS_FORMULA.search(data):
            for attributes, body in _FORMULA_CELL.findall(data):
                if _HAS_FORMULA.search(body) and not _HAS_VALUE.search(body):
                    ref = _REF_ATTR.search(attributes)
                    self.formulas.append(ref.group(1).decode() if ref else "?")
        self.check_area()

    def dimension(self, head: bytes) -> None:
        match = _DIMENSION.search(head)
        if not match:
            return
        last = match.group(3) or match.group(1) + match.group(2)
        letters = re.match(rb"([A-Z]{0,4})([0-9]{0,9})", last)
        if letters:
            self.max_column = max(self.max_column, column_number(letters.group(1).decode()))
            self.max_row = max(self.max_row, int(letters.group(2) or b"0"))
        self.check_area()

    def check_area(self) -> None:
        area = self.max_row * self.max_column
        if area > self.limits.max_cells or self.max_row > EXCEL_ROWS:
            raise LimitError(
                f"{self.what}: bladet {self.name} sträcker sig till rad {_number(self.max_row)} "
                f"och kolumn {_number(self.max_column)}, alltså {_number(area)} celler; gränsen "
                f"är {_number(self.limits.max_cells)} celler. Ta bort tomma rader och kolumner "
                "längst ned och till höger, eller spara bladet som CSV."
            )


def _sheet_names(package: zipfile.ZipFile, limits: ZipLimits, what: str) -> dict[str, str]:
    """Worksheet part → the sheet's name as Excel shows it; empty when it cannot be told."""
    try:
        workbook = read_member(package, package.getinfo("xl/workbook.xml"), limits, what=what)
        rels_info = package.getinfo("xl/_rels/workbook.xml.rels")
        rels = read_member(package, rels_info, limits, what=what)
    except KeyError:
        return {}
    targets = dict(_RELATIONSHIP.findall(rels))
    targets.update({rid: target for target, rid in _RELATIONSHIP_REVERSED.findall(rels)})
    names = {}
    for name, rid in _SHEET.findall(workbook):
        target = targets.get(rid, b"").decode(errors="replace").lstrip("/")
        part = target if target.startswith("xl/") else f"xl/{target}"
        names[part] = name.decode(errors="replace")
    return names


def _scan_part(
    package: zipfile.ZipFile, info: zipfile.ZipInfo, scan: _SheetScan, limits: SheetLimits
) -> None:
    carry = b""
    first = True
    for block in iter_member(package, info, limits.package, what=scan.what):
        data = carry + block
        if first:
            check_xml_prolog(data[:MAX_PROLOG_BYTES], what=scan.what, part=info.filename)
            scan.dimension(data[:MAX_PROLOG_BYTES])
            first = False
        cut = data.rfind(b"</c>")
        cut = cut + 4 if cut >= 0 else data.rfind(b">") + 1
        scan.segment(data[:cut])
        carry = data[cut:]
        if len(carry) > limits.max_cell_bytes + CHUNK:
            raise LimitError(
                f"{scan.what}: bladet {scan.name} har en cell eller tagg större än "
                f"{size_text(limits.max_cell_bytes)}, vilket är gränsen för en cell."
            )
    scan.segment(carry)


def check_spreadsheet(source: str | IO[bytes], limits: SheetLimits, *, what: str) -> SheetReport:
    """Check an XLSX workbook against `limits` before a reader opens it.

    Reads each sheet's XML as a stream (never more than the limits), and reports formula
    cells that have no saved value, which readers return as empty cells.
    """
    report = SheetReport()
    try:
        package = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError):
        return report  # not a zip: an old .xls or .ods is the reader's to refuse or read
    with package:
        members = check_zip(package, limits.package, what=what)
        names = _sheet_names(package, limits.package, what)
        for info in members:
            name = info.filename
            is_sheet = name.startswith("xl/worksheets/") and name.endswith(".xml")
            if is_sheet or name == "xl/sharedStrings.xml":
                sheet = names.get(name, name.rsplit("/", 1)[-1].removesuffix(".xml"))
                scan = _SheetScan(name=sheet, what=what, limits=limits)
                _scan_part(package, info, scan, limits)
                if scan.formulas and is_sheet:
                    report.formulas_without_values[sheet] = scan.formulas
            elif name.lower().endswith(XML_SUFFIXES):
                _check_part_prolog(package, info, limits.package, what=what)
    return report


# --- images ---------------------------------------------------------------------------------------

_JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG, JPEG or GIF header, without decoding the pixels."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data.startswith((b"GIF87a", b"GIF89a")) and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return int(width), int(height)
    if data.startswith(b"\xff\xd8"):
        position = 2
        while position + 9 <= len(data):
            if data[position] != 0xFF:
                return None
            marker = data[position + 1]
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
                position += 1 if marker == 0xFF else 2
                continue
            (length,) = struct.unpack(">H", data[position + 2 : position + 4])
            if marker in _JPEG_FRAMES:
                height, width = struct.unpack(">HH", data[position + 5 : position + 9])
                return int(width), int(height)
            position += 2 + length
    return None


def check_image(data: bytes, limits: ImageLimits, *, what: str) -> tuple[int, int]:
    """The image's size from its header, refused when it is over the pixel limits."""
    size = image_size(data)
    if size is None:
        raise LimitError(f"{what} har ingen läsbar bildstorlek; bilden är skadad.")
    width, height = size
    if width < 1 or height < 1:
        raise LimitError(f"{what} har storleken {width} × {height} bildpunkter och är skadad.")
    if max(width, height) > limits.max_side or width * height > limits.max_pixels:
        raise LimitError(
            f"{what} är {_number(width)} × {_number(height)} bildpunkter; gränsen är "
            f"{_number(limits.max_side)} bildpunkter per sida och "
            f"{_number(limits.max_pixels)} bildpunkter totalt."
        )
    return width, height
