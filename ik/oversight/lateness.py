"""The committees' state in the yearly cycle and the deadlines they missed, read from the
database for ik.plans.cycle; here because it reads plans and follow-ups alike."""

from __future__ import annotations

from datetime import date

from ik.followups.models import FollowUp
from ik.plans.cycle import CommitteeState, Deadline, Lateness, late_committees
from ik.plans.models import CycleDeadline, Plan


def committee_states(committees: list[tuple[int, str]], year: int) -> dict[int, CommitteeState]:
    ids = [pk for pk, _ in committees]
    plans = {
        p.committee_id: p
        for p in Plan.objects.filter(committee_id__in=ids, year=year).only(
            "committee_id", "status", "decided_on"
        )
    }
    followups: dict[int, dict[date, bool]] = {pk: {} for pk in ids}
    for f in FollowUp.objects.filter(plan__committee_id__in=ids, plan__year=year).values(
        "plan__committee_id", "cutoff", "status"
    ):
        followups[f["plan__committee_id"]][f["cutoff"]] = f["status"] == FollowUp.Status.REPORTED
    states = {}
    for pk, name in committees:
        plan = plans.get(pk)
        adopted_on = plan.decided_on if plan is not None and plan.is_adopted else None
        states[pk] = CommitteeState(
            name=name,
            has_plan=plan is not None,
            plan_adopted_on=adopted_on,
            followups=followups[pk],
        )
    return states


def missed_deadlines(
    organisation_id: int, committees: list[tuple[int, str]], year: int, today: date
) -> list[Lateness]:
    """Every deadline of the organisation's `year` the committees have missed as of `today`."""
    deadlines = CycleDeadline.objects.filter(organisation_id=organisation_id, year=year)
    return late_committees(
        states=list(committee_states(committees, year).values()),
        deadlines=[
            Deadline(kind=d.kind, due_on=d.due_on, cutoff=d.cutoff)
            for d in deadlines.order_by("due_on", "cutoff")
        ],
        today=today,
    )
