"""Changes to the system register. Each function is one transaction and writes the audit trail.

Imports read files with the engine's readers (`ik.engine.systems`) and check everything before
they write anything, so a refused file leaves the register as it was. A system in the file is
matched to the register by name, case and spacing ignored; it keeps its id and its notes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ik.engine import systems as engine
from ik.engine.errors import InputError, InputProblem
from ik.lib.bounded import parse_upload
from ik.lib.filelimits import LimitError
from ik.lib.swedish import format_hours, sort_key
from ik.org.actors import Actor
from ik.org.audit import audit_record, diff, snapshot
from ik.org.models import Organisation, Person, Unit
from ik.systems.inputs import engine_competence, engine_systems
from ik.systems.models import (
    MAX_RTO_HOURS,
    NAME_LENGTH,
    TEXT_LENGTH,
    Competence,
    System,
    SystemDependency,
)

SYSTEM_FIELDS = (
    "name",
    "owner_unit",
    "owner",
    "criticality",
    "priority",
    "rto_hours",
    "has_alarm",
    "alarm_method",
    "alarm_recipient",
    "notes",
)


def clean_name(text: str) -> str:
    return " ".join(text.split())


def _check_name_free(system: System) -> None:
    taken = System.objects.filter(
        organisation_id=system.organisation_id, name__iexact=system.name
    ).exclude(pk=system.pk)
    if taken.exists():
        raise ValidationError({"name": f"Det finns redan ett system som heter ”{system.name}”."})


def _check_owner_unit(system: System) -> None:
    unit = system.owner_unit
    if unit is not None and unit.committee.organisation_id != system.organisation_id:
        raise ValidationError({"owner_unit": "Enheten hör till en annan organisation."})


def _save_system(system: System) -> None:
    system.name = clean_name(system.name)
    _check_name_free(system)
    _check_owner_unit(system)
    system.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            system.save()
    except IntegrityError:
        raise ValidationError(
            {"name": f"Det finns redan ett system som heter ”{system.name}”."}
        ) from None


def _dependency_names(system: System) -> list[str]:
    return sorted(system.depends_on.values_list("name", flat=True), key=sort_key)


def _set_dependencies(system: System, depends_on: Iterable[System]) -> None:
    wanted = {d.pk: d for d in depends_on}
    if system.pk in wanted:
        raise ValidationError({"depends_on": "Ett system kan inte bero på sig självt."})
    if any(d.organisation_id != system.organisation_id for d in wanted.values()):
        raise ValidationError({"depends_on": "Beroendena måste finnas i samma systemregister."})
    SystemDependency.objects.filter(system=system).exclude(depends_on_id__in=wanted).delete()
    have = set(
        SystemDependency.objects.filter(system=system).values_list("depends_on_id", flat=True)
    )
    SystemDependency.objects.bulk_create(
        SystemDependency(system=system, depends_on_id=pk) for pk in wanted if pk not in have
    )


@transaction.atomic
def system_create(
    *, organisation: Organisation, by: Actor, depends_on: Iterable[System] = (), **fields: Any
) -> System:
    unknown = set(fields) - set(SYSTEM_FIELDS)
    if unknown:
        raise TypeError(f"unknown system fields {sorted(unknown)}")
    system = System(organisation=organisation, **fields)
    _save_system(system)
    _set_dependencies(system, depends_on)
    audit_record(
        organisation=organisation,
        actor=by,
        action="system_create",
        obj=system,
        summary=f"Lade till systemet {system.name} i systemregistret",
        changes={**snapshot(system, SYSTEM_FIELDS), "depends_on": _dependency_names(system)},
    )
    return system


@transaction.atomic
def system_update(
    *, system: System, by: Actor, depends_on: Iterable[System] | None = None, **fields: Any
) -> System:
    """Change a system's fields and, when `depends_on` is given, its dependencies."""
    before = {**snapshot(system, SYSTEM_FIELDS), "depends_on": _dependency_names(system)}
    for name, value in fields.items():
        if name not in SYSTEM_FIELDS:
            raise TypeError(f"unknown system field {name}")
        setattr(system, name, value)
    _save_system(system)
    if depends_on is not None:
        _set_dependencies(system, depends_on)
    changes = diff(
        before, {**snapshot(system, SYSTEM_FIELDS), "depends_on": _dependency_names(system)}
    )
    if changes:
        audit_record(
            organisation=system.organisation_id,
            actor=by,
            action="system_update",
            obj=system,
            summary=f"Ändrade systemet {system.name}",
            changes=changes,
        )
    return system


@transaction.atomic
def system_delete(*, system: System, by: Actor) -> None:
    """Remove a system; refused while other systems depend on it."""
    dependents = sorted(system.dependents.values_list("name", flat=True), key=sort_key)
    if dependents:
        names = ", ".join(f"”{n}”" for n in dependents)
        raise ValidationError(
            f"”{system.name}” kan inte tas bort eftersom {names} beror på det. "
            "Ta först bort beroendet i de systemen."
        )
    audit_record(
        organisation=system.organisation_id,
        actor=by,
        action="system_delete",
        obj=system,
        summary=f"Tog bort systemet {system.name} ur systemregistret",
        changes=snapshot(system, SYSTEM_FIELDS),
    )
    system.delete()


# --- competence ------------------------------------------------------------------------------


def _person_named(organisation_id: int, name: str) -> Person | None:
    """The registered person with this name, when exactly one has it."""
    found = list(Person.objects.filter(organisation_id=organisation_id, name__iexact=name)[:2])
    return found[0] if len(found) == 1 else None


@transaction.atomic
def competence_add(
    *,
    system: System,
    by: Actor,
    role: str,
    person: Person | None = None,
    person_name: str = "",
) -> Competence:
    """Record that someone can run `system`; a registered person or a name."""
    if person is not None and person.organisation_id != system.organisation_id:
        raise ValidationError({"person": "Personen hör till en annan organisation."})
    name = person.name if person is not None else clean_name(person_name)
    if not name:
        raise ValidationError({"person_name": "Välj en person eller skriv ett namn."})
    if system.competences.filter(person_name__iexact=name).exists():
        raise ValidationError(f"{name} finns redan i kompetenslistan för {system.name}.")
    competence = Competence(
        system=system,
        person=person or _person_named(system.organisation_id, name),
        person_name=name,
        role=role,
    )
    competence.full_clean(validate_unique=False, validate_constraints=False)
    competence.save()
    audit_record(
        organisation=system.organisation_id,
        actor=by,
        action="competence_add",
        obj=competence,
        summary=f"{name} kan köra {system.name} ({competence.get_role_display().lower()})",
        changes={"system": system.name, "person": name, "role": role},
    )
    return competence


@transaction.atomic
def competence_remove(*, competence: Competence, by: Actor) -> None:
    system = competence.system
    audit_record(
        organisation=system.organisation_id,
        actor=by,
        action="competence_remove",
        obj=competence,
        summary=f"Tog bort {competence.person_name} ur kompetenslistan för {system.name}",
        changes={"system": system.name, "person": competence.person_name, "role": competence.role},
    )
    competence.delete()


# --- import and export -----------------------------------------------------------------------


@dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int
    unchanged: int
    deleted: int
    competence: int

    @property
    def systems(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass(frozen=True)
class RegisterFiles:
    """An export: the systems register and the competence list, each its own file."""

    systems: bytes
    competence: bytes


def _refuse(field: str, problems: Sequence[InputProblem]) -> None:
    if not problems:
        return
    first = problems[0]
    message = f"{first.message}: {first.value!r} (rad {first.row}, kolumn {first.column})"
    if len(problems) > 1:
        message = f"{len(problems)} fel i filen. Det första: {message}"
    raise ValidationError({field: message})


def _read[T](reader: Callable[[bytes], T], data: bytes, field: str) -> T:
    try:
        return parse_upload(reader, data)
    except (InputError, LimitError) as exc:
        raise ValidationError({field: str(exc)}) from None


def _long(row: int, column: str, value: str, limit: int) -> InputProblem | None:
    if len(value) <= limit:
        return None
    return InputProblem(row, column, value, f"Texten är för lång (högst {limit} tecken)")


def _system_problems(rows: Sequence[engine.System], known: dict[str, str]) -> list[InputProblem]:
    problems: list[InputProblem] = []
    for s in rows:
        row = s.row or 0
        for problem in (
            _long(row, "system", s.name, NAME_LENGTH),
            _long(row, "agare", s.owner_unit, TEXT_LENGTH),
            _long(row, "larmmetod", s.alarm_method, TEXT_LENGTH),
            _long(row, "larmmottagare", s.alarm_recipient, TEXT_LENGTH),
        ):
            if problem is not None:
                problems.append(problem)
        if s.rto_hours is not None and s.rto_hours > MAX_RTO_HOURS:
            problems.append(
                InputProblem(
                    row,
                    "rto_timmar",
                    format_hours(s.rto_hours),
                    f"Återställningstiden är för lång (högst {MAX_RTO_HOURS} timmar)",
                )
            )
        for dep in s.depends_on:
            if engine.name_key(dep) == engine.name_key(s.name):
                problems.append(
                    InputProblem(row, "beror_pa", dep, "Ett system kan inte bero på sig självt")
                )
            elif engine.name_key(dep) not in known:
                problems.append(
                    InputProblem(row, "beror_pa", dep, "Beroendet finns inte i systemregistret")
                )
    return problems


def _competence_problems(
    entries: Sequence[engine.Competence], known: dict[str, str]
) -> list[InputProblem]:
    problems: list[InputProblem] = []
    seen: dict[tuple[str, str], int] = {}
    for c in entries:
        row = c.row or 0
        key = (engine.name_key(c.system), engine.name_key(c.person))
        if key[0] not in known:
            problems.append(
                InputProblem(row, "system", c.system, "Systemet finns inte i systemregistret")
            )
        elif key in seen:
            problems.append(
                InputProblem(
                    row, "person", c.person, f"Personen finns redan för systemet på rad {seen[key]}"
                )
            )
        elif (problem := _long(row, "person", c.person, NAME_LENGTH)) is not None:
            problems.append(problem)
        seen.setdefault(key, row)
    return problems


@dataclass(frozen=True)
class _Checked:
    systems: tuple[engine.System, ...]
    competence: tuple[engine.Competence, ...] | None
    existing: dict[str, System]


def _check_files(
    organisation: Organisation, systems_file: bytes, competence_file: bytes | None, replace: bool
) -> _Checked:
    rows = _read(engine.read_systems, systems_file, "systems_file")
    if not rows:
        raise ValidationError({"systems_file": "Filen innehåller inga system, bara rubrikraden."})
    existing = {
        engine.name_key(s.name): s for s in System.objects.filter(organisation=organisation)
    }
    known = {engine.name_key(s.name): s.name for s in rows}
    if not replace:
        known = {k: s.name for k, s in existing.items()} | known
    _refuse("systems_file", _system_problems(rows, known))
    competence = None
    if competence_file is not None:
        competence = _read(engine.read_competence, competence_file, "competence_file")
        _refuse("competence_file", _competence_problems(competence, known))
    return _Checked(rows, competence, existing)


def _rto(hours: float | None) -> Decimal | None:
    if hours is None:
        return None
    return Decimal(repr(hours)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _unique_by_name[T: (Unit, Person)](objects: Iterable[T]) -> dict[str, T]:
    """Objects by name key, leaving out names that more than one of them has."""
    found: dict[str, T] = {}
    ambiguous: set[str] = set()
    for obj in objects:
        key = engine.name_key(obj.name)
        if key in found:
            ambiguous.add(key)
        found[key] = obj
    return {k: v for k, v in found.items() if k not in ambiguous}


def _apply_row(system: System, row: engine.System, units: dict[str, Unit]) -> None:
    unit = units.get(engine.name_key(row.owner_unit)) if row.owner_unit else None
    system.name = row.name
    system.owner_unit = unit
    system.owner = "" if unit else row.owner_unit
    system.criticality = row.criticality.value
    system.priority = row.priority
    system.rto_hours = _rto(row.rto_hours)
    system.has_alarm = row.has_alarm
    system.alarm_method = row.alarm_method
    system.alarm_recipient = row.alarm_recipient


IMPORTED_FIELDS = [f for f in SYSTEM_FIELDS if f != "notes"]


def _write_systems(
    organisation: Organisation, checked: _Checked, replace: bool
) -> tuple[dict[str, System], ImportSummary, list[str]]:
    """Create and update the file's systems; with `replace`, delete the others."""
    file_keys = {engine.name_key(r.name) for r in checked.systems}
    deleted: list[str] = []
    if replace:
        gone = [s for k, s in checked.existing.items() if k not in file_keys]
        deleted = sorted((s.name for s in gone), key=sort_key)
        System.objects.filter(pk__in=[s.pk for s in gone]).delete()
    units = _unique_by_name(Unit.objects.filter(committee__organisation=organisation))
    new: list[System] = []
    changed: list[System] = []
    matched: list[System] = []
    for row in checked.systems:
        system = checked.existing.get(engine.name_key(row.name))
        if system is None:
            system = System(organisation=organisation)
            new.append(system)
            _apply_row(system, row, units)
            continue
        matched.append(system)
        before = snapshot(system, IMPORTED_FIELDS)
        _apply_row(system, row, units)
        # Re-reading an unchanged export is common; writing only what changed keeps it fast.
        if snapshot(system, IMPORTED_FIELDS) != before:
            changed.append(system)
    System.objects.bulk_create(new)
    # One UPDATE per changed row: bulk_update's CASE expressions are several times slower
    # for a register of thousands of systems.
    for system in changed:
        system.save(update_fields=[*IMPORTED_FIELDS, "updated_at"])
    kept = {k: s for k, s in checked.existing.items() if not replace or k in file_keys}
    register = kept | {engine.name_key(s.name): s for s in new + matched}
    counts = ImportSummary(
        created=len(new),
        updated=len(changed),
        unchanged=len(matched) - len(changed),
        deleted=len(deleted),
        competence=len(checked.competence or ()),
    )
    return register, counts, deleted


def _write_dependencies(rows: Sequence[engine.System], register: dict[str, System]) -> None:
    ids = [register[engine.name_key(r.name)].pk for r in rows]
    SystemDependency.objects.filter(system_id__in=ids).delete()
    SystemDependency.objects.bulk_create(
        SystemDependency(
            system=register[engine.name_key(r.name)], depends_on=register[engine.name_key(d)]
        )
        for r in rows
        for d in r.depends_on
    )


def _write_competence(
    organisation: Organisation,
    entries: Sequence[engine.Competence],
    register: dict[str, System],
    replace: bool,
) -> None:
    """With `replace` the list becomes the file's; otherwise the file's rows are added or
    their role changed."""
    current = Competence.objects.filter(system__organisation=organisation)
    if replace:
        current.delete()
    else:
        wanted = {(engine.name_key(c.system), engine.name_key(c.person)) for c in entries}
        stale = [
            pk
            for pk, system, person in current.values_list("pk", "system__name", "person_name")
            if (engine.name_key(system), engine.name_key(person)) in wanted
        ]
        Competence.objects.filter(pk__in=stale).delete()
    people = _unique_by_name(Person.objects.filter(organisation=organisation))
    Competence.objects.bulk_create(
        Competence(
            system=register[engine.name_key(c.system)],
            person_name=c.person,
            person=people.get(engine.name_key(c.person)),
            role=c.role.value,
        )
        for c in entries
    )


@transaction.atomic
def register_import(
    *,
    organisation: Organisation,
    by: Actor,
    systems_file: bytes,
    competence_file: bytes | None,
    replace: bool,
) -> ImportSummary:
    """Read a systems file (and a competence file) into the register.

    Every system in the file is created or updated, and its dependencies become the file's.
    `replace` also deletes the systems the file does not list and, with a competence file,
    replaces the whole competence list; otherwise the file's competence rows are added.
    A dependency or competence row may name a system already in the register only when
    merging. Refusals are ValidationErrors keyed `systems_file` or `competence_file`.
    """
    checked = _check_files(organisation, systems_file, competence_file, replace)
    register, summary, deleted = _write_systems(organisation, checked, replace)
    _write_dependencies(checked.systems, register)
    if checked.competence is not None:
        _write_competence(organisation, checked.competence, register, replace)
    audit_record(
        organisation=organisation,
        actor=by,
        action="system_register_import",
        obj=organisation,
        summary=(
            f"Läste in systemregistret ({'ersatte' if replace else 'kompletterade'}): "
            f"{summary.created} nya, {summary.updated} ändrade, {summary.unchanged} oförändrade, "
            f"{summary.deleted} borttagna system, {summary.competence} kompetensrader"
        ),
        changes={
            "replace": replace,
            "systems": [s.name for s in checked.systems],
            "deleted": deleted,
            "competence_rows": summary.competence,
        },
    )
    return summary


def register_export_csv(organisation: Organisation) -> RegisterFiles:
    """The register as semicolon-separated files that `register_import` reads back."""
    return RegisterFiles(
        systems=engine.systems_to_csv(engine_systems(organisation)),
        competence=engine.competence_to_csv(engine_competence(organisation)),
    )


def register_export_xlsx(organisation: Organisation) -> RegisterFiles:
    """The register as two XLSX workbooks that `register_import` reads back."""
    return RegisterFiles(
        systems=engine.systems_to_xlsx(engine_systems(organisation)),
        competence=engine.competence_to_xlsx(engine_competence(organisation)),
    )
