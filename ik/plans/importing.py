"""Reading a plan from a file into a committee's draft plan, in one transaction.

The file is read by `ik.engine.plan_import`; this module saves its rows as control points.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from ik.engine.headers import normalise_header
from ik.engine.plan_import import DIRECT_ACTION, FIELD_LABELS, PlanRow
from ik.org.actors import Actor
from ik.org.audit import audit_record
from ik.org.models import Committee, Person, Unit
from ik.plans.models import ControlPoint, Plan, Process
from ik.plans.services import (
    PointAdded,
    control_point_create,
    control_point_update,
    plan_create,
)

# Model field -> the column a message names, as the plan file calls it.
_COLUMN_OF = {
    "code": FIELD_LABELS["code"],
    "kind": FIELD_LABELS["kind"],
    "question": FIELD_LABELS["question"],
    "purpose": FIELD_LABELS["purpose"],
    "scope": FIELD_LABELS["scope"],
    "method": FIELD_LABELS["method"],
    "owner_text": FIELD_LABELS["owner"],
    "unit_text": FIELD_LABELS["unit"],
    "frequency": FIELD_LABELS["frequency"],
    "measure_unit": FIELD_LABELS["measure_unit"],
    "target": FIELD_LABELS["target"],
    "direction": FIELD_LABELS["direction"],
    "warning_limit": FIELD_LABELS["warning_limit"],
    "local_note": FIELD_LABELS["local_note"],
}
PROCESS_MAX = Process._meta.get_field("name").max_length or 200


@dataclass(slots=True)
class PlanImport:
    """What an import did (or, as a dry run, would do)."""

    plan: Plan
    created_plan: bool
    created: int = 0
    common_placed: int = 0
    notes: list[str] = field(default_factory=list)


def _fields(row: PlanRow, person: Person | None, unit: Unit | None) -> dict[str, Any]:
    return {
        "code": row.code,
        "kind": ControlPoint.Kind.DIRECT_ACTION if row.kind == DIRECT_ACTION else "control",
        "question": row.question,
        "purpose": row.purpose,
        "scope": row.scope,
        "method": row.method,
        "owner_text": row.owner,
        "unit_text": row.unit,
        "unit": unit,
        "owner_person": person,
        "frequency": row.frequency,
        "measure_unit": row.measure_unit,
        "target": row.target,
        "direction": row.direction,
        "warning_limit": row.warning_limit,
        "local_note": row.local_note,
    }


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _row_errors(row: PlanRow, exc: ValidationError) -> list[str]:
    if not hasattr(exc, "error_dict"):
        return [f"Rad {row.row}: {message}" for message in exc.messages]
    out = []
    for name, errors in exc.message_dict.items():
        column = _COLUMN_OF.get(name)
        where = f"Rad {row.row}, kolumn {column}" if column else f"Rad {row.row}"
        out += [f"{where}: {message}" for message in errors]
    return out


def _draft_plan(committee: Committee, year: int, by: Actor) -> tuple[Plan, bool]:
    plan = Plan.objects.select_for_update().filter(committee=committee, year=year).first()
    if plan is None:
        return plan_create(committee=committee, year=year, by=by), True
    if not plan.is_draft:
        raise ValidationError(
            f"Planen för {year} är {plan.get_status_display().lower()} och tar inte emot "
            "inlästa kontrollmoment. Bara ett utkast kan kompletteras från en fil."
        )
    return plan, False


class _Saver:
    """Saves the rows one by one, collecting every row's errors before refusing."""

    def __init__(self, plan: Plan, by: Actor, on_added: PointAdded, result: PlanImport) -> None:
        self.plan, self.by, self.on_added, self.result = plan, by, on_added, result
        organisation = plan.committee.organisation_id
        self.people = {_key(p.name): p for p in Person.objects.filter(organisation_id=organisation)}
        # A unit the plan names that the committee has registered is linked; inactive ones
        # only when no active unit has the name.
        units = Unit.objects.filter(committee_id=plan.committee_id).order_by("is_active")
        self.units = {_key(u.name): u for u in units}
        self.commons = {
            normalise_header(p.question): p
            for p in plan.control_points.filter(common__isnull=False)
        }
        self.errors: list[str] = []
        self.order: list[int] = []

    def person(self, row: PlanRow) -> Person | None:
        if not row.owner_person:
            return None
        person = self.people.get(_key(row.owner_person))
        if person is None:
            self.result.notes.append(
                f"Rad {row.row}: ”{row.owner_person}” finns inte bland organisationens personer; "
                "ansvarig person lämnas tom."
            )
        return person

    def save(self, row: PlanRow) -> None:
        if len(row.process) > PROCESS_MAX:
            self.errors.append(
                f"Rad {row.row}, kolumn {FIELD_LABELS['process']}: processens namn är "
                f"{len(row.process)} tecken; högst {PROCESS_MAX}."
            )
            return
        fields = _fields(row, self.person(row), self.units.get(_key(row.unit)))
        common = self.commons.get(normalise_header(row.question)) if row.common else None
        try:
            if common is not None:
                local = {"owner_person": fields["owner_person"], "local_note": row.local_note}
                given = {k: v for k, v in local.items() if v}
                if given:
                    control_point_update(point=common, by=self.by, **given)
                self.order.append(common.pk)
                self.result.common_placed += 1
                return
            if row.common:
                self.result.notes.append(
                    f"Rad {row.row}: inget kommungemensamt kontrollmoment för {self.plan.year} "
                    "har den lydelsen; det läses in som nämndens eget."
                )
            point = control_point_create(
                plan=self.plan,
                by=self.by,
                process_name=row.process,
                on_added=self.on_added,
                **fields,
            )
        except ValidationError as exc:
            self.errors += _row_errors(row, exc)
            return
        self.order.append(point.pk)
        self.result.created += 1

    def renumber(self) -> None:
        """Points already in the plan keep their order first; the file's follow in its order."""
        placed = set(self.order)
        kept = [
            pk
            for pk in self.plan.control_points.order_by("position", "id").values_list(
                "pk", flat=True
            )
            if pk not in placed
        ]
        for number, pk in enumerate([*kept, *self.order], start=1):
            ControlPoint.objects.filter(pk=pk).update(position=number)


@transaction.atomic
def plan_import(
    *,
    committee: Committee,
    year: int,
    rows: Sequence[PlanRow],
    by: Actor,
    on_added: PointAdded,
    source: str,
    dry_run: bool = False,
) -> PlanImport:
    """Save the rows as control points of the committee's draft plan for `year`.

    The plan is created when it does not exist; a submitted or adopted plan is refused.
    Common points already in the plan are placed where the file has them (matched by their
    wording) rather than added twice. Every row is checked before anything is kept: one bad
    row refuses the whole file with every row's errors. A dry run checks everything the same
    way and then rolls back.
    """
    if not rows:
        raise ValidationError("Filen innehåller inga kontrollmoment.")
    plan, created_plan = _draft_plan(committee, year, by)
    result = PlanImport(plan=plan, created_plan=created_plan)
    saver = _Saver(plan, by, on_added, result)
    for row in rows:
        saver.save(row)
    if saver.errors:
        raise ValidationError(saver.errors)
    saver.renumber()
    audit_record(
        organisation=committee.organisation_id,
        actor=by,
        action="plan_import",
        obj=plan,
        summary=f"Läste in {result.created} kontrollmoment i {plan} från {source}"[:300],
        changes={"source": source, "created": result.created, "common": result.common_placed},
    )
    if dry_run:
        transaction.set_rollback(True)
    return result
