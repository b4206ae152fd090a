"""An organisation's structure read from files: committees, units and people.

The files are read like the system register (`ik.engine.systems`): CSV separated by `;`, `,`
or tab in UTF-8 or Windows-1252, or the first sheet of an XLSX workbook, headers matched
loosely, row numbers counting the header as row 1. Each reader checks every row and refuses
the whole file with every problem listed, so nothing is half-imported.

Committees (`read_committees`): namn; optional kortnamn, kod, ks (ja/nej: the executive
    board), forvaltning (the administration's name), ordning (a whole number).
Units (`read_unit_tree`): namnd (the committee's code or name); enhet; optional typ
    (förvaltning, avdelning or enhet), ingar_i (the parent unit's name under the same
    committee), ansvarskod.
People (`read_people`): namn; optional titel, telefon, epost, enhet (a unit's name), namnd
    (to tell apart units of the same name under different committees).

References between files (a unit's committee, a parent unit, a person's unit) are resolved
by the caller, which also knows what is already in the database.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from ik.engine.errors import InputProblem
from ik.engine.register_tables import Source, parse_bool, raise_problems, read_table
from ik.engine.systems import name_key

UNIT_KINDS = {"forvaltning": "forvaltning", "avdelning": "avdelning", "enhet": "enhet"}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True, slots=True)
class CommitteeRow:
    name: str
    short_name: str = ""
    code: str = ""
    is_executive_board: bool = False
    administration_name: str = ""
    position: int | None = None
    row: int | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class UnitRow:
    committee: str
    name: str
    kind: str
    parent: str = ""
    code: str = ""
    row: int | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class PersonRow:
    name: str
    title: str = ""
    phone: str = ""
    email: str = ""
    unit: str = ""
    committee: str = ""
    row: int | None = field(default=None, compare=False)


COMMITTEE_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "namn": ("namnd", "styrelse"),
    "kortnamn": ("forkortning",),
    "kod": (),
    "ks": ("kommunstyrelse", "regionstyrelse", "styrelsen"),
    "forvaltning": ("forvaltningens_namn", "forvaltningsnamn"),
    "ordning": ("sortering", "position"),
}
UNIT_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "namnd": ("styrelse",),
    "enhet": ("namn", "enhetens_namn"),
    "typ": ("niva",),
    "ingar_i": ("overordnad", "overordnad_enhet", "foralder"),
    "ansvarskod": ("ansvar", "kod"),
}
PEOPLE_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "namn": ("person", "namn_pa_person"),
    "titel": ("befattning", "roll"),
    "telefon": ("tel", "telefonnummer"),
    "epost": ("e_post", "e_postadress", "mejl", "email"),
    "enhet": ("avdelning", "forvaltning"),
    "namnd": ("styrelse",),
}


def _text(value: str) -> str:
    return " ".join(value.split())


def _position(text: str) -> int | None:
    if not text:
        return None
    if not text.isdigit():
        raise ValueError("Ordningen ska vara ett heltal, t.ex. 1")
    return int(text)


def _kind(text: str, has_parent: bool) -> str:
    if not text:
        return "avdelning" if has_parent else "forvaltning"
    folded = text.casefold().replace("å", "a").replace("ä", "a").replace("ö", "o")
    if folded not in UNIT_KINDS:
        raise ValueError("Typen ska vara förvaltning, avdelning eller enhet")
    return UNIT_KINDS[folded]


def _duplicate(
    seen: dict[str, int], key: str, row: int, column: str, value: str, what: str
) -> InputProblem | None:
    if key in seen:
        return InputProblem(row, column, value, f"{what} finns redan på rad {seen[key]}")
    seen[key] = row
    return None


def read_committees(source: Source) -> tuple[CommitteeRow, ...]:
    """Read committees; refuse missing or repeated names and codes and unreadable values."""
    table = read_table(source, COMMITTEE_COLUMNS, ("namn",))
    problems: list[InputProblem] = []
    out: list[CommitteeRow] = []
    names: dict[str, int] = {}
    codes: dict[str, int] = {}
    boards: dict[str, int] = {}
    for row, cells in table.rows:
        name = _text(table.get(cells, "namn"))
        code = table.get(cells, "kod")
        if not name:
            problems.append(InputProblem(row, "namn", "", "Namn saknas"))
            continue
        found = _duplicate(names, name_key(name), row, "namn", name, "Nämnden")
        if found is None and code:
            found = _duplicate(codes, code.lower(), row, "kod", code, "Koden")
        if found:
            problems.append(found)
            continue
        try:
            board = parse_bool(table.get(cells, "ks"))
        except ValueError as exc:
            problems.append(InputProblem(row, "ks", table.get(cells, "ks"), str(exc)))
            continue
        if board and (found := _duplicate(boards, "ks", row, "ks", "ja", "Kommunstyrelsen")):
            problems.append(found)
            continue
        try:
            position = _position(table.get(cells, "ordning"))
        except ValueError as exc:
            problems.append(InputProblem(row, "ordning", table.get(cells, "ordning"), str(exc)))
            continue
        out.append(
            CommitteeRow(
                name=name,
                short_name=_text(table.get(cells, "kortnamn")),
                code=code,
                is_executive_board=board,
                administration_name=_text(table.get(cells, "forvaltning")),
                position=position,
                row=row,
            )
        )
    raise_problems(problems, table.name)
    return tuple(out)


def read_unit_tree(source: Source) -> tuple[UnitRow, ...]:
    """Read units with their committee and parent; a name is unique under its parent."""
    table = read_table(source, UNIT_COLUMNS, ("namnd", "enhet"))
    problems: list[InputProblem] = []
    out: list[UnitRow] = []
    seen: dict[str, int] = {}
    for row, cells in table.rows:
        committee = _text(table.get(cells, "namnd"))
        name = _text(table.get(cells, "enhet"))
        parent = _text(table.get(cells, "ingar_i"))
        if not committee:
            problems.append(InputProblem(row, "namnd", "", "Nämnd saknas"))
            continue
        if not name:
            problems.append(InputProblem(row, "enhet", "", "Enhetens namn saknas"))
            continue
        key = "/".join(name_key(x) for x in (committee, parent, name))
        if found := _duplicate(seen, key, row, "enhet", name, "Enheten"):
            problems.append(found)
            continue
        try:
            kind = _kind(table.get(cells, "typ"), bool(parent))
        except ValueError as exc:
            problems.append(InputProblem(row, "typ", table.get(cells, "typ"), str(exc)))
            continue
        code = table.get(cells, "ansvarskod")
        out.append(UnitRow(committee, name, kind, parent, code, row))
    raise_problems(problems, table.name)
    return tuple(out)


def read_people(source: Source) -> tuple[PersonRow, ...]:
    """Read people; an e-mail address, when given, must be readable and appear once."""
    table = read_table(source, PEOPLE_COLUMNS, ("namn",))
    problems: list[InputProblem] = []
    out: list[PersonRow] = []
    emails: dict[str, int] = {}
    for row, cells in table.rows:
        name = _text(table.get(cells, "namn"))
        email = table.get(cells, "epost").lower()
        if not name:
            problems.append(InputProblem(row, "namn", "", "Namn saknas"))
            continue
        if email and not _EMAIL.match(email):
            problems.append(InputProblem(row, "epost", email, "Ogiltig e-postadress"))
            continue
        if email and (found := _duplicate(emails, email, row, "epost", email, "Adressen")):
            problems.append(found)
            continue
        out.append(
            PersonRow(
                name=name,
                title=_text(table.get(cells, "titel")),
                phone=_text(table.get(cells, "telefon")),
                email=email,
                unit=_text(table.get(cells, "enhet")),
                committee=_text(table.get(cells, "namnd")),
                row=row,
            )
        )
    raise_problems(problems, table.name)
    return tuple(out)
