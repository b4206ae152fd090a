"""Registers behind the IT-continuity controls: systems, competence, drill logs, participants.

Each is read with `ik.engine.tables` (CSV or XLSX, loose headers, rows counted from the header).

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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from ik.engine.errors import InputError, InputProblem
from ik.engine.headers import normalise_header
from ik.engine.register_tables import (
    CellError,
    Source,
    Table,
    csv_bytes,
    parse_bool,
    parsed,
    raise_problems,
    read_table,
    xlsx_bytes,
)
from ik.lib.swedish import format_hours


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


# --- value parsers: each returns the value or raises ValueError with a Swedish reason --------


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
        except CellError as exc:
            problems.append(InputProblem(row, exc.column, exc.value, exc.reason))
    raise_problems(problems, table.name)
    return _canonical_dependencies(systems)


def _system_from_row(table: Table, row: int, cells: tuple[str, ...], name: str) -> System:
    return System(
        name=name,
        owner_unit=table.get(cells, "agare"),
        criticality=parsed(table, cells, "kritikalitet", parse_criticality),
        priority=parsed(table, cells, "prioritet", parse_priority),
        depends_on=split_names(table.get(cells, "beror_pa")),
        rto_hours=parsed(table, cells, "rto_timmar", parse_hours),
        has_alarm=parsed(table, cells, "larm", parse_bool),
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
                raise CellError("person", "", "Person saknas")
            role = parsed(table, cells, "roll", parse_role)
        except CellError as exc:
            problems.append(InputProblem(row, exc.column, exc.value, exc.reason))
            continue
        out.append(Competence(system, person, role, row))
    raise_problems(problems, table.name)
    return tuple(out)


def _known_system(table: Table, cells: tuple[str, ...], known: Mapping[str, str] | None) -> str:
    name = " ".join(table.get(cells, "system").split())
    if not name:
        raise CellError("system", "", "Systemnamn saknas")
    if known is None:
        return name
    if name_key(name) not in known:
        raise CellError("system", name, "Systemet finns inte i systemregistret")
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
            up_at = parsed(table, cells, "uppe", parse_time)
        except CellError as exc:
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


def systems_to_csv(systems: Iterable[System]) -> bytes:
    """The systems register as semicolon-separated UTF-8 (with BOM) that `read_systems` reads."""
    return csv_bytes(SYSTEM_HEADER, (_system_cells(s) for s in systems))


def systems_to_xlsx(systems: Iterable[System]) -> bytes:
    """The systems register as an XLSX workbook that `read_systems` reads."""
    return xlsx_bytes("System", SYSTEM_HEADER, (_system_cells(s) for s in systems))


def competence_to_csv(entries: Iterable[Competence]) -> bytes:
    """The competence list as semicolon-separated UTF-8 that `read_competence` reads."""
    return csv_bytes(COMPETENCE_HEADER, (_competence_cells(e) for e in entries))


def competence_to_xlsx(entries: Iterable[Competence]) -> bytes:
    """The competence list as an XLSX workbook that `read_competence` reads."""
    return xlsx_bytes("Kompetens", COMPETENCE_HEADER, (_competence_cells(e) for e in entries))
