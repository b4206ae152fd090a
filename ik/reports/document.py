"""The content of a report as a tree of plain dataclasses, independent of output format.

Builders (`followup.py`, `plan.py`) produce a `Document`; renderers (`render_docx.py`,
`render_pdf.py`, `render_xlsx.py`) turn the same tree into a file, so every format carries the
same words. Nothing here knows about Django or about any output format.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from ik.engine.result import Verdict
from ik.lib.swedish import format_date_iso, format_measure

# Fill colours for traffic-light cells; light enough for black text to keep its contrast.
TONE_FILL = {
    Verdict.GREEN: "C6EFCE",
    Verdict.YELLOW: "FFEB9C",
    Verdict.RED: "FFC7CE",
}


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell. A `tone` colours the cell; the text always says the same in words.

    `value` is the number or date the text shows, for formats that store it typed (XLSX);
    `unit` is printed after a number there ("%").
    """

    text: str
    tone: Verdict | None = None
    value: int | Decimal | dt.date | None = None
    unit: str = ""

    @classmethod
    def date(cls, day: dt.date | None) -> Cell:
        return cls(format_date_iso(day), value=day)

    @classmethod
    def count(cls, n: int) -> Cell:
        return cls(str(n), value=n)

    @classmethod
    def measure(cls, value: Decimal | None, unit: str = "") -> Cell:
        return cls(format_measure(value, unit), value=value, unit=unit)

    def __post_init__(self) -> None:
        if self.tone is not None and not self.text.strip():
            raise ValueError("A coloured cell must also say its assessment in words.")


@dataclass(frozen=True, slots=True)
class Column:
    """A table column: its header text and relative width."""

    title: str
    width: float = 1.0


@dataclass(frozen=True, slots=True)
class Table:
    """A table with one header row. `title` is printed above it and names its sheet in XLSX."""

    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError("Every table row needs one cell per column.")


@dataclass(frozen=True, slots=True)
class DocumentHeader:
    """The item's heading block: who, what kind of document, when and which case."""

    organisation: str
    committee: str
    kind: str
    date: str = ""
    case_number: str = ""
    paragraph: str = ""
    status: str = ""

    def fields(self) -> list[tuple[str, str]]:
        """The labelled fields that have a value, in print order."""
        pairs = [
            ("Datum", self.date),
            ("Diarienummer", self.case_number),
            ("Paragraf", self.paragraph),
            ("Status", self.status),
        ]
        return [(label, value) for label, value in pairs if value]


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading; level 1 is the document title, 2 a section, 3 a subsection."""

    text: str
    level: int = 2


class TextStyle(StrEnum):
    NORMAL = "normal"
    STRONG = "strong"
    SMALL = "small"


@dataclass(frozen=True, slots=True)
class Paragraph:
    """Running text; a newline inside `text` is a line break within the paragraph."""

    text: str
    style: TextStyle = TextStyle.NORMAL

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


class ListKind(StrEnum):
    PLAIN = "plain"
    BULLET = "bullet"
    NUMBERED = "numbered"


@dataclass(frozen=True, slots=True)
class ItemList:
    """A list; numbered lists print their numbers as text so every format shows them."""

    items: tuple[str, ...]
    kind: ListKind = ListKind.PLAIN

    def labelled(self) -> list[str]:
        """The items as printed, with "1. " prefixes for numbered lists and "• " for bullets."""
        if self.kind is ListKind.NUMBERED:
            return [f"{i}. {item}" for i, item in enumerate(self.items, start=1)]
        if self.kind is ListKind.BULLET:
            return [f"• {item}" for item in self.items]
        return list(self.items)


@dataclass(frozen=True, slots=True)
class PageBreak:
    """Start a new page."""


@dataclass(frozen=True, slots=True)
class Figure:
    """A chart drawn as SVG, with a title and a description that say what it shows in words.

    A builder puts the chart's numbers in a table beside it, so no reader depends on the
    picture. PDF embeds the SVG; Word gets it as a PNG rendered from the same SVG.
    """

    title: str
    svg: str
    desc: str


Block = DocumentHeader | Heading | Paragraph | ItemList | Table | PageBreak | Figure


@dataclass(frozen=True, slots=True)
class Section:
    """A run of blocks that starts on a new page, in portrait or landscape."""

    blocks: tuple[Block, ...]
    landscape: bool = False


@dataclass(frozen=True, slots=True)
class ContactItem:
    """One field of the organisation's contact block; `value` may hold line breaks."""

    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Meta:
    """What the file says about itself, plus the organisation's look on every page."""

    title: str
    organisation: str = ""
    subject: str = ""
    keywords: tuple[str, ...] = ()
    logo: bytes | None = None


@dataclass(frozen=True, slots=True)
class DataSheet:
    """Rows for the spreadsheet only: every field of every row, so IK can read them back.

    The DOCX and PDF renderers leave it out; it is data, not part of the document's text.
    """

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class Document:
    """A complete report: metadata, sections and the footer's contact block."""

    meta: Meta
    sections: tuple[Section, ...]
    contact: tuple[ContactItem, ...] = field(default=())
    data_sheets: tuple[DataSheet, ...] = field(default=())

    def blocks(self) -> Iterator[Block]:
        """All blocks in reading order."""
        for section in self.sections:
            yield from section.blocks

    def tables(self) -> list[Table]:
        """All tables in reading order."""
        return [b for b in self.blocks() if isinstance(b, Table)]
