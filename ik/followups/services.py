"""Follow-ups, entries, deviations and actions. Each function is one transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from ik.engine.assessment import assess
from ik.engine.result import Direction
from ik.followups.models import Action, Assessment, Deviation, FollowUp, FollowUpEntry
from ik.org.actors import Actor, user_or_none
from ik.org.audit import audit_changes, audit_record, diff, snapshot
from ik.plans.models import ControlPoint, Plan

ENTRY_FIELDS = (
    "execution_status",
    "not_done_reason",
    "result_text",
    "measured_value",
    "assessment",
)
REPORT_FIELDS = ("status", "meeting_date", "decision_paragraph")
ACTION_FIELDS = (
    "description",
    "owner_text",
    "owner_person",
    "due_date",
    "status",
    "effect_check",
    "closed_on",
)


FROZEN = "Uppföljningen är rapporterad till nämnden och kan inte längre ändras."


def _org(plan: Plan) -> int:
    return plan.committee.organisation_id


def entries_for_new_point(point: ControlPoint) -> None:
    """Give a control point that joins a plan an entry in each of the plan's open follow-ups.

    Passed as `on_added` to the control point functions in `ik.plans.services`.
    """
    for followup in point.plan.followups.filter(status=FollowUp.Status.OPEN):
        FollowUpEntry.objects.get_or_create(followup=followup, control_point=point)


def deviating_point_ids(plan: Plan) -> set[int]:
    """The plan's control points that found a deviation in any of its follow-ups."""
    return set(
        Deviation.objects.filter(entry__followup__plan=plan).values_list(
            "entry__control_point_id", flat=True
        )
    )


def repeat_reasons(points: Iterable[ControlPoint]) -> dict[int, str]:
    """ "avvikelse 2018" for each point whose previous year's point found deviations.

    Read from the follow-ups each time the plan is shown, so a deviation found after next
    year's plan was made still marks the point. One query.
    """
    previous = {p.previous_id: p.pk for p in points if p.previous_id is not None}
    if not previous:
        return {}
    found = (
        Deviation.objects.filter(entry__control_point_id__in=previous)
        .values_list("entry__control_point_id", "entry__followup__plan__year")
        .distinct()
    )
    return {previous[pk]: f"avvikelse {year}" for pk, year in found}


def _refuse_if_reported(followup: FollowUp) -> None:
    # Re-read the status inside the transaction: a form may have been opened before the
    # secretary reported the follow-up, and must not slip a change in afterwards.
    status = (
        FollowUp.objects.select_for_update().filter(pk=followup.pk).values_list("status", flat=True)
    )
    if status.first() != FollowUp.Status.OPEN:
        raise ValidationError(FROZEN)


@transaction.atomic
def followup_create(
    *, plan: Plan, cutoff: date, by: Actor, due_on: date | None = None, **fields: Any
) -> FollowUp:
    """A follow-up at a cut-off date, with an empty entry for every control point."""
    if cutoff.year != plan.year:
        raise ValidationError({"cutoff": f"Brytdatumet måste ligga inom planens år ({plan.year})."})
    if plan.followups.filter(cutoff=cutoff).exists():
        raise ValidationError({"cutoff": f"Det finns redan en uppföljning per {cutoff}."})
    followup = FollowUp.objects.create(plan=plan, cutoff=cutoff, due_on=due_on, **fields)
    FollowUpEntry.objects.bulk_create(
        [FollowUpEntry(followup=followup, control_point=p) for p in plan.control_points.all()]
    )
    audit_record(
        organisation=_org(plan),
        actor=by,
        action="followup_create",
        obj=followup,
        summary=f"Skapade {followup}",
    )
    return followup


@transaction.atomic
def followup_update(*, followup: FollowUp, by: Actor, **fields: Any) -> FollowUp:
    """Change an open follow-up. Once reported it is frozen; only `followup_reopen` opens it."""
    _refuse_if_reported(followup)
    if fields.get("status") == FollowUp.Status.REPORTED:
        _require_decision(
            fields.get("meeting_date", followup.meeting_date),
            fields.get("decision_paragraph", followup.decision_paragraph),
        )
    names = list(fields)
    before = snapshot(followup, names)
    for name, value in fields.items():
        setattr(followup, name, value)
    followup.full_clean(validate_unique=False)
    followup.save()
    audit_changes(
        organisation=_org(followup.plan),
        actor=by,
        action="followup_update",
        obj=followup,
        fields=names,
        before=before,
        summary=f"Ändrade {followup}",
    )
    return followup


def _require_decision(meeting_date: date | None, decision_paragraph: str) -> None:
    errors = {}
    if meeting_date is None:
        errors["meeting_date"] = "Ange datum för nämndens sammanträde."
    if not (decision_paragraph or "").strip():
        errors["decision_paragraph"] = "Ange paragrafen i protokollet."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def followup_report(
    *,
    followup: FollowUp,
    by: Actor,
    meeting_date: date,
    decision_paragraph: str,
    on_reported: Callable[..., object] | None = None,
) -> FollowUp:
    """Mark the follow-up as reported to the committee, which freezes it as decided.

    `on_reported(followup=, by=)` runs in the same transaction once it is frozen: the view
    passes the reports app's archiving, which this app cannot import.
    """
    _refuse_if_reported(followup)
    _require_decision(meeting_date, decision_paragraph)
    before = snapshot(followup, REPORT_FIELDS)
    followup.status = FollowUp.Status.REPORTED
    followup.meeting_date = meeting_date
    followup.decision_paragraph = decision_paragraph.strip()
    followup.save(update_fields=list(REPORT_FIELDS))
    audit_record(
        organisation=_org(followup.plan),
        actor=by,
        action="followup_report",
        obj=followup,
        summary=f"Rapporterade {followup} till nämnden",
        changes=diff(before, snapshot(followup, REPORT_FIELDS)),
    )
    if on_reported is not None:
        on_reported(followup=followup, by=by)
    return followup


@transaction.atomic
def followup_reopen(*, followup: FollowUp, by: Actor, reason: str) -> FollowUp:
    """Open a reported follow-up again; the reason goes into the trail."""
    if not reason.strip():
        raise ValidationError({"reason": "Ange varför uppföljningen öppnas igen."})
    locked = FollowUp.objects.select_for_update().get(pk=followup.pk)
    if locked.status != FollowUp.Status.REPORTED:
        raise ValidationError("Uppföljningen är inte rapporterad.")
    followup.status = FollowUp.Status.OPEN
    followup.save(update_fields=["status"])
    audit_record(
        organisation=_org(followup.plan),
        actor=by,
        action="followup_reopen",
        obj=followup,
        summary=f"Öppnade {followup} igen",
        changes={
            "status": [FollowUp.Status.REPORTED.value, FollowUp.Status.OPEN.value],
            "reason": reason.strip(),
        },
    )
    return followup


def assessment_for(point: ControlPoint, measured_value: Decimal | None, chosen: str) -> str:
    """The computed colour for a quantitative point with a value, otherwise the chosen one."""
    if point.target is not None and measured_value is not None:
        verdict = assess(
            measured_value, point.target, Direction(point.direction), point.warning_limit
        )
        return verdict.value
    return chosen


@transaction.atomic
def entry_record(
    *,
    entry: FollowUpEntry,
    by: Actor,
    execution_status: str,
    result_text: str,
    measured_value: Decimal | None = None,
    assessment: str = "",
    not_done_reason: str = "",
) -> FollowUpEntry:
    """Record a control point's status and result at the follow-up."""
    _refuse_if_reported(entry.followup)
    if execution_status == FollowUpEntry.Execution.NOT_DONE and not not_done_reason.strip():
        raise ValidationError({"not_done_reason": "Ange varför kontrollen inte har genomförts."})
    if assessment and assessment not in Assessment.values:
        raise ValidationError({"assessment": "Okänd bedömning."})
    if entry.control_point.is_direct_action:
        _check_direct_action(execution_status, measured_value, assessment)
    before = snapshot(entry, ENTRY_FIELDS)
    entry.execution_status = execution_status
    entry.result_text = result_text
    entry.measured_value = measured_value
    entry.not_done_reason = (
        not_done_reason if execution_status == FollowUpEntry.Execution.NOT_DONE else ""
    )
    entry.assessment = assessment_for(entry.control_point, measured_value, assessment)
    entry.updated_by = user_or_none(by)
    # Every save moves the version on, also a control run's: a form opened before is stale.
    entry.version += 1
    entry.save()
    audit_changes(
        organisation=_org(entry.followup.plan),
        actor=by,
        action="entry_record",
        obj=entry,
        fields=ENTRY_FIELDS,
        before=before,
        summary=f"Rapporterade {entry}",
    )
    return entry


DIRECT_ACTION_STATUSES = frozenset(
    {
        FollowUpEntry.Execution.NOT_STARTED,
        FollowUpEntry.Execution.DONE,
        FollowUpEntry.Execution.NOT_DONE,
    }
)


def _check_direct_action(status: str, measured_value: Decimal | None, assessment: str) -> None:
    if status not in DIRECT_ACTION_STATUSES:
        raise ValidationError(
            {"execution_status": "En direktåtgärd följs upp som genomförd eller ej genomförd."}
        )
    if measured_value is not None or assessment:
        raise ValidationError(
            "En direktåtgärd får inget mätvärde eller bedömning, bara genomförd eller ej genomförd."
        )


@transaction.atomic
def deviation_register(
    *, entry: FollowUpEntry, by: Actor, description: str, severity: str
) -> Deviation:
    _refuse_if_reported(entry.followup)
    deviation = Deviation(
        entry=entry,
        description=description,
        severity=severity,
        created_by=user_or_none(by),
    )
    deviation.full_clean(exclude=["created_by"])
    deviation.save()
    audit_record(
        organisation=_org(entry.followup.plan),
        actor=by,
        action="deviation_register",
        obj=deviation,
        summary=f"Registrerade avvikelse på {entry}",
        changes={"description": description, "severity": severity},
    )
    return deviation


@transaction.atomic
def deviation_update(
    *, deviation: Deviation, by: Actor, description: str, severity: str
) -> Deviation:
    """New wording and severity for a deviation, e.g. when an automated control is rerun."""
    _refuse_if_reported(deviation.entry.followup)
    before = {"description": deviation.description, "severity": deviation.severity}
    deviation.description, deviation.severity = description, severity
    deviation.full_clean(exclude=["created_by"])
    deviation.save(update_fields=["description", "severity"])
    audit_record(
        organisation=_org(deviation.entry.followup.plan),
        actor=by,
        action="deviation_update",
        obj=deviation,
        summary=f"Uppdaterade avvikelse på {deviation.entry}",
        changes={"before": before, "description": description, "severity": severity},
    )
    return deviation


@transaction.atomic
def action_create(
    *,
    deviation: Deviation,
    by: Actor,
    description: str,
    owner_text: str,
    due_date: date,
    owner_person: Any = None,
) -> Action:
    action = Action(
        deviation=deviation,
        description=description,
        owner_text=owner_text,
        due_date=due_date,
        owner_person=owner_person,
    )
    action.full_clean(exclude=["closed_by"])
    action.save()
    audit_record(
        organisation=_org(deviation.entry.followup.plan),
        actor=by,
        action="action_create",
        obj=action,
        summary=f"Beslutad åtgärd: {action}",
        changes=snapshot(action, ACTION_FIELDS),
    )
    return action


@transaction.atomic
def action_update(*, action: Action, by: Actor, **fields: Any) -> Action:
    if action.is_closed:
        raise ValidationError("En avslutad åtgärd kan inte ändras.")
    if fields.get("status") == Action.Status.CLOSED:
        raise ValidationError("Använd ”Avsluta åtgärd” för att avsluta med effektkontroll.")
    before = snapshot(action, ACTION_FIELDS)
    for name, value in fields.items():
        setattr(action, name, value)
    action.full_clean(exclude=["closed_by"])
    action.save()
    audit_changes(
        organisation=_org(action.deviation.entry.followup.plan),
        actor=by,
        action="action_update",
        obj=action,
        fields=ACTION_FIELDS,
        before=before,
        summary=f"Ändrade åtgärd: {action}",
    )
    return action


@transaction.atomic
def action_close(*, action: Action, by: Actor, effect_check: str, closed_on: date) -> Action:
    """Close an action. Only possible with a description of how its effect was checked."""
    if action.is_closed:
        raise ValidationError("Åtgärden är redan avslutad.")
    if not effect_check.strip():
        raise ValidationError(
            {"effect_check": "Beskriv hur åtgärdens effekt har kontrollerats innan den avslutas."}
        )
    before = snapshot(action, ACTION_FIELDS)
    action.status = Action.Status.CLOSED
    action.effect_check = effect_check.strip()
    action.closed_on = closed_on
    action.closed_by = user_or_none(by)
    action.save()
    audit_record(
        organisation=_org(action.deviation.entry.followup.plan),
        actor=by,
        action="action_close",
        obj=action,
        summary=f"Avslutade åtgärd: {action}",
        changes=diff(before, snapshot(action, ACTION_FIELDS)),
    )
    return action


# Warnings and deleting what was made by mistake --------------------------------------------

FINISHED = (FollowUpEntry.Execution.DONE, FollowUpEntry.Execution.NOT_DONE)


def unfinished_entries(followup: FollowUp) -> list[FollowUpEntry]:
    """Entries whose control is neither done nor reported as not done, in plan order."""
    return list(
        followup.entries.exclude(execution_status__in=FINISHED)
        .select_related("control_point__process", "control_point__common")
        .order_by("control_point__position", "id")
    )


def has_reported_entries(followup: FollowUp) -> bool:
    """Whether anyone has reported anything on the follow-up: status, result or deviation.

    One query, whatever the follow-up holds.
    """
    reported = (
        ~Q(execution_status=FollowUpEntry.Execution.NOT_STARTED)
        | ~Q(result_text="")
        | ~Q(assessment="")
        | Q(measured_value__isnull=False)
        | Q(deviations__isnull=False)
    )
    return followup.entries.filter(reported).exists()


def followup_delete_refusal(followup: FollowUp) -> None:
    """Why the follow-up cannot be deleted, as a ValidationError; else None."""
    if not followup.is_open:
        raise ValidationError(FROZEN)
    if has_reported_entries(followup):
        raise ValidationError(
            "Något är redan rapporterat i uppföljningen, så den kan inte tas bort."
        )


@transaction.atomic
def followup_delete(*, followup: FollowUp, by: Actor) -> None:
    """Delete an open follow-up nobody has reported anything on; the trail keeps a record."""
    _refuse_if_reported(followup)
    followup_delete_refusal(followup)
    audit_record(
        organisation=_org(followup.plan),
        actor=by,
        action="followup_delete",
        obj=followup,
        summary=f"Tog bort {followup}",
        changes={"cutoff": followup.cutoff, "due_on": followup.due_on},
    )
    followup.delete()
