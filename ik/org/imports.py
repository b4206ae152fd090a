"""Reading committees, units and people from files into an organisation's structure.

Every file is read and every reference resolved before anything is written, so a refused
import leaves the structure as it was. Refusals are ValidationErrors keyed by the file's
form field and name the row and the column. Each created or changed object goes through
the structure services and so into the audit trail.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from ik.engine import structure as engine
from ik.engine.errors import InputError, InputProblem
from ik.engine.register_tables import raise_problems
from ik.engine.systems import name_key
from ik.lib.bounded import parse_upload
from ik.lib.filelimits import LimitError
from ik.org import services
from ik.org.actors import Actor
from ik.org.audit import audit_record
from ik.org.models import Committee, Organisation, Person, Unit


@dataclass
class ImportSummary:
    created: dict[str, int] = field(
        default_factory=lambda: {"committees": 0, "units": 0, "people": 0}
    )
    updated: dict[str, int] = field(
        default_factory=lambda: {"committees": 0, "units": 0, "people": 0}
    )

    @property
    def text(self) -> str:
        c, u = self.created, self.updated
        return (
            f"{c['committees']} nya och {u['committees']} ändrade nämnder, "
            f"{c['units']} nya och {u['units']} ändrade enheter, "
            f"{c['people']} nya och {u['people']} ändrade personer"
        )


def _read[T](
    key: str, data: bytes | None, reader: Callable[[bytes], tuple[T, ...]]
) -> tuple[T, ...]:
    if data is None:
        return ()
    try:
        return parse_upload(reader, data)
    except (InputError, LimitError) as exc:
        raise ValidationError({key: str(exc)}) from None


def _refuse(key: str, problems: list[InputProblem], name: str) -> None:
    try:
        raise_problems(problems, name)
    except InputError as exc:
        raise ValidationError({key: str(exc)}) from None


class _Plan:
    """What the files will do, resolved against the database before anything is written."""

    def __init__(self, organisation: Organisation) -> None:
        self.organisation = organisation
        self.committees = list(Committee.objects.filter(organisation=organisation))
        self.units = list(Unit.objects.filter(committee__organisation=organisation))
        self.people = list(Person.objects.filter(organisation=organisation))

    def committee_key(self, text: str, rows: Iterable[engine.CommitteeRow]) -> str | None:
        """The committee a reference (code or name) means: 'db:<pk>' or 'file:<name key>'."""
        key = name_key(text)
        for row in rows:
            if name_key(row.name) == key or (row.code and row.code.lower() == text.lower()):
                match = self.existing_committee(row)
                return f"db:{match.pk}" if match else f"file:{name_key(row.name)}"
        for committee in self.committees:
            if committee.code == text.lower() or name_key(committee.name) == key:
                return f"db:{committee.pk}"
        return None

    def existing_committee(self, row: engine.CommitteeRow) -> Committee | None:
        for committee in self.committees:
            if (row.code and committee.code == row.code.lower()) or name_key(
                committee.name
            ) == name_key(row.name):
                return committee
        return None


def _check_committees(plan: _Plan, rows: tuple[engine.CommitteeRow, ...]) -> None:
    problems = []
    board = next((c for c in plan.committees if c.is_executive_board), None)
    for row in rows:
        match = plan.existing_committee(row)
        if row.is_executive_board and board is not None and board != match:
            problems.append(
                InputProblem(row.row or 0, "ks", "ja", f"{board.name} är redan kommunstyrelse")
            )
        code = row.code.lower() or slugify(row.name)[:40]
        if code != slugify(code):
            problems.append(
                InputProblem(row.row or 0, "kod", row.code, "Koden får bara ha a–z, 0–9 och -")
            )
    _refuse("committees_file", problems, "nämndfilen")


def _unit_order(
    plan: _Plan, committees: tuple[engine.CommitteeRow, ...], rows: tuple[engine.UnitRow, ...]
) -> list[tuple[engine.UnitRow, str, str]]:
    """The units in an order where each parent comes before its children, with the
    committee key and the parent key ('' for none) of each."""
    problems: list[InputProblem] = []
    resolved: list[tuple[engine.UnitRow, str]] = []
    for row in rows:
        committee = plan.committee_key(row.committee, committees)
        if committee is None:
            problems.append(InputProblem(row.row or 0, "namnd", row.committee, "Okänd nämnd"))
        else:
            resolved.append((row, committee))
    _refuse("units_file", problems, "enhetsfilen")
    in_file = {(c, name_key(r.name)) for r, c in resolved}
    existing = {(f"db:{u.committee_id}", name_key(u.name)) for u in plan.units}
    ordered: list[tuple[engine.UnitRow, str, str]] = []
    placed: set[tuple[str, str]] = set(existing)
    waiting = list(resolved)
    while waiting:
        progress = []
        for row, committee in waiting:
            parent = name_key(row.parent) if row.parent else ""
            if not parent or (committee, parent) in placed:
                progress.append((row, committee))
        if not progress:
            break
        for row, committee in progress:
            ordered.append((row, committee, name_key(row.parent) if row.parent else ""))
            placed.add((committee, name_key(row.name)))
            waiting.remove((row, committee))
    for row, committee in waiting:
        known = (committee, name_key(row.parent)) in in_file
        reason = "Enheterna ingår i varandra i en ring" if known else "Okänd överordnad enhet"
        problems.append(InputProblem(row.row or 0, "ingar_i", row.parent, reason))
    _refuse("units_file", problems, "enhetsfilen")
    return ordered


def _person_units(
    plan: _Plan,
    committees: tuple[engine.CommitteeRow, ...],
    units: list[tuple[engine.UnitRow, str, str]],
    rows: tuple[engine.PersonRow, ...],
) -> list[tuple[str, str] | None]:
    """Each person's unit as (committee key, unit name key), or None for no unit."""
    known: list[tuple[str, str]] = [(c, name_key(r.name)) for r, c, _ in units]
    known += [(f"db:{u.committee_id}", name_key(u.name)) for u in plan.units]
    problems: list[InputProblem] = []
    out: list[tuple[str, str] | None] = []
    for row in rows:
        if not row.unit:
            out.append(None)
            continue
        committee = plan.committee_key(row.committee, committees) if row.committee else None
        if row.committee and committee is None:
            problems.append(InputProblem(row.row or 0, "namnd", row.committee, "Okänd nämnd"))
            continue
        matches = {k for k in known if k[1] == name_key(row.unit) and committee in (None, k[0])}
        if len(matches) != 1:
            reason = "Okänd enhet" if not matches else "Flera enheter heter så; ange nämnd"
            problems.append(InputProblem(row.row or 0, "enhet", row.unit, reason))
            continue
        out.append(matches.pop())
    _refuse("people_file", problems, "personfilen")
    return out


def _changed(obj: Any, values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if getattr(obj, k) != v}


def _write_committees(
    plan: _Plan, rows: tuple[engine.CommitteeRow, ...], by: Actor, summary: ImportSummary
) -> dict[str, Committee]:
    by_key: dict[str, Committee] = {f"db:{c.pk}": c for c in plan.committees}
    for row in rows:
        values: dict[str, Any] = {"name": row.name, "is_executive_board": row.is_executive_board}
        for name in ("short_name", "administration_name"):
            if getattr(row, name):
                values[name] = getattr(row, name)
        if row.position is not None:
            values["position"] = row.position
        match = plan.existing_committee(row)
        if match is None:
            created = services.committee_create(
                organisation=plan.organisation, by=by, code=row.code.lower(), **values
            )
            by_key[f"file:{name_key(row.name)}"] = created
            summary.created["committees"] += 1
        else:
            if not row.is_executive_board:
                values.pop("is_executive_board")
            if changes := _changed(match, values):
                services.committee_update(committee=match, by=by, **changes)
                summary.updated["committees"] += 1
            by_key[f"file:{name_key(row.name)}"] = match
    return by_key


def _write_units(
    plan: _Plan,
    ordered: list[tuple[engine.UnitRow, str, str]],
    committees: dict[str, Committee],
    by: Actor,
    summary: ImportSummary,
) -> dict[tuple[str, str], Unit]:
    by_key: dict[tuple[str, str], Unit] = {
        (f"db:{u.committee_id}", name_key(u.name)): u for u in plan.units
    }
    for row, committee_key, parent_key in ordered:
        committee = committees[committee_key]
        key = (f"db:{committee.pk}", name_key(row.name))
        parent = by_key[(f"db:{committee.pk}", parent_key)] if parent_key else None
        values: dict[str, Any] = {"kind": row.kind, "parent": parent}
        if row.code:
            values["code"] = row.code
        existing = by_key.get(key)
        if existing is None:
            by_key[key] = services.unit_create(committee=committee, by=by, name=row.name, **values)
            summary.created["units"] += 1
        elif changes := _changed(existing, values):
            services.unit_update(unit=existing, by=by, **changes)
            summary.updated["units"] += 1
        by_key[(committee_key, name_key(row.name))] = by_key[key]
    return by_key


def _existing_person(plan: _Plan, row: engine.PersonRow) -> Person | None:
    if row.email:
        found = [p for p in plan.people if p.email.lower() == row.email]
        if found:
            return found[0]
    same_name = [p for p in plan.people if name_key(p.name) == name_key(row.name)]
    return same_name[0] if len(same_name) == 1 else None


def _write_people(
    plan: _Plan,
    rows: tuple[engine.PersonRow, ...],
    unit_keys: list[tuple[str, str] | None],
    units: dict[tuple[str, str], Unit],
    by: Actor,
    summary: ImportSummary,
) -> None:
    for row, unit_key in zip(rows, unit_keys, strict=True):
        values: dict[str, Any] = {
            k: getattr(row, k) for k in ("title", "phone", "email") if getattr(row, k)
        }
        if unit_key is not None:
            values["unit"] = units[unit_key]
        existing = _existing_person(plan, row)
        if existing is None:
            services.person_create(organisation=plan.organisation, by=by, name=row.name, **values)
            summary.created["people"] += 1
        elif changes := _changed(existing, values):
            services.person_update(person=existing, by=by, **changes)
            summary.updated["people"] += 1


@transaction.atomic
def structure_import(
    *,
    organisation: Organisation,
    by: Actor,
    committees_file: bytes | None = None,
    units_file: bytes | None = None,
    people_file: bytes | None = None,
) -> ImportSummary:
    """Create or update committees, units and people from files, all or nothing.

    A committee is matched by code or name, a unit by name under its committee, a person
    by e-mail address or else by a name that is unique in the register. Empty cells leave
    what is registered alone.
    """
    committees = _read("committees_file", committees_file, engine.read_committees)
    unit_rows = _read("units_file", units_file, engine.read_unit_tree)
    people = _read("people_file", people_file, engine.read_people)
    if not (committees or unit_rows or people):
        raise ValidationError("Välj minst en fil med rader att läsa in.")
    plan = _Plan(organisation)
    _check_committees(plan, committees)
    ordered = _unit_order(plan, committees, unit_rows)
    person_units = _person_units(plan, committees, ordered, people)
    summary = ImportSummary()
    committee_map = _write_committees(plan, committees, by, summary)
    unit_map = _write_units(plan, ordered, committee_map, by, summary)
    _write_people(plan, people, person_units, unit_map, by, summary)
    audit_record(
        organisation=organisation,
        actor=by,
        action="structure_import",
        obj=organisation,
        summary=f"Läste in organisationens struktur: {summary.text}",
        changes={"created": summary.created, "updated": summary.updated},
    )
    return summary
