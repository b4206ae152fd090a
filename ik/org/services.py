"""Changes to an organisation and its structure: committees, units and people.

Each function is one transaction and writes the audit trail. Things that plans, follow-ups
or documents refer to are deactivated rather than deleted, so what was decided stays
readable.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from ik.org.actors import Actor
from ik.org.audit import audit_changes, audit_record, snapshot
from ik.org.models import Committee, Organisation, Person, Unit

SETTINGS_FIELDS = (
    "name",
    "postal_address",
    "visiting_address",
    "phone",
    "fax",
    "website",
    "email",
    "bankgiro",
    "logo",
    "word_template",
    "session_idle_minutes",
)
COMMITTEE_FIELDS = (
    "name",
    "short_name",
    "code",
    "is_executive_board",
    "administration_name",
    "position",
    "is_active",
)
UNIT_FIELDS = ("name", "kind", "code", "parent", "is_active")
PERSON_FIELDS = ("name", "title", "phone", "email", "unit", "is_active")


@transaction.atomic
def organisation_update(*, organisation: Organisation, by: Actor, form: Any) -> Organisation:
    before = snapshot(organisation, SETTINGS_FIELDS)
    form.save()
    audit_changes(
        organisation=organisation,
        actor=by,
        action="organisation_update",
        obj=organisation,
        fields=SETTINGS_FIELDS,
        before=before,
        summary=f"Ändrade inställningar för {organisation}",
    )
    return organisation


def _assign(obj: Any, allowed: tuple[str, ...], fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        if name not in allowed:
            raise TypeError(f"unknown {type(obj).__name__} field {name}")
        setattr(obj, name, value)


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


@transaction.atomic
def organisation_create(
    *, name: str, by: Actor, code: str = "", kind: str = Organisation.Kind.MUNICIPALITY
) -> Organisation:
    """A new, empty organisation. Name and code must both be free."""
    name = " ".join(name.split())
    code = (code or slugify(name)).strip()
    if not name:
        raise ValidationError({"name": "Ange organisationens namn."})
    if not code or slugify(code) != code:
        raise ValidationError(
            {"code": "Koden får bara innehålla små bokstäver a–z, siffror och bindestreck."}
        )
    # Compared in Python: SQLite's case-insensitive match ignores the case of å, ä and ö.
    same = [n for n in Organisation.objects.values_list("name", flat=True) if _same(n, name)]
    if same:
        raise ValidationError({"name": f"Det finns redan en organisation som heter ”{same[0]}”."})
    if Organisation.objects.filter(code=code).exists():
        raise ValidationError({"code": f"Det finns redan en organisation med koden ”{code}”."})
    organisation = Organisation(name=name, code=code, kind=kind)
    organisation.full_clean()
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError:
        raise ValidationError(
            {"code": f"Det finns redan en organisation med koden ”{code}”."}
        ) from None
    audit_record(
        organisation=organisation,
        actor=by,
        action="organisation_create",
        obj=organisation,
        summary=f"Skapade organisationen {organisation}",
        changes={"name": name, "code": code},
    )
    return organisation


# Committees ------------------------------------------------------------------------------


def _save_committee(committee: Committee) -> None:
    committee.name = " ".join(committee.name.split())
    taken = Committee.objects.filter(organisation_id=committee.organisation_id).exclude(
        pk=committee.pk
    )
    if taken.filter(code=committee.code).exists():
        raise ValidationError({"code": f"Det finns redan en nämnd med koden ”{committee.code}”."})
    if any(_same(n, committee.name) for n in taken.values_list("name", flat=True)):
        raise ValidationError({"name": f"Det finns redan en nämnd som heter ”{committee.name}”."})
    if committee.is_executive_board and taken.filter(is_executive_board=True).exists():
        raise ValidationError(
            {"is_executive_board": "Organisationen har redan en kommunstyrelse/regionstyrelse."}
        )
    committee.full_clean(validate_constraints=False)
    committee.save()


@transaction.atomic
def committee_create(*, organisation: Organisation, by: Actor, **fields: Any) -> Committee:
    committee = Committee(organisation=organisation, **fields)
    if not committee.code:
        committee.code = slugify(committee.short_name or committee.name)[:40]
    _save_committee(committee)
    audit_record(
        organisation=organisation,
        actor=by,
        action="committee_create",
        obj=committee,
        summary=f"Lade till nämnden {committee}",
        changes=snapshot(committee, COMMITTEE_FIELDS),
    )
    return committee


@transaction.atomic
def committee_update(*, committee: Committee, by: Actor, **fields: Any) -> Committee:
    """Rename, reorder or (de)activate a committee. Its code is in URLs and files, so a
    code once used by a plan stays."""
    before = snapshot(committee, COMMITTEE_FIELDS)
    _assign(committee, COMMITTEE_FIELDS, fields)
    if committee.code != before["code"] and committee.plans.exists():
        raise ValidationError({"code": "Nämnden har planer; koden kan inte ändras."})
    _save_committee(committee)
    audit_changes(
        organisation=committee.organisation_id,
        actor=by,
        action="committee_update",
        obj=committee,
        fields=COMMITTEE_FIELDS,
        before=before,
        summary=f"Ändrade nämnden {committee}",
    )
    return committee


def committee_is_referenced(committee: Committee) -> bool:
    return committee.plans.exists() or committee.units.exists() or committee.memberships.exists()


@transaction.atomic
def committee_delete(*, committee: Committee, by: Actor) -> None:
    """Delete a committee nothing refers to yet; otherwise it can only be deactivated."""
    if committee_is_referenced(committee):
        raise ValidationError(
            f"{committee.name} har planer, enheter eller användare och kan inte tas bort. "
            "Inaktivera nämnden i stället."
        )
    audit_record(
        organisation=committee.organisation_id,
        actor=by,
        action="committee_delete",
        obj=committee,
        summary=f"Tog bort nämnden {committee}",
        changes=snapshot(committee, COMMITTEE_FIELDS),
    )
    committee.delete()


# Units -----------------------------------------------------------------------------------


def _check_parent(unit: Unit) -> None:
    parent = unit.parent
    if parent is None:
        return
    if parent.committee_id != unit.committee_id:
        raise ValidationError({"parent": "Enheten kan bara ingå i en enhet under samma nämnd."})
    seen = {unit.pk} if unit.pk else set()
    while parent is not None:
        if parent.pk in seen:
            raise ValidationError({"parent": "En enhet kan inte ingå i sig själv."})
        seen.add(parent.pk)
        parent = parent.parent


def _save_unit(unit: Unit) -> None:
    unit.name = " ".join(unit.name.split())
    _check_parent(unit)
    siblings = Unit.objects.filter(committee_id=unit.committee_id, parent_id=unit.parent_id)
    if any(
        _same(n, unit.name) for n in siblings.exclude(pk=unit.pk).values_list("name", flat=True)
    ):
        raise ValidationError({"name": f"Det finns redan en enhet som heter ”{unit.name}” här."})
    unit.full_clean()
    unit.save()


@transaction.atomic
def unit_create(*, committee: Committee, by: Actor, **fields: Any) -> Unit:
    unit = Unit(committee=committee, **fields)
    _save_unit(unit)
    audit_record(
        organisation=committee.organisation_id,
        actor=by,
        action="unit_create",
        obj=unit,
        summary=f"Lade till enheten {unit} under {committee}",
        changes=snapshot(unit, UNIT_FIELDS),
    )
    return unit


@transaction.atomic
def unit_update(*, unit: Unit, by: Actor, **fields: Any) -> Unit:
    before = snapshot(unit, UNIT_FIELDS)
    _assign(unit, UNIT_FIELDS, fields)
    _save_unit(unit)
    audit_changes(
        organisation=unit.committee.organisation_id,
        actor=by,
        action="unit_update",
        obj=unit,
        fields=UNIT_FIELDS,
        before=before,
        summary=f"Ändrade enheten {unit}",
    )
    return unit


@transaction.atomic
def unit_delete(*, unit: Unit, by: Actor) -> None:
    """Delete a unit with no sub-units, people or systems; otherwise deactivate it."""
    if unit.children.exists() or unit.people.exists() or unit.systems.exists():
        raise ValidationError(
            f"{unit.name} har underenheter, personer eller system och kan inte tas bort. "
            "Inaktivera enheten i stället."
        )
    audit_record(
        organisation=unit.committee.organisation_id,
        actor=by,
        action="unit_delete",
        obj=unit,
        summary=f"Tog bort enheten {unit}",
        changes=snapshot(unit, UNIT_FIELDS),
    )
    unit.delete()


# People ----------------------------------------------------------------------------------


def _save_person(person: Person) -> None:
    person.name = " ".join(person.name.split())
    person.email = person.email.strip().lower()
    if person.unit is not None and person.unit.committee.organisation_id != person.organisation_id:
        raise ValidationError({"unit": "Enheten hör till en annan organisation."})
    if person.email:
        taken = Person.objects.filter(
            organisation_id=person.organisation_id, email__iexact=person.email
        ).exclude(pk=person.pk)
        if taken.exists():
            raise ValidationError(
                {"email": f"Det finns redan en person med e-postadressen {person.email}."}
            )
    person.full_clean(exclude=["user"])
    person.save()


@transaction.atomic
def person_create(*, organisation: Organisation, by: Actor, **fields: Any) -> Person:
    person = Person(organisation=organisation, **fields)
    _save_person(person)
    audit_record(
        organisation=organisation,
        actor=by,
        action="person_create",
        obj=person,
        summary=f"Lade till {person.name} i personregistret",
        changes=snapshot(person, PERSON_FIELDS),
    )
    return person


@transaction.atomic
def person_update(*, person: Person, by: Actor, **fields: Any) -> Person:
    before = snapshot(person, PERSON_FIELDS)
    _assign(person, PERSON_FIELDS, fields)
    _save_person(person)
    audit_changes(
        organisation=person.organisation_id,
        actor=by,
        action="person_update",
        obj=person,
        fields=PERSON_FIELDS,
        before=before,
        summary=f"Ändrade {person.name} i personregistret",
    )
    return person
