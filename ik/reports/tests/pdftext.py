"""A small reader for the PDFs typst writes: text per page, XMP metadata and structure.

Enough for tests to check what a committee member would read, without a PDF library:
objects are read uncompressed or Flate-compressed, fonts are Type0 with a ToUnicode CMap,
text is shown with Tj/TJ on literal or hex strings. Word spaces are glyph offsets in
typst's output, so callers should compare text with whitespace removed.
"""

from __future__ import annotations

import re
import zlib

_OBJECT = re.compile(rb"(\d+) 0 obj\s*")
_REF = re.compile(rb"(\d+) 0 R")
_TOKEN = re.compile(rb"<[0-9A-Fa-f\s]*>|\(|\[|\]|/[^\s/\[\]<>()]+|[^\s/\[\]<>()]+")


class PdfFile:
    """The objects of a PDF, by number, with their streams decoded."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.objects: dict[int, bytes] = {}
        self.streams: dict[int, bytes] = {}
        starts = list(_OBJECT.finditer(data))
        for i, match in enumerate(starts):
            end = starts[i + 1].start() if i + 1 < len(starts) else len(data)
            self._read(int(match.group(1)), match.end(), end)

    def _read(self, number: int, start: int, end: int) -> None:
        body = self.data[start:end]
        marker = body.find(b"stream")
        head = body if marker < 0 else body[:marker]
        self.objects[number] = head
        if marker < 0 or not head.rstrip().endswith(b">>"):
            return
        length = re.search(rb"/Length (\d+)", head)
        offset = marker + len(b"stream")
        offset += 2 if body[offset : offset + 2] == b"\r\n" else 1
        raw = body[offset : offset + int(length.group(1))] if length else body[offset:]
        self.streams[number] = zlib.decompress(raw) if b"/FlateDecode" in head else raw

    def ref(self, head: bytes, key: bytes) -> int | None:
        match = re.search(rb"/" + key + rb"\s*(\d+) 0 R", head)
        return int(match.group(1)) if match else None

    def pages(self) -> list[int]:
        """Page object numbers in reading order."""
        root = next(
            n
            for n, h in self.objects.items()
            if re.search(rb"/Type\s*/Pages\b", h) and b"/Parent" not in h
        )
        return self._kids(root)

    def _kids(self, number: int) -> list[int]:
        head = self.objects[number]
        if not re.search(rb"/Type\s*/Pages\b", head):
            return [number]
        kids = re.search(rb"/Kids\s*\[([^\]]*)\]", head)
        found: list[int] = []
        for ref in _REF.findall(kids.group(1) if kids else b""):
            found += self._kids(int(ref))
        return found

    def _fonts(self, page: int) -> dict[bytes, dict[bytes, str]]:
        head = self.objects[page]
        resources = self.ref(head, b"Resources")
        res_head = self.objects[resources] if resources is not None else head
        font_dict = re.search(rb"/Font\s*<<(.*?)>>", res_head, re.S)
        fonts: dict[bytes, dict[bytes, str]] = {}
        entries = font_dict.group(1) if font_dict else b""
        for name, ref in re.findall(rb"/([^\s/]+)\s*(\d+) 0 R", entries):
            cmap = self.ref(self.objects[int(ref)], b"ToUnicode")
            fonts[name] = _parse_cmap(self.streams.get(cmap, b"")) if cmap else {}
        return fonts

    def page_text(self, page: int) -> str:
        """The text shown on one page, one line per text positioning operation."""
        head = self.objects[page]
        contents = re.search(rb"/Contents\s*(\[[^\]]*\]|\d+ 0 R)", head)
        refs = [int(r) for r in _REF.findall(contents.group(1))] if contents else []
        stream = b"\n".join(self.streams.get(r, b"") for r in refs)
        return _show(stream, self._fonts(page))

    def text(self) -> str:
        """All pages' text, pages separated by form feeds."""
        return "\f".join(self.page_text(p) for p in self.pages())

    def xmp(self) -> str:
        """The XMP metadata packet."""
        start = self.data.find(b"<x:xmpmeta")
        end = self.data.find(b"</x:xmpmeta>", start)
        return self.data[start : end + len(b"</x:xmpmeta>")].decode("utf-8")

    def catalog(self) -> bytes:
        return next(h for h in self.objects.values() if re.search(rb"/Type\s*/Catalog", h))


def _hex_to_text(hexdigits: bytes) -> str:
    raw = bytes.fromhex(hexdigits.decode())
    return raw.decode("utf-16-be", errors="replace")


def _parse_cmap(data: bytes) -> dict[bytes, str]:
    mapping: dict[bytes, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            mapping[bytes.fromhex(src.decode())] = _hex_to_text(dst)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        ranges = re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block)
        for lo, hi, dst in ranges:
            width = len(lo) // 2
            start, first = int(lo, 16), int(dst, 16)
            for code in range(start, int(hi, 16) + 1):
                mapping[code.to_bytes(width, "big")] = chr(first + code - start)
    return mapping


_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _literal(token: bytes) -> bytes:
    body = token[1:-1]
    out = bytearray()
    i = 0
    while i < len(body):
        ch = body[i : i + 1]
        if ch != b"\\":
            out += ch
            i += 1
            continue
        octal = re.match(rb"[0-7]{1,3}", body[i + 1 : i + 4])
        if octal:
            out.append(int(octal.group(0), 8) & 0xFF)
            i += 1 + len(octal.group(0))
        else:
            nxt = body[i + 1 : i + 2]
            out += _ESCAPES.get(nxt, nxt)
            i += 2
    return bytes(out)


def _decode(operand: bytes, cmap: dict[bytes, str]) -> str:
    if operand.startswith(b"("):
        raw = _literal(operand)
    else:
        raw = bytes.fromhex(re.sub(rb"\s", b"", operand[1:-1]).decode())
    # typst's composite fonts use two-byte codes
    return "".join(cmap.get(raw[i : i + 2], "") for i in range(0, len(raw), 2))


def _string_end(stream: bytes, start: int) -> int:
    # Literal strings may hold balanced, unescaped parentheses.
    depth, i = 0, start
    while i < len(stream):
        ch = stream[i]
        if ch == 0x5C:
            i += 2
            continue
        depth += 1 if ch == 0x28 else -1 if ch == 0x29 else 0
        i += 1
        if depth == 0:
            return i
    return i


def _tokens(stream: bytes) -> list[bytes]:
    tokens: list[bytes] = []
    pos = 0
    while (match := _TOKEN.search(stream, pos)) is not None:
        if match.group(0) == b"(":
            end = _string_end(stream, match.start())
            tokens.append(stream[match.start() : end])
            pos = end
        else:
            tokens.append(match.group(0))
            pos = match.end()
    return tokens


def _show(stream: bytes, fonts: dict[bytes, dict[bytes, str]]) -> str:
    out: list[str] = []
    operands: list[bytes] = []
    cmap: dict[bytes, str] = {}
    for token in _tokens(stream):
        if token in (b"Tj", b"TJ", b"'", b'"'):
            for operand in operands:
                if operand[:1] in (b"<", b"("):
                    out.append(_decode(operand, cmap))
        elif token == b"Tf" and len(operands) >= 2:
            cmap = fonts.get(operands[-2].lstrip(b"/"), {})
        elif token in (b"Td", b"TD", b"T*", b"Tm", b"BT", b"ET"):
            out.append("\n")
        elif token[:1] in b"<([]/" or re.fullmatch(rb"[-+.\d]+", token):
            operands.append(token)
            continue
        operands = []
    return re.sub(r"\n+", "\n", "".join(out))
