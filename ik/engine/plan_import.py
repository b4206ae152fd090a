"""Internal control plans read from the tables municipalities keep them in.

Columns are recognised by the names real plans give them (`PLAN_HEADERS`); IK's own plan
export uses the first name of each field, so it reads back unchanged. A row whose only text
is a section heading ("Direktåtgärder", "Kommungemensamma granskningar") sets the type of
the rows below it. An empty process is taken from the row above, as plans often merge the
process cell over several rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ik.engine.errors import InputError, InputProblem
from ik.engine.headers import normalise_header
from ik.engine.tables import Grid, HeaderSpec, Table, find_table
from ik.engine.tables import refuse_problems as refuse
from ik.lib.swedish import parse_decimal

CONTROL = "control"
DIRECT_ACTION = "direct_action"
AT_MOST = "at_most"
AT_LEAST = "at_least"
DEFAULT_PROCESS = "Övrigt"

# field -> names seen in real plans. The first is the one IK writes in its own export.
PLAN_HEADERS: Mapping[str, tuple[str, ...]] = {
    "code": ("Nr", "Kod", "Nummer", "Id", "Löpnummer", "Nr/kod"),
    "kind": ("Typ", "Kontrolltyp", "Typ av kontroll"),
    "process": ("Process", "Rutin", "Område", "Process/rutin", "Process/rutin/system"),
    "question": (
        "Kontrollmoment",
        "Granskning",
        "Kontrollaktivitet",
        "Åtgärd",
        "Risk",
        "Riskbeskrivning",
    ),
    "purpose": ("Syfte", "Syfte med granskningen", "Syfte med kontrollen"),
    "scope": ("Omfattning/avgränsning", "Omfattning", "Avgränsning"),
    "method": ("Kontrollmetod", "Metod", "Granskningsmetod"),
    "owner": ("Kontrollansvarig", "Ansvarig", "Ansvar", "Granskningsansvarig"),
    "owner_person": ("Ansvarig person",),
    "unit": ("Enhet", "Ansvarig enhet", "Förvaltning", "Avdelning"),
    "frequency": ("Tidpunkt/frekvens", "Frekvens", "Tidpunkt", "Tidsplan", "När"),
    "common": ("Kommungemensam", "Kommungemensamt", "Kommungemensamma"),
    "measure_unit": ("Enhet för mätvärde",),
    "target": ("Mål", "Målvärde"),
    "direction": ("Riktning",),
    "warning_limit": ("Gräns för gult",),
    "local_note": ("Nämndens anteckning", "Anteckning", "Kommentar"),
}
PLAN_SPEC = HeaderSpec(names=PLAN_HEADERS, required="question")
FIELD_LABELS = {name: names[0] for name, names in PLAN_HEADERS.items()}

_YES = frozenset({"ja", "j", "x", "1", "sant", "true", "kommungemensam", "kommungemensamt"})
_NO = frozenset({"", "nej", "n", "0", "falskt", "false"})
_SECTION_WORDS = ("granskning", "kontroll", "atgard", "kommungemensam")


@dataclass(frozen=True, slots=True)
class PlanRow:
    """One control point as it will be saved. `row` is where it stands in the file."""

    row: int
    question: str
    process: str = DEFAULT_PROCESS
    code: str = ""
    kind: str = CONTROL
    purpose: str = ""
    scope: str = ""
    method: str = ""
    owner: str = ""
    owner_person: str = ""
    unit: str = ""
    frequency: str = ""
    common: bool = False
    measure_unit: str = ""
    target: Decimal | None = None
    direction: str = AT_MOST
    warning_limit: Decimal | None = None
    local_note: str = ""


@dataclass(frozen=True, slots=True)
class PlanFile:
    """What a file holds: where the table was found, how its columns map, and its rows."""

    table: Table
    mapping: Mapping[str, int]
    rows: tuple[PlanRow, ...]
    problems: tuple[InputProblem, ...] = field(default=())

    def mapped_headers(self) -> dict[str, str]:
        """Field -> the header of the column it is read from."""
        return {f: self.table.headers[i] for f, i in self.mapping.items()}


def parse_kind(text: str) -> str:
    folded = normalise_header(text)
    if not folded or "kontroll" in folded or "granskning" in folded:
        return CONTROL
    if "atgard" in folded or "direkt" in folded:
        return DIRECT_ACTION
    raise ValueError("Typen ska vara kontroll, granskning eller direktåtgärd")


def parse_common(text: str) -> bool:
    folded = text.strip().casefold()
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    raise ValueError("Skriv ja eller nej")


def parse_direction(text: str) -> str:
    folded = text.strip().casefold()
    if folded in {"", "högst", "hogst", "at_most", "max"}:
        return AT_MOST
    if folded in {"minst", "at_least", "min"}:
        return AT_LEAST
    raise ValueError("Riktningen ska vara högst eller minst")


def parse_number(text: str) -> Decimal | None:
    if not text.strip():
        return None
    return parse_decimal(text, allow_unit="%")


def _section(cells: Sequence[str]) -> str | None:
    """The heading a row stands for when its one filled cell names a part of the plan."""
    filled = [c for c in cells if c.strip()]
    if len(filled) != 1:
        return None
    folded = normalise_header(filled[0])
    if not any(word in folded for word in _SECTION_WORDS):
        return None
    return folded


class _RowReader:
    """Reads a table's rows one by one, carrying the section and the process downwards."""

    def __init__(self, table: Table, mapping: Mapping[str, int]) -> None:
        self.table, self.mapping = table, mapping
        self.kind, self.common, self.process = CONTROL, False, DEFAULT_PROCESS
        self.problems: list[InputProblem] = []

    def text(self, cells: Sequence[str], name: str) -> str:
        index = self.mapping.get(name)
        if index is None or index >= len(cells):
            return ""
        return cells[index].strip()

    def problem(self, row: int, name: str, value: str, message: str) -> None:
        column = self.table.column_name(self.mapping[name]) if name in self.mapping else name
        self.problems.append(InputProblem(row, column, value, message))

    def parsed[T](
        self, row: int, cells: Sequence[str], name: str, parse: Callable[[str], T], default: T
    ) -> T:
        value = self.text(cells, name)
        try:
            return parse(value)
        except ValueError as exc:
            self.problem(row, name, value, str(exc))
            return default

    def read(self, row: int, cells: Sequence[str]) -> PlanRow | None:
        question = self.text(cells, "question")
        heading = None if question else _section(cells)
        if heading is not None:
            self.kind = DIRECT_ACTION if "atgard" in heading else CONTROL
            self.common = "kommungemensam" in heading
            return None
        if not question:
            self.problem(row, "question", "", "Kontrollmoment saknas på en rad med andra värden")
            return None
        self.process = self.text(cells, "process") or self.process
        kind = self.kind
        if "kind" in self.mapping and self.text(cells, "kind"):
            kind = self.parsed(row, cells, "kind", parse_kind, CONTROL)
        common = self.common
        if "common" in self.mapping:
            common = self.parsed(row, cells, "common", parse_common, False) or self.common
        return PlanRow(
            row=row,
            question=question,
            process=self.process,
            code=self.text(cells, "code"),
            kind=kind,
            purpose=self.text(cells, "purpose"),
            scope=self.text(cells, "scope"),
            method=self.text(cells, "method"),
            owner=self.text(cells, "owner"),
            owner_person=self.text(cells, "owner_person"),
            unit=self.text(cells, "unit"),
            frequency=self.text(cells, "frequency"),
            common=common,
            measure_unit=self.text(cells, "measure_unit"),
            target=self.parsed(row, cells, "target", parse_number, None),
            direction=self.parsed(row, cells, "direction", parse_direction, AT_MOST),
            warning_limit=self.parsed(row, cells, "warning_limit", parse_number, None),
            local_note=self.text(cells, "local_note"),
        )


def plan_rows(table: Table, mapping: Mapping[str, int]) -> PlanFile:
    """The table's rows as control points, and every problem found on the way."""
    reader = _RowReader(table, mapping)
    rows = []
    for number, cells in table.rows:
        point = reader.read(number, cells)
        if point is not None:
            rows.append(point)
    return PlanFile(table, dict(mapping), tuple(rows), tuple(reader.problems))


def check_overrides(overrides: Mapping[str, str]) -> None:
    """Refuse a `field=Header` pair whose field IK does not know."""
    for name in overrides:
        if name not in PLAN_HEADERS:
            known = ", ".join(PLAN_HEADERS)
            raise InputError(f"Okänt fält ”{name}” i kolumnmappningen. Kända fält: {known}.")


def read_plan(
    grids: Sequence[Grid],
    *,
    header_row: int | None = None,
    overrides: Mapping[str, str] | None = None,
) -> PlanFile:
    """Find the plan's table in `grids` (see `tables.read_grids`) and read its rows.

    `overrides` {field: header} name a column the names in `PLAN_HEADERS` do not find.
    Raises InputError when no header names a Kontrollmoment column or a named column is
    missing; row problems are returned in `problems` for the caller to show or refuse.
    """
    overrides = dict(overrides or {})
    check_overrides(overrides)
    table = find_table(grids, PLAN_SPEC, header_row=header_row, overrides=overrides)
    mapping = PLAN_SPEC.match(table.headers, overrides)
    missing = [f for f in overrides if f not in mapping]
    if missing:
        shown = ", ".join(f"”{h}”" for h in table.headers if h)
        raise InputError(
            f"Kolumnen ”{overrides[missing[0]]}” som anges för {FIELD_LABELS[missing[0]]} finns "
            f"inte på rubrikraden. Kolumner: {shown}.",
            row=table.header_row,
        )
    return plan_rows(table, mapping)


def refuse_problems(plan: PlanFile) -> None:
    """Raise InputError listing the rows that cannot be read, if there are any."""
    refuse(plan.problems, plan.table.where)
