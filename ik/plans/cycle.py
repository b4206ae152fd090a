"""Which committees are late in the yearly cycle. Pure: the caller passes in today's date.

Kept free of database access so that "today" can be any date in a test, and so the page
that lists late committees costs the same few queries however many committees there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

PLAN = "plan"
FOLLOWUP = "followup"


@dataclass(frozen=True)
class Deadline:
    kind: str  # PLAN or FOLLOWUP
    due_on: date
    cutoff: date | None = None


@dataclass(frozen=True)
class CommitteeState:
    """What a committee has delivered for one year."""

    name: str
    plan_adopted_on: date | None = None  # None: no plan, or not adopted
    has_plan: bool = False
    # cut-off date -> whether the follow-up per that date is reported
    followups: dict[date, bool] = field(default_factory=dict)


@dataclass(frozen=True)
class Lateness:
    committee: str
    kind: str
    due_on: date
    reason: str
    cutoff: date | None = None


def _plan_lateness(state: CommitteeState, deadline: Deadline, today: date) -> str:
    if state.plan_adopted_on is not None:
        if state.plan_adopted_on > deadline.due_on:
            return f"Planen fastställdes för sent ({state.plan_adopted_on:%Y-%m-%d})."
        return ""
    if today <= deadline.due_on:
        return ""
    if not state.has_plan:
        return "Plan saknas."
    return "Planen är inte fastställd."


def _followup_lateness(state: CommitteeState, deadline: Deadline, today: date) -> str:
    if today <= deadline.due_on:
        return ""
    assert deadline.cutoff is not None
    reported = state.followups.get(deadline.cutoff)
    if reported is None:
        return "Uppföljningen saknas."
    if not reported:
        return "Uppföljningen är inte rapporterad."
    return ""


def late_committees(
    *, states: list[CommitteeState], deadlines: list[Deadline], today: date
) -> list[Lateness]:
    """Every deadline a committee has missed as of `today`, in deadline order.

    A deadline is missed the day after its due date. A plan adopted after its due date stays
    late; a follow-up counts as delivered once it is reported, whenever that happened, since
    the follow-up does not record the day it was reported.
    """
    found: list[Lateness] = []
    for deadline in sorted(deadlines, key=lambda d: (d.due_on, d.cutoff or d.due_on)):
        for state in states:
            if deadline.kind == PLAN:
                reason = _plan_lateness(state, deadline, today)
            else:
                reason = _followup_lateness(state, deadline, today)
            if reason:
                found.append(
                    Lateness(
                        committee=state.name,
                        kind=deadline.kind,
                        due_on=deadline.due_on,
                        reason=reason,
                        cutoff=deadline.cutoff,
                    )
                )
    return found
