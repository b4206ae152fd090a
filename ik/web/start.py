"""What the start page shows each role, read in a fixed number of queries.

Readers (politicians, auditors) get their committees at a glance: the latest follow-up with
its colours, red assessments, open deviations, overdue actions and the follow-ups reported
to the committees since their last visit. Controllers get, per named organisation, what is
late. Writers and control owners keep their own lists in the view.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Exists, OuterRef, Q

from ik.access.core import Access, committees_for_user
from ik.followups.models import Action, Deviation, FollowUp, FollowUpEntry
from ik.lib.breadcrumbs import committee_trail
from ik.org.models import AuditEvent, Committee, Organisation
from ik.oversight.lateness import missed_deadlines
from ik.plans.cycle import Lateness
from ik.plans.models import CycleDeadline

# How many rows each list shows before pointing to the full page.
LIMIT = 20


@dataclass
class Glance:
    """One committee's latest follow-up and how its assessments came out."""

    committee: Committee
    followup: FollowUp | None
    colours: Counter[str] = field(default_factory=Counter)


@dataclass
class ReaderStart:
    glances: list[Glance]
    red_entries: list[FollowUpEntry]
    open_deviations: list[Deviation]
    overdue_actions: list[Action]
    reported: list[FollowUp]
    since: datetime | None

    @property
    def organisations(self) -> list[tuple[Organisation, list[Glance]]]:
        """The glances grouped under their organisation's name, as the page shows them."""
        grouped: dict[int, tuple[Organisation, list[Glance]]] = {}
        for glance in self.glances:
            org = glance.committee.organisation
            grouped.setdefault(org.pk, (org, []))[1].append(glance)
        return list(grouped.values())


def _latest_followups(committee_ids: list[int]) -> dict[int, FollowUp]:
    latest: dict[int, FollowUp] = {}
    for followup in (
        FollowUp.objects.filter(plan__committee_id__in=committee_ids)
        .select_related("plan__committee__organisation")
        .order_by("plan__committee_id", "-cutoff")
    ):
        latest.setdefault(followup.plan.committee_id, followup)
    return latest


def reader_start(access: Access, *, today: date, since: datetime | None) -> ReaderStart:
    """The committees a reader may see, with what needs their attention."""
    committees = list(
        committees_for_user(access).select_related("organisation").order_by("organisation__name")
    )
    latest = _latest_followups([c.pk for c in committees])
    entries = list(
        FollowUpEntry.objects.filter(followup__in=[f.pk for f in latest.values()])
        .select_related("followup__plan__committee", "control_point__process")
        .order_by("followup__plan__committee__name", "control_point__position")
    )
    colours: dict[int, Counter[str]] = {}
    for entry in entries:
        colours.setdefault(entry.followup_id, Counter())[entry.assessment or "none"] += 1
    glances = [
        Glance(
            c,
            latest.get(c.pk),
            colours.get(latest[c.pk].pk, Counter()) if c.pk in latest else Counter(),
        )
        for c in committees
    ]
    readable = access.committee_filter("entry__followup__plan__committee__")
    open_actions = Action.objects.filter(deviation=OuterRef("pk")).exclude(
        status=Action.Status.CLOSED
    )
    no_actions = ~Exists(Action.objects.filter(deviation=OuterRef("pk")))
    deviations = (
        Deviation.objects.filter(readable)
        .filter(Q(Exists(open_actions)) | no_actions)
        .select_related("entry__followup__plan__committee", "entry__control_point")
        .order_by("-created_at")[:LIMIT]
    )
    overdue = (
        Action.objects.filter(
            access.committee_filter("deviation__entry__followup__plan__committee__")
        )
        .filter(due_date__lt=today)
        .exclude(status=Action.Status.CLOSED)
        .select_related("deviation__entry__followup__plan__committee")
        .order_by("due_date")[:LIMIT]
    )
    return ReaderStart(
        glances=glances,
        red_entries=[e for e in entries if e.assessment == "red"],
        open_deviations=list(deviations),
        overdue_actions=list(overdue),
        reported=_reported_since(access, committees, since),
        since=since,
    )


def _reported_since(
    access: Access, committees: list[Committee], since: datetime | None
) -> list[FollowUp]:
    """Follow-ups reported to a committee after `since`, newest first, from the audit trail."""
    if since is None:
        return []
    ids = list(
        AuditEvent.objects.filter(
            organisation_id__in={c.organisation_id for c in committees},
            action="followup_report",
            at__gt=since,
        ).values_list("object_id", flat=True)
    )
    return list(
        FollowUp.objects.filter(public_id__in=ids, plan__committee__in=committees)
        .select_related("plan__committee")
        .order_by("-meeting_date", "plan__committee__name")[:LIMIT]
    )


@dataclass
class OrganisationLate:
    """What is late in one organisation's latest year with passed deadlines, each item with
    a link to the committee's page."""

    organisation: Organisation
    year: int | None
    late: list[tuple[Lateness, str]]


def controller_start(access: Access, *, today: date) -> list[OrganisationLate]:
    """Per organisation the controller answers for, named: the missed deadlines."""
    found = []
    for organisation in Organisation.objects.filter(pk__in=access.controller_orgs).order_by("name"):
        deadlines = CycleDeadline.objects.filter(organisation=organisation, due_on__lte=today)
        year = deadlines.order_by("-year").values_list("year", flat=True).first()
        late: list[tuple[Lateness, str]] = []
        if year is not None:
            committees = list(organisation.committees.order_by("name"))
            urls = {c.name: committee_trail(c)[-1].url or "" for c in committees}
            missed = missed_deadlines(
                organisation.pk, [(c.pk, c.name) for c in committees], year, today
            )
            late = [(item, urls[item.committee]) for item in missed]
        found.append(OrganisationLate(organisation, year, late))
    return found
