"""Breadcrumb trails: one way for every page to say where it sits.

A view passes `breadcrumbs=plan_trail(plan, "Riskanalys")` and `templates/includes/breadcrumbs.html`
renders it. The trail always starts at the organisation and walks down through committee, plan
and follow-up, so the same object is reached the same way from every page. The last step is the
current page and has no link.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import NamedTuple, Protocol

from django.urls import reverse


class Crumb(NamedTuple):
    label: str
    url: str | None = None


# A step after the object: the current page as plain text, or a linked page in between.
Step = str | tuple[str, str]


class _Organisation(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def code(self) -> str: ...


class _Committee(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def code(self) -> str: ...
    @property
    def organisation(self) -> _Organisation: ...


class _Plan(Protocol):
    @property
    def year(self) -> int: ...
    @property
    def public_id(self) -> uuid.UUID: ...
    @property
    def committee(self) -> _Committee: ...


class _FollowUp(Protocol):
    @property
    def cutoff(self) -> date: ...
    @property
    def public_id(self) -> uuid.UUID: ...
    @property
    def plan(self) -> _Plan: ...


class _ControlPoint(Protocol):
    @property
    def number(self) -> str: ...


class _Entry(Protocol):
    @property
    def public_id(self) -> uuid.UUID: ...
    @property
    def followup(self) -> _FollowUp: ...
    @property
    def control_point(self) -> _ControlPoint: ...


def _with_steps(trail: list[Crumb], steps: tuple[Step, ...]) -> list[Crumb]:
    for step in steps:
        trail.append(Crumb(step) if isinstance(step, str) else Crumb(*step))
    return trail


def organisation_trail(organisation: _Organisation, *steps: Step) -> list[Crumb]:
    """The organisation's page, then `steps`."""
    url = reverse("web:organisation_detail", args=[organisation.code])
    return _with_steps([Crumb(organisation.name, url)], steps)


def committee_trail(committee: _Committee, *steps: Step) -> list[Crumb]:
    """Organisation › committee, then `steps`."""
    url = reverse("web:committee_detail", args=[committee.organisation.code, committee.code])
    return _with_steps(
        [*organisation_trail(committee.organisation), Crumb(committee.name, url)], steps
    )


def plan_trail(plan: _Plan, *steps: Step) -> list[Crumb]:
    """Organisation › committee › plan, then `steps`."""
    url = reverse("plans:plan_detail", kwargs={"plan_id": plan.public_id})
    return _with_steps([*committee_trail(plan.committee), Crumb(f"Plan {plan.year}", url)], steps)


def followup_trail(followup: _FollowUp, *steps: Step) -> list[Crumb]:
    """Organisation › committee › plan › follow-up, then `steps`."""
    url = reverse("followups:followup_detail", kwargs={"followup_id": followup.public_id})
    label = f"Uppföljning per {followup.cutoff.isoformat()}"
    return _with_steps([*plan_trail(followup.plan), Crumb(label, url)], steps)


def entry_trail(entry: _Entry, *steps: Step) -> list[Crumb]:
    """Follow-up trail › the entry's control point (its card on the follow-up), then `steps`."""
    trail = followup_trail(entry.followup)
    url = f"{trail[-1].url}#post-{entry.public_id}"
    label = f"Kontrollmoment {entry.control_point.number}"
    return _with_steps([*trail, Crumb(label, url)], steps)
