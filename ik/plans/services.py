"""Changes to plans, processes and control points. Each function is one transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from ik.org.audit import audit_record, diff, snapshot
from ik.org.models import Committee
from ik.plans.models import CommonControlPoint, ControlPoint, Plan, Process

PLAN_FIELDS = ("year", "status", "decided_on", "decision_paragraph", "case_number")
POINT_FIELDS = (
    "process",
    "position",
    "question",
    "method",
    "owner_text",
    "owner_person",
    "frequency",
    "measure_unit",
    "target",
    "direction",
    "warning_limit",
    "local_note",
)


@transaction.atomic
def plan_create(*, committee: Committee, year: int, by: Any, case_number: str = "") -> Plan:
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
        control_point_add_common(plan=plan, common=common, by=by, audit=False)
    audit_record(
        organisation=committee.organisation_id,
        actor=by,
        action="plan_create",
        obj=plan,
        summary=f"Skapade {plan}",
    )
    return plan


@transaction.atomic
def plan_update(*, plan: Plan, by: Any, **fields: Any) -> Plan:
    before = snapshot(plan, PLAN_FIELDS)
    for name, value in fields.items():
        if name not in PLAN_FIELDS:
            raise TypeError(f"unknown plan field {name}")
        setattr(plan, name, value)
    plan.full_clean(validate_unique=False)
    plan.save()
    changes = diff(before, snapshot(plan, PLAN_FIELDS))
    if changes:
        audit_record(
            organisation=plan.committee.organisation_id,
            actor=by,
            action="plan_update",
            obj=plan,
            summary=f"Ändrade {plan}",
            changes=changes,
        )
    return plan


@transaction.atomic
def plan_adopt(
    *, plan: Plan, by: Any, decided_on: date, decision_paragraph: str, case_number: str
) -> Plan:
    """Record the committee's decision that adopted (fastställde) the plan."""
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


@transaction.atomic
def control_point_create(*, plan: Plan, by: Any, process_name: str, **fields: Any) -> ControlPoint:
    process = process_get_or_create(plan=plan, name=process_name)
    point = ControlPoint(plan=plan, process=process, created_by=by, **fields)
    if not point.position:
        point.position = _next_position(plan)
    point.full_clean(exclude=["created_by"])
    point.save()
    _entries_for_open_followups(point)
    audit_record(
        organisation=plan.committee.organisation_id,
        actor=by,
        action="control_point_create",
        obj=point,
        summary=f"Lade till kontrollmoment {point.position} i {plan}",
        changes=snapshot(point, POINT_FIELDS),
    )
    return point


@transaction.atomic
def control_point_update(
    *, point: ControlPoint, by: Any, process_name: str | None = None, **fields: Any
) -> ControlPoint:
    """Change a control point. The decided fields of a common point are not the committee's."""
    before = snapshot(point, POINT_FIELDS)
    if point.is_common:
        locked = {
            "question",
            "method",
            "owner_text",
            "frequency",
            "target",
            "direction",
            "measure_unit",
            "warning_limit",
        }
        fields = {k: v for k, v in fields.items() if k not in locked}
        process_name = None
    if process_name:
        point.process = process_get_or_create(plan=point.plan, name=process_name)
    for name, value in fields.items():
        setattr(point, name, value)
    point.full_clean(exclude=["created_by"])
    point.save()
    changes = diff(before, snapshot(point, POINT_FIELDS))
    if changes:
        audit_record(
            organisation=point.plan.committee.organisation_id,
            actor=by,
            action="control_point_update",
            obj=point,
            summary=f"Ändrade kontrollmoment {point.position} i {point.plan}",
            changes=changes,
        )
    return point


def control_point_add_common(
    *, plan: Plan, common: CommonControlPoint, by: Any, audit: bool = True
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
        created_by=by,
    )
    _entries_for_open_followups(point)
    if audit:
        audit_record(
            organisation=plan.committee.organisation_id,
            actor=by,
            action="control_point_add_common",
            obj=point,
            summary=f"Lade till kommungemensamt kontrollmoment i {plan}",
        )
    return point


def _entries_for_open_followups(point: ControlPoint) -> None:
    from ik.followups.models import FollowUp, FollowUpEntry

    for followup in point.plan.followups.filter(status=FollowUp.Status.OPEN):
        FollowUpEntry.objects.get_or_create(followup=followup, control_point=point)
