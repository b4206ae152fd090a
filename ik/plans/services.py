"""Changes to plans, processes and control points. Each function is one transaction."""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from ik.org.actors import Actor, user_or_none
from ik.org.audit import audit_changes, audit_record, diff, snapshot
from ik.org.models import Committee, Organisation
from ik.plans.models import (
    MAX_YEAR,
    MIN_YEAR,
    CommonControlPoint,
    ControlPoint,
    CycleDeadline,
    Plan,
    Process,
)

PLAN_FIELDS = ("year", "status", "decided_on", "decision_paragraph", "case_number")
POINT_FIELDS = (
    "process",
    "position",
    "code",
    "kind",
    "question",
    "purpose",
    "scope",
    "method",
    "owner_text",
    "unit_text",
    "unit",
    "owner_person",
    "frequency",
    "measure_unit",
    "target",
    "direction",
    "warning_limit",
    "local_note",
)
# What a committee may still change on a point once its plan has left the draft stage, and
# on a common point at any time: who does the control, and its own notes.
LOCAL_FIELDS = frozenset({"owner_person", "local_note"})
COMMON_FIELDS = (
    "process",
    "question",
    "method",
    "owner_text",
    "frequency",
    "measure_unit",
    "target",
    "direction",
    "warning_limit",
)
# The wording a common definition hands down to the control points made from it.
COMMON_WORDING = COMMON_FIELDS[1:]
DEADLINE_FIELDS = ("year", "kind", "cutoff", "due_on")

# Apps above this one keep rows per control point (a follow-up has an entry for each point
# of its plan). Adding a point to a plan calls back into them, so the caller passes the
# callback (`ik.followups.services.entries_for_new_point`): plans imports none of them.
PointAdded = Callable[[ControlPoint], object]


def _no_rows_yet(point: ControlPoint) -> None:
    """A plan created a moment ago has no follow-ups: nothing to add a point to."""


@transaction.atomic
def plan_create(*, committee: Committee, year: int, by: Actor, case_number: str = "") -> Plan:
    """A new draft plan, with the year's common control points already in it."""
    if Plan.objects.filter(committee=committee, year=year).exists():
        raise ValidationError(
            {"year": f"{committee.name} har redan en internkontrollplan för {year}."}
        )
    try:
        with transaction.atomic():
            plan = Plan.objects.create(committee=committee, year=year, case_number=case_number)
    except IntegrityError:
        raise ValidationError(
            {"year": f"{committee.name} har redan en internkontrollplan för {year}."}
        ) from None
    commons = CommonControlPoint.objects.filter(
        organisation_id=committee.organisation_id, year=year
    ).order_by("id")
    for common in commons:
        control_point_add_common(
            plan=plan, common=common, by=by, on_added=_no_rows_yet, audit=False
        )
    audit_record(
        organisation=committee.organisation_id,
        actor=by,
        action="plan_create",
        obj=plan,
        summary=f"Skapade {plan}",
    )
    return plan


@transaction.atomic
def plan_update(*, plan: Plan, by: Actor, **fields: Any) -> Plan:
    before = snapshot(plan, PLAN_FIELDS)
    for name, value in fields.items():
        if name not in PLAN_FIELDS:
            raise TypeError(f"unknown plan field {name}")
        setattr(plan, name, value)
    plan.full_clean(validate_unique=False)
    plan.save()
    audit_changes(
        organisation=plan.committee.organisation_id,
        actor=by,
        action="plan_update",
        obj=plan,
        fields=PLAN_FIELDS,
        before=before,
        summary=f"Ändrade {plan}",
    )
    return plan


@transaction.atomic
def plan_adopt(
    *, plan: Plan, by: Actor, decided_on: date, decision_paragraph: str, case_number: str
) -> Plan:
    """Record the committee's decision that adopted (fastställde) the plan."""
    if plan.is_adopted:
        raise ValidationError("Planen är redan fastställd.")
    if not plan.control_points.exists():
        raise ValidationError("En plan utan kontrollmoment kan inte fastställas.")
    if decided_on.year > plan.year:
        raise ValidationError(
            {"decided_on": "Planen måste fastställas senast under det år den gäller."}
        )
    return plan_update(
        plan=plan,
        by=by,
        status=Plan.Status.ADOPTED,
        decided_on=decided_on,
        decision_paragraph=decision_paragraph,
        case_number=case_number,
    )


def process_get_or_create(*, plan: Plan, name: str) -> Process:
    name = name.strip()
    process = Process.objects.filter(plan=plan, name__iexact=name).first()
    if process is None:
        position = (plan.processes.aggregate(m=Max("position"))["m"] or 0) + 1
        process = Process.objects.create(plan=plan, name=name, position=position)
    return process


def _next_position(plan: Plan) -> int:
    return (plan.control_points.aggregate(m=Max("position"))["m"] or 0) + 1


def _locked_message(plan: Plan) -> str:
    if plan.is_submitted:
        return (
            "Planen är inskickad för beslut. Återförvisa den till utkast för att ändra "
            "kontrollmomenten; ansvarig person och nämndens anteckning går att ändra ändå."
        )
    return "Planen är fastställd. Bara ansvarig person och nämndens anteckning kan ändras."


@transaction.atomic
def control_point_create(
    *, plan: Plan, by: Actor, process_name: str, on_added: PointAdded, **fields: Any
) -> ControlPoint:
    """Add the committee's own control point; only a draft plan takes new points."""
    if not plan.is_draft:
        raise ValidationError(_locked_message(plan))
    process = process_get_or_create(plan=plan, name=process_name)
    point = ControlPoint(plan=plan, process=process, created_by=user_or_none(by), **fields)
    if not point.position:
        point.position = _next_position(plan)
    point.full_clean(exclude=["created_by"])
    point.save()
    on_added(point)
    audit_record(
        organisation=plan.committee.organisation_id,
        actor=by,
        action="control_point_create",
        obj=point,
        summary=f"Lade till kontrollmoment {point.number} i {plan}",
        changes=snapshot(point, POINT_FIELDS),
    )
    return point


@transaction.atomic
def control_point_update(
    *, point: ControlPoint, by: Actor, process_name: str | None = None, **fields: Any
) -> ControlPoint:
    """Change a control point.

    The decided fields of a common point are not the committee's and are left alone. Once
    the plan is submitted or adopted, only the owner person and the local note may change:
    what the committee decided on stays as decided.
    """
    before = snapshot(point, POINT_FIELDS)
    if point.is_common:
        fields = {k: v for k, v in fields.items() if k in LOCAL_FIELDS}
        process_name = None
    elif not point.plan.is_draft:
        new_process = (process_name or "").strip().lower()
        moved = bool(new_process) and new_process != point.process.name.lower()
        changed = [k for k, v in fields.items() if k not in LOCAL_FIELDS and getattr(point, k) != v]
        if moved or changed:
            raise ValidationError(_locked_message(point.plan))
        process_name = None
    if process_name:
        point.process = process_get_or_create(plan=point.plan, name=process_name)
    for name, value in fields.items():
        setattr(point, name, value)
    point.full_clean(exclude=["created_by"])
    point.save()
    audit_changes(
        organisation=point.plan.committee.organisation_id,
        actor=by,
        action="control_point_update",
        obj=point,
        fields=POINT_FIELDS,
        before=before,
        summary=f"Ändrade kontrollmoment {point.number} i {point.plan}",
    )
    return point


@transaction.atomic
def control_point_move(*, point: ControlPoint, by: Actor, up: bool) -> ControlPoint:
    """Move a point one place up or down in its draft plan, common points included.

    The plan's points are numbered 1, 2, 3 … in their present order first, so positions that
    were equal or had gaps end up as the list shows them.
    """
    plan = Plan.objects.select_for_update().get(pk=point.plan_id)
    if not plan.is_draft:
        raise ValidationError(_locked_message(plan))
    points = list(plan.control_points.order_by("position", "id"))
    index = next(i for i, p in enumerate(points) if p.pk == point.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(points):
        return point
    points[index], points[other] = points[other], points[index]
    for number, each in enumerate(points, start=1):
        if each.position != number:
            ControlPoint.objects.filter(pk=each.pk).update(position=number)
    point.position = other + 1
    audit_record(
        organisation=plan.committee.organisation_id,
        actor=by,
        action="control_point_move",
        obj=point,
        summary=f"Flyttade kontrollmoment {point.number} {'upp' if up else 'ned'} i {plan}",
        changes={"position": [index + 1, other + 1]},
    )
    return point


def control_point_add_common(
    *, plan: Plan, common: CommonControlPoint, by: Actor, on_added: PointAdded, audit: bool = True
) -> ControlPoint:
    process = process_get_or_create(plan=plan, name=common.process)
    point = ControlPoint.objects.create(
        plan=plan,
        process=process,
        common=common,
        position=_next_position(plan),
        question=common.question,
        method=common.method,
        owner_text=common.owner_text,
        frequency=common.frequency,
        measure_unit=common.measure_unit,
        target=common.target,
        direction=common.direction,
        warning_limit=common.warning_limit,
        created_by=user_or_none(by),
    )
    on_added(point)
    if audit:
        audit_record(
            organisation=plan.committee.organisation_id,
            actor=by,
            action="control_point_add_common",
            obj=point,
            summary=f"Lade till kommungemensamt kontrollmoment i {plan}",
        )
    return point


def _status_change(
    *, plan: Plan, by: Actor, status: str, action: str, summary: str, **extra: Any
) -> Plan:
    before = plan.status
    plan.status = status
    plan.save(update_fields=["status", "updated_at"])
    audit_record(
        organisation=plan.committee.organisation_id,
        actor=by,
        action=action,
        obj=plan,
        summary=summary,
        changes={"status": [before, status], **extra},
    )
    return plan


@transaction.atomic
def plan_submit(*, plan: Plan, by: Actor) -> Plan:
    """The administration hands the draft to the committee for decision."""
    if not plan.is_draft:
        raise ValidationError("Bara ett utkast kan skickas in för beslut.")
    if not plan.control_points.exists():
        raise ValidationError("En plan utan kontrollmoment kan inte skickas in.")
    return _status_change(
        plan=plan,
        by=by,
        status=Plan.Status.SUBMITTED,
        action="plan_submit",
        summary=f"Skickade in {plan} för beslut",
    )


@transaction.atomic
def plan_return(*, plan: Plan, by: Actor, reason: str) -> Plan:
    """The committee sends a submitted plan back to draft; the reason goes in the trail."""
    if not plan.is_submitted:
        raise ValidationError("Bara en inskickad plan kan återförvisas.")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Ange varför planen återförvisas."})
    return _status_change(
        plan=plan,
        by=by,
        status=Plan.Status.DRAFT,
        action="plan_return",
        summary=f"Återförvisade {plan}: {reason}",
        reason=reason,
    )


# Common control points ----------------------------------------------------------------


@transaction.atomic
def common_create(
    *, organisation: Organisation, by: Actor, on_added: PointAdded, **fields: Any
) -> CommonControlPoint:
    """Decide a common point and put it into every committee's plan for its year.

    Adopted plans get it too: the executive board's decision binds every committee.
    """
    common = CommonControlPoint(organisation=organisation, **fields)
    common.full_clean()
    common.save()
    audit_record(
        organisation=organisation,
        actor=by,
        action="common_create",
        obj=common,
        summary=f"Lade till kommungemensamt kontrollmoment {common}",
        changes=snapshot(common, ("year", *COMMON_FIELDS)),
    )
    plans = Plan.objects.filter(committee__organisation=organisation, year=common.year)
    for plan in plans.select_related("committee").order_by("committee__name"):
        control_point_add_common(plan=plan, common=common, by=by, on_added=on_added)
    return common


@transaction.atomic
def common_update(*, common: CommonControlPoint, by: Actor, **fields: Any) -> CommonControlPoint:
    """Change a common definition and its wording in every plan not yet adopted.

    An adopted plan keeps the wording the committee adopted.
    """
    before = snapshot(common, COMMON_FIELDS)
    for name, value in fields.items():
        if name not in COMMON_FIELDS:
            raise TypeError(f"unknown common control point field {name}")
        setattr(common, name, value)
    common.full_clean()
    common.save()
    changes = diff(before, snapshot(common, COMMON_FIELDS))
    if not changes:
        return common
    audit_record(
        organisation=common.organisation_id,
        actor=by,
        action="common_update",
        obj=common,
        summary=f"Ändrade kommungemensamt kontrollmoment {common}",
        changes=changes,
    )
    points = common.control_points.exclude(plan__status=Plan.Status.ADOPTED)
    for point in points.select_related("plan__committee", "process"):
        _apply_common_wording(point=point, common=common, by=by)
    return common


@transaction.atomic
def common_copy_to_next_year(
    *, organisation: Organisation, year: int, by: Actor, on_added: PointAdded
) -> list[CommonControlPoint]:
    """Decide this year's common points again for next year, in one step.

    Points already decided for next year (same process and question) are left alone, so
    copying twice adds nothing. Each copy goes into every committee's plan for next year,
    as any new common point does.
    """
    if year + 1 > MAX_YEAR:
        raise ValidationError(f"Året måste ligga mellan {MIN_YEAR} och {MAX_YEAR}.")
    existing = {
        (c.process.casefold(), c.question.casefold())
        for c in CommonControlPoint.objects.filter(organisation=organisation, year=year + 1)
    }
    copies = []
    for common in organisation.common_control_points.filter(year=year).order_by("process", "id"):
        if (common.process.casefold(), common.question.casefold()) in existing:
            continue
        fields = {name: getattr(common, name) for name in COMMON_FIELDS}
        copies.append(
            common_create(
                organisation=organisation, by=by, on_added=on_added, year=year + 1, **fields
            )
        )
    return copies


def _apply_common_wording(*, point: ControlPoint, common: CommonControlPoint, by: Actor) -> None:
    before = snapshot(point, POINT_FIELDS)
    for name in COMMON_WORDING:
        setattr(point, name, getattr(common, name))
    if point.process.name != common.process:
        point.process = process_get_or_create(plan=point.plan, name=common.process)
    point.save()
    audit_changes(
        organisation=common.organisation_id,
        actor=by,
        action="control_point_update",
        obj=point,
        fields=POINT_FIELDS,
        before=before,
        summary=f"Uppdaterade kommungemensamt kontrollmoment {point.number} i {point.plan}",
    )


# Next year ----------------------------------------------------------------------------


@transaction.atomic
def plan_create_next_year(
    *,
    plan: Plan,
    by: Actor,
    repeated_point_ids: Collection[int],
    carry_over: Callable[..., object],
) -> Plan:
    """Next year's draft from this year's plan.

    The committee's own control points are copied; those in `repeated_point_ids` (the
    points that found deviations in any follow-up this year:
    `ik.followups.services.deviating_point_ids`) are marked as repeated. Next year's common
    points come from next year's definitions, as for any new plan. Open actions stay where
    they are and show on the new plan as carried over. `carry_over(source=, target=, by=)`
    copies what apps above this one keep per plan (`ik.risks.services.risks_copy`), in the
    same transaction.
    """
    committee = plan.committee
    year = plan.year + 1
    next_year_refusal(plan)
    new = plan_create(committee=committee, year=year, by=by)
    copied = repeated = 0
    own = plan.control_points.filter(common__isnull=True).select_related("process")
    for old in own.order_by("position", "id"):
        because = f"avvikelse {plan.year}" if old.pk in repeated_point_ids else ""
        ControlPoint.objects.create(
            plan=new,
            process=process_get_or_create(plan=new, name=old.process.name),
            position=_next_position(new),
            **{
                name: getattr(old, name)
                for name in POINT_FIELDS
                if name not in {"process", "position"}
            },
            previous=old,
            repeated_because=because,
            created_by=user_or_none(by),
        )
        copied += 1
        repeated += bool(because)
    carry_over(source=plan, target=new, by=by)
    audit_record(
        organisation=committee.organisation_id,
        actor=by,
        action="plan_create_next_year",
        obj=new,
        summary=f"Skapade {new} från planen för {plan.year}: {copied} egna kontrollmoment, "
        f"varav {repeated} upprepas",
    )
    return new


def next_year_refusal(plan: Plan) -> None:
    """Why next year's plan cannot be made from this one, as a ValidationError; else None."""
    year = plan.year + 1
    if not plan.is_adopted:
        raise ValidationError(
            f"Nästa års plan skapas från en fastställd plan. Planen för {plan.year} är "
            f"{plan.get_status_display().lower()}."
        )
    if Plan.objects.filter(committee_id=plan.committee_id, year=year).exists():
        raise ValidationError(f"{plan.committee.name} har redan en internkontrollplan för {year}.")


# Deleting what was made by mistake ----------------------------------------------------


def plan_delete_refusal(plan: Plan) -> None:
    """Why the plan cannot be deleted, as a ValidationError; else None."""
    if not plan.is_draft:
        raise ValidationError("Bara ett utkast kan tas bort. Planen är inskickad eller fastställd.")
    if plan.followups.exists():
        raise ValidationError("Planen har uppföljningar. Ta bort dem först.")


@transaction.atomic
def plan_delete(*, plan: Plan, by: Actor) -> None:
    """Delete a draft plan without follow-ups; a submitted or adopted plan stays."""
    plan_delete_refusal(plan)
    audit_record(
        organisation=plan.committee.organisation_id,
        actor=by,
        action="plan_delete",
        obj=plan,
        summary=f"Tog bort utkastet {plan}",
        changes={
            **snapshot(plan, PLAN_FIELDS),
            "control_points": [p.question for p in plan.control_points.order_by("position")],
        },
    )
    # Points before processes: a process is protected while a point is in it.
    plan.control_points.all().delete()
    plan.delete()


@transaction.atomic
def control_point_delete(*, point: ControlPoint, by: Actor) -> None:
    """Delete the committee's own control point from a draft plan, with no reported result."""
    control_point_delete_refusal(point)
    audit_record(
        organisation=point.plan.committee.organisation_id,
        actor=by,
        action="control_point_delete",
        obj=point,
        summary=f"Tog bort kontrollmoment {point.number} ur {point.plan}",
        changes=snapshot(point, POINT_FIELDS),
    )
    point.delete()


def control_point_delete_refusal(point: ControlPoint) -> None:
    """Why the control point cannot be deleted, as a ValidationError; else None."""
    if not point.plan.is_draft:
        raise ValidationError(_locked_message(point.plan))
    if point.is_common:
        raise ValidationError(
            "Kommungemensamma kontrollmoment beslutas av kommunstyrelsen och kan inte tas bort."
        )
    if (
        point.entries.exclude(execution_status="not_started").exists()
        or point.entries.filter(deviations__isnull=False).exists()
    ):
        raise ValidationError("Kontrollmomentet har rapporterade resultat och kan inte tas bort.")


# Deadlines ----------------------------------------------------------------------------


@transaction.atomic
def deadline_create(*, organisation: Organisation, by: Actor, **fields: Any) -> CycleDeadline:
    deadline = CycleDeadline(organisation=organisation, **fields)
    deadline.full_clean()
    deadline.save()
    audit_record(
        organisation=organisation,
        actor=by,
        action="deadline_create",
        obj=deadline,
        summary=f"Lade till i tidsplanen: {deadline}",
        changes=snapshot(deadline, DEADLINE_FIELDS),
    )
    return deadline


@transaction.atomic
def deadline_update(*, deadline: CycleDeadline, by: Actor, **fields: Any) -> CycleDeadline:
    before = snapshot(deadline, DEADLINE_FIELDS)
    for name, value in fields.items():
        if name not in DEADLINE_FIELDS:
            raise TypeError(f"unknown deadline field {name}")
        setattr(deadline, name, value)
    deadline.full_clean()
    deadline.save()
    audit_changes(
        organisation=deadline.organisation_id,
        actor=by,
        action="deadline_update",
        obj=deadline,
        fields=DEADLINE_FIELDS,
        before=before,
        summary=f"Ändrade i tidsplanen: {deadline}",
    )
    return deadline


@transaction.atomic
def deadline_delete(*, deadline: CycleDeadline, by: Actor) -> None:
    audit_record(
        organisation=deadline.organisation_id,
        actor=by,
        action="deadline_delete",
        obj=deadline,
        summary=f"Tog bort ur tidsplanen: {deadline}",
        changes=snapshot(deadline, DEADLINE_FIELDS),
    )
    deadline.delete()
