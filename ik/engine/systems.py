"""Registers behind the IT-continuity controls: systems, competence, drill logs, participants.

Every register is read from CSV (separated by `;`, `,` or tab; UTF-8, UTF-8 with BOM or
Windows-1252) or from the first sheet of an XLSX workbook. Headers are matched loosely: case,
å/ä/ö versus a/a/o, spaces versus underscores and brackets do not matter, so "Beror på",
"beror_pa" and "BEROR PA" are the same column. The first non-empty row is the header and row
numbers in error messages count it as row 1.

Systems register (`read_systems`):
    system; kritikalitet; prioritet; beror_pa; rto_timmar; larm; larmmottagare
    optional: agare (or enhet, forvaltning) for the owning unit, larmmetod.
    kritikalitet is samhällskritisk, verksamhetskritisk or övrig. prioritet is a whole number,
    1 starts first. beror_pa lists system names separated by commas (quote the cell in a
    comma-separated file). rto_timmar may be empty (no target) and accepts a decimal comma.
    larm is ja/nej (also x, 1, true; empty means nej).
Competence list (`read_competence`): system; person; roll (primär or backup).
Drill log (`read_drill_log`): system; uppe (an ISO 8601 time such as 2018-10-02 08:15).
    A row whose system is "start" (or "driftstopp") records when the outage began. Without
    one, the controls take the start from an explicit parameter or else the earliest time.
Participants (`read_participants`): enhet, optional namn. Units (`read_units`): enhet.

System names are matched case-insensitively; references in other registers are rewritten to
the register's own spelling.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from ik.engine.errors import InputError, InputProblem
from ik.engine.headers import normalise_header
from ik.lib.filelimits import REGISTER_SHEET, LimitError, check_spreadsheet
from ik.lib.spreadsheet import csv_row, unguard, xlsx_row
from ik.lib.swedish import format_hours

Source = str | Path | bytes


class Criticality(StrEnum):
    """How much the municipality depends on a system, most critical first."""

    SOCIETY = "samhällskritisk"
    BUSINESS = "verksamhetskritisk"
    OTHER = "övrig"

    @property
    def rank(self) -> int:
        return _CRITICALITY_RANK[self]

    @property
    def is_critical(self) -> bool:
        return self is not Criticality.OTHER


_CRITICALITY_RANK = {Criticality.SOCIETY: 0, Criticality.BUSINESS: 1, Criticality.OTHER: 2}


class Role(StrEnum):
    PRIMARY = "primär"
    BACKUP = "backup"


@dataclass(frozen=True, slots=True)
class System:
    """One row of the systems register. `row` is where it was read, for messages only."""

    name: str
    owner_unit: str
    criticality: Criticality
    priority: int
    depends_on: tuple[str, ...] = ()
    rto_hours: float | None = None
    has_alarm: bool = False
    alarm_method: str = ""
    alarm_recipient: str = ""
    row: int | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Competence:
    """A person able to run a system, as its primary operator or as a backup."""

    system: str
    person: str
    role: Role
    row: int | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class DrillEvent:
    """The moment a system was back up during an outage drill."""

    system: str
    up_at: datetime
    row: int | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class DrillLog:
    events: tuple[DrillEvent, ...]
    start: datetime | None = None


@dataclass(frozen=True, slots=True)
class Participant:
    """Someone from a unit who took part in an activity (e.g. the energy-plan workshop)."""

    unit: str
    name: str = ""
    row: int | None = field(default=None, compare=False)


START_MARKERS = frozenset({"start", "driftstopp"})


# Swedish alphabetical order: å, ä, ö become the three ASCII characters after z; é sorts
# as e, ü as y, æ as ä, ø as ö.
def name_key(name: str) -> str:
    """The form in which system and unit names are compared: case and spacing ignored."""
    return " ".join(name.split()).casefold()


# --- reading tables -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Table:
    name: str
    columns: Mapping[str, int]
    rows: tuple[tuple[int, tuple[str, ...]], ...]

    def get(self, cells: tuple[str, ...], column: str) -> str:
        index = self.columns.get(column)
        if index is None or index >= len(cells):
            return ""
        return unguard(cells[index].strip())


def _source_name(source: Source) -> str:
    return "uppladdad fil" if isinstance(source, bytes) else Path(source).name


def _read_bytes(source: Source) -> bytes:
    if isinstance(source, bytes):
        return source
    try:
        return Path(source).read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"Filen {source} finns inte") from exc
    except OSError as exc:
        raise InputError(f"Filen {source} kan inte läsas (felkod {exc.errno})") from exc


def _is_xlsx(source: Source, data: bytes) -> bool:
    if not isinstance(source, bytes) and Path(source).suffix.lower() in {".xlsx", ".xlsm"}:
        return True
    return data[:4] == b"PK\x03\x04"


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"Filen {name} är varken UTF-8 eller Windows-1252 (byte {exc.start})"
        ) from exc


def _csv_rows(text: str) -> Iterator[list[str]]:
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(";\t,", key=first.count)
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return str(value)


def _xlsx_rows(data: bytes, name: str) -> Iterator[list[str]]:
    from python_calamine import CalamineWorkbook

    try:
        check_spreadsheet(io.BytesIO(data), REGISTER_SHEET, what=f"Arbetsboken {name}")
    except LimitError as exc:
        raise InputError(str(exc)) from None
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises several unrelated types for broken files
        raise InputError(f"Arbetsboken {name} kan inte läsas: {exc}") from exc
    for values in rows:
        yield [_cell_text(v) for v in values]


def read_table(
    source: Source, spec: Mapping[str, tuple[str, ...]], required: Iterable[str]
) -> _Table:
    """Read a table, mapping each header to the canonical column name in `spec`."""
    name = _source_name(source)
    data = _read_bytes(source)
    raw = _xlsx_rows(data, name) if _is_xlsx(source, data) else _csv_rows(_decode(data, name))
    header: list[str] | None = None
    header_row = 0
    body: list[tuple[int, tuple[str, ...]]] = []
    for number, cells in enumerate(raw, start=1):
        if not any(c.strip() for c in cells):
            continue
        if header is None:
            header, header_row = cells, number
        else:
            body.append((number - header_row + 1, tuple(cells)))
    if header is None:
        raise InputError(f"Filen {name} är tom")
    _check_width(body, len(header), name)
    aliases = {alias: canon for canon, names in spec.items() for alias in (canon, *names)}
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        canon = aliases.get(normalise_header(title))
        if canon is not None and canon not in columns:
            columns[canon] = index
    missing = [c for c in required if c not in columns]
    if missing:
        found = ", ".join(repr(h) for h in header if h.strip())
        raise InputError(
            f"Kolumnen {missing[0]!r} saknas i {name}. Kolumner i filen: {found}", row=1
        )
    return _Table(name, columns, tuple(body))


def _check_width(body: list[tuple[int, tuple[str, ...]]], width: int, name: str) -> None:
    # Extra filled cells mean a field was split, typically an unquoted list of dependencies
    # in a comma-separated file; reading on would silently drop part of it.
    for row, cells in body:
        extra = [c for c in cells[width:] if c.strip()]
        if extra:
            raise InputError(
                f"Raden har fler fält än rubrikraden i {name} ({extra[0]!r} blir över); "
                "sätt citattecken kring värden som innehåller avgränsaren",
                row=row,
            )


def raise_problems(problems: list[InputProblem], name: str) -> None:
    if not problems:
        return
    first = problems[0]
    message = f"{first.message}: {first.value!r}"
    if len(problems) > 1:
        message = f"{len(problems)} fel i {name}. Det första: {message}"
    raise InputError(message, row=first.row, column=first.column, problems=tuple(problems))


# --- value parsers: each returns the value or raises ValueError with a Swedish reason --------

_TRUE = {"ja", "j", "x", "1", "true", "sant", "yes", "y"}
_FALSE = {"", "nej", "n", "0", "false", "falskt", "no"}


def parse_bool(text: str) -> bool:
    folded = text.strip().casefold()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise ValueError("Värdet ska vara ja eller nej")


def parse_criticality(text: str) -> Criticality:
    folded = normalise_header(text)
    for criticality in Criticality:
        if folded == normalise_header(criticality.value):
            return criticality
    raise ValueError("Okänd kritikalitet (samhällskritisk, verksamhetskritisk eller övrig)")


def parse_role(text: str) -> Role:
    folded = normalise_header(text)
    for role in Role:
        if folded == normalise_header(role.value):
            return role
    raise ValueError("Okänd roll (primär eller backup)")


def parse_priority(text: str) -> int:
    try:
        priority = int(text.strip())
    except ValueError:
        raise ValueError("Prioriteten är inget heltal") from None
    if priority < 1:
        raise ValueError("Prioriteten ska vara 1 eller högre")
    return priority


def parse_hours(text: str) -> float | None:
    cleaned = text.replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not cleaned:
        return None
    try:
        hours = float(cleaned)
    except ValueError:
        raise ValueError("Återställningstiden är inget tal") from None
    if hours < 0 or hours != hours:
        raise ValueError("Återställningstiden kan inte vara negativ")
    return hours


def parse_time(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError("Tidpunkten är ingen tid (skriv t.ex. 2018-10-02 08:15)") from None


def split_names(text: str) -> tuple[str, ...]:
    """`nätverk, DNS` -> ('nätverk', 'DNS'); empty parts and repeats dropped."""
    seen: dict[str, str] = {}
    for part in text.split(","):
        name = " ".join(part.split())
        if name and name_key(name) not in seen:
            seen[name_key(name)] = name
    return tuple(seen.values())


# --- registers ------------------------------------------------------------------------------

SYSTEM_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "system": ("systemnamn", "namn"),
    "agare": ("enhet", "forvaltning", "agande_enhet", "systemagare"),
    "kritikalitet": ("kriticitet", "klassning"),
    "prioritet": ("uppstartsprioritet",),
    "beror_pa": ("beroenden", "beror_av"),
    "rto_timmar": ("rto", "rto_h"),
    "larm": (),
    "larmmetod": ("overvakning",),
    "larmmottagare": ("mottagare",),
}
_SYSTEM_REQUIRED = (
    "system",
    "kritikalitet",
    "prioritet",
    "beror_pa",
    "rto_timmar",
    "larm",
    "larmmottagare",
)


def read_systems(source: Source) -> tuple[System, ...]:
    """Read a systems register; refuse duplicates and unreadable values (InputError).

    Dependencies on systems missing from the register are kept as written: the start-up
    control reports them as findings rather than refusing the file.
    """
    table = read_table(source, SYSTEM_COLUMNS, _SYSTEM_REQUIRED)
    problems: list[InputProblem] = []
    systems: list[System] = []
    first_row: dict[str, int] = {}
    for row, cells in table.rows:
        name = " ".join(table.get(cells, "system").split())
        if not name:
            problems.append(InputProblem(row, "system", "", "Systemnamn saknas"))
            continue
        if name_key(name) in first_row:
            problems.append(
                InputProblem(
                    row, "system", name, f"Systemet finns redan på rad {first_row[name_key(name)]}"
                )
            )
            continue
        first_row[name_key(name)] = row
        try:
            systems.append(_system_from_row(table, row, cells, name))
        except _CellError as exc:
            problems.append(InputProblem(row, exc.column, exc.value, exc.reason))
    raise_problems(problems, table.name)
    return _canonical_dependencies(systems)


class _CellError(Exception):
    def __init__(self, column: str, value: str, reason: str) -> None:
        super().__init__(reason)
        self.column, self.value, self.reason = column, value, reason


def _parsed[T](table: _Table, cells: tuple[str, ...], column: str, parser: Callable[[str], T]) -> T:
    value = table.get(cells, column)
    try:
        return parser(value)
    except ValueError as exc:
        raise _CellError(column, value, str(exc)) from None


def _system_from_row(table: _Table, row: int, cells: tuple[str, ...], name: str) -> System:
    return System(
        name=name,
        owner_unit=table.get(cells, "agare"),
        criticality=_parsed(table, cells, "kritikalitet", parse_criticality),
        priority=_parsed(table, cells, "prioritet", parse_priority),
        depends_on=split_names(table.get(cells, "beror_pa")),
        rto_hours=_parsed(table, cells, "rto_timmar", parse_hours),
        has_alarm=_parsed(table, cells, "larm", parse_bool),
        alarm_method=table.get(cells, "larmmetod"),
        alarm_recipient=table.get(cells, "larmmottagare"),
        row=row,
    )


def _canonical_dependencies(systems: list[System]) -> tuple[System, ...]:
    spelling = {name_key(s.name): s.name for s in systems}
    out = []
    for system in systems:
        deps = tuple(spelling.get(name_key(d), d) for d in system.depends_on)
        out.append(system if deps == system.depends_on else replace(system, depends_on=deps))
    return tuple(out)


def _resolver(systems: Sequence[System] | None) -> Mapping[str, str] | None:
    return None if systems is None else {name_key(s.name): s.name for s in systems}


COMPETENCE_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "system": ("systemnamn",),
    "person": ("namn", "medarbetare"),
    "roll": ("role",),
}


def read_competence(
    source: Source, systems: Sequence[System] | None = None
) -> tuple[Competence, ...]:
    """Read who can run which system; with `systems` given, unknown systems are refused."""
    table = read_table(source, COMPETENCE_COLUMNS, ("system", "person", "roll"))
    known = _resolver(systems)
    problems: list[InputProblem] = []
    out: list[Competence] = []
    for row, cells in table.rows:
        try:
            system = _known_system(table, cells, known)
            person = " ".join(table.get(cells, "person").split())
            if not person:
                raise _CellError("person", "", "Person saknas")
            role = _parsed(table, cells, "roll", parse_role)
        except _CellError as exc:
            problems.append(InputProblem(row, exc.column, exc.value, exc.reason))
            continue
        out.append(Competence(system, person, role, row))
    raise_problems(problems, table.name)
    return tuple(out)


def _known_system(table: _Table, cells: tuple[str, ...], known: Mapping[str, str] | None) -> str:
    name = " ".join(table.get(cells, "system").split())
    if not name:
        raise _CellError("system", "", "Systemnamn saknas")
    if known is None:
        return name
    if name_key(name) not in known:
        raise _CellError("system", name, "Systemet finns inte i systemregistret")
    return known[name_key(name)]


DRILL_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "system": ("systemnamn", "handelse"),
    "uppe": ("uppe_tid", "tid", "tidpunkt", "klar"),
}


def read_drill_log(source: Source, systems: Sequence[System] | None = None) -> DrillLog:
    """Read when each system was back up in a drill, and the outage start if a row gives it.

    A system may appear once. With `systems` given, unknown systems are refused. Times
    must either all carry a time zone or all lack one.
    """
    table = read_table(source, DRILL_COLUMNS, ("system", "uppe"))
    known = _resolver(systems)
    problems: list[InputProblem] = []
    events: list[DrillEvent] = []
    start: datetime | None = None
    seen: dict[str, int] = {}
    for row, cells in table.rows:
        marker = normalise_header(table.get(cells, "system")) in START_MARKERS
        try:
            system = "start" if marker else _known_system(table, cells, known)
            up_at = _parsed(table, cells, "uppe", parse_time)
        except _CellError as exc:
            problems.append(InputProblem(row, exc.column, exc.value, exc.reason))
            continue
        key = "\x00start" if marker else name_key(system)
        if key in seen:
            problems.append(
                InputProblem(row, "system", system, f"Systemet finns redan på rad {seen[key]}")
            )
            continue
        seen[key] = row
        if marker:
            start = up_at
        else:
            events.append(DrillEvent(system, up_at, row))
    raise_problems(problems, table.name)
    _check_time_zones(events, start, table.name)
    return DrillLog(tuple(events), start)


def _check_time_zones(events: Sequence[DrillEvent], start: datetime | None, name: str) -> None:
    times = [(e.row, e.up_at) for e in events] + ([(None, start)] if start else [])
    aware = [(row, t) for row, t in times if t.tzinfo is not None]
    if aware and len(aware) != len(times):
        row = next((r for r, t in times if t.tzinfo is None), None)
        raise InputError(f"{name} blandar tider med och utan tidszon", row=row, column="uppe")


PARTICIPANT_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "enhet": ("forvaltning", "avdelning", "organisation"),
    "namn": ("person", "deltagare"),
}


def read_participants(source: Source) -> tuple[Participant, ...]:
    """Read an attendance list: one row per participant with their unit."""
    table = read_table(source, PARTICIPANT_COLUMNS, ("enhet",))
    problems: list[InputProblem] = []
    out: list[Participant] = []
    for row, cells in table.rows:
        unit = " ".join(table.get(cells, "enhet").split())
        if not unit:
            problems.append(InputProblem(row, "enhet", "", "Enhet saknas"))
            continue
        out.append(Participant(unit, table.get(cells, "namn"), row))
    raise_problems(problems, table.name)
    return tuple(out)


def read_units(source: Source) -> tuple[str, ...]:
    """Read the set of units that should take part; a unit may be listed once."""
    table = read_table(source, {"enhet": PARTICIPANT_COLUMNS["enhet"]}, ("enhet",))
    problems: list[InputProblem] = []
    seen: dict[str, int] = {}
    for row, cells in table.rows:
        unit = " ".join(table.get(cells, "enhet").split())
        if not unit:
            problems.append(InputProblem(row, "enhet", "", "Enhet saknas"))
        elif name_key(unit) in seen:
            problems.append(
                InputProblem(
                    row, "enhet", unit, f"Enheten finns redan på rad {seen[name_key(unit)]}"
                )
            )
        else:
            seen[name_key(unit)] = row
    raise_problems(problems, table.name)
    return tuple(
        " ".join(table.get(c, "enhet").split()) for r, c in table.rows if table.get(c, "enhet")
    )


# --- writers: what the web app exports reads back unchanged ---------------------------------

SYSTEM_HEADER = (
    "system",
    "agare",
    "kritikalitet",
    "prioritet",
    "beror_pa",
    "rto_timmar",
    "larm",
    "larmmetod",
    "larmmottagare",
)
COMPETENCE_HEADER = ("system", "person", "roll")


def _system_cells(system: System) -> list[str]:
    return [
        system.name,
        system.owner_unit,
        system.criticality.value,
        str(system.priority),
        ", ".join(system.depends_on),
        format_hours(system.rto_hours),
        "ja" if system.has_alarm else "nej",
        system.alarm_method,
        system.alarm_recipient,
    ]


def _competence_cells(entry: Competence) -> list[str]:
    return [entry.system, entry.person, entry.role.value]


def _csv_bytes(header: Sequence[str], rows: Iterable[list[str]]) -> bytes:
    # UTF-8 with BOM and semicolons, so Excel in a Swedish locale opens it without questions.
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(csv_row(cells) for cells in rows)
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx_bytes(title: str, header: Sequence[str], rows: Iterable[list[str]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    xlsx_row(sheet, 1, header)
    for number, cells in enumerate(rows, start=2):
        # Written as text so a priority "1" or a name "0800" comes back exactly as it went out.
        xlsx_row(sheet, number, cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def systems_to_csv(systems: Iterable[System]) -> bytes:
    """The systems register as semicolon-separated UTF-8 (with BOM) that `read_systems` reads."""
    return _csv_bytes(SYSTEM_HEADER, (_system_cells(s) for s in systems))


def systems_to_xlsx(systems: Iterable[System]) -> bytes:
    """The systems register as an XLSX workbook that `read_systems` reads."""
    return _xlsx_bytes("System", SYSTEM_HEADER, (_system_cells(s) for s in systems))


def competence_to_csv(entries: Iterable[Competence]) -> bytes:
    """The competence list as semicolon-separated UTF-8 that `read_competence` reads."""
    return _csv_bytes(COMPETENCE_HEADER, (_competence_cells(e) for e in entries))


def competence_to_xlsx(entries: Iterable[Competence]) -> bytes:
    """The competence list as an XLSX workbook that `read_competence` reads."""
    return _xlsx_bytes("Kompetens", COMPETENCE_HEADER, (_competence_cells(e) for e in entries))
