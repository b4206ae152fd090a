"""Load the overview of every committee's internal control, in a fixed number of queries.

Counts are computed in the database and common-point answers come from one query over all
committees, so the page costs the same for five committees as for fifty.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import Count, Q
from django.db.models.fields.json import KT
from django.utils import timezone

from ik.controls.models import ControlRun
from ik.engine.controls.registry import WEIGHT_KEYS
from ik.engine.result import Direction, Verdict
from ik.followups.models import Action, Deviation, FollowUp, FollowUpEntry
from ik.org.models import Committee, Organisation
from ik.plans.models import CommonControlPoint, Plan
from ik.reports.data import EntryRow, Execution, OrganisationInfo, Wording
from ik.reports.models import DocumentWording
from ik.reports.models import OversightCase as CaseRecord
from ik.reports.oversight import (
    CommitteeAnswer,
    CommitteeSummary,
    CommonPointComparison,
    OpenItem,
    OversightCase,
    OversightData,
    Placement,
)
from ik.reports.queries import (
    committee_info,
    control_point_row,
    organisation_info,
    person_info,
    wording,
)


def available_years(organisation: Organisation) -> list[int]:
    """Years in which some committee has a plan, newest first."""
    years = Plan.objects.filter(committee__organisation=organisation).values_list("year", flat=True)
    return sorted(set(years), reverse=True)


def available_cutoffs(organisation: Organisation, year: int) -> list[dt.date]:
    """Cut-off dates of the year's follow-ups across all committees, latest first."""
    cutoffs = FollowUp.objects.filter(
        plan__committee__organisation=organisation, plan__year=year
    ).values_list("cutoff", flat=True)
    return sorted(set(cutoffs), reverse=True)


def _weight(control: str, rows: int, counted: Mapping[str, Any]) -> int | None:
    key = WEIGHT_KEYS.get(control)
    if key is None:
        return int(rows) if rows else None
    value = counted.get(key)
    try:
        return int(float(value)) if value is not None else None
    except (TypeError, ValueError):
        return None


# Each control's population count, read from the result JSON in the database.
_WEIGHT_FIELDS = sorted(set(WEIGHT_KEYS.values()))


def latest_weights(entry_ids: list[int]) -> dict[int, int | None]:
    """The count of each entry's latest finished run; the JSON is read in the database."""
    if not entry_ids:
        return {}
    runs = (
        ControlRun.objects.filter(entry_id__in=entry_ids, status=ControlRun.Status.DONE)
        .order_by("entry_id", "-created_at", "-id")
        .values_list(
            "entry_id",
            "control",
            "rows",
            *(KT(f"result__details__{key}") for key in _WEIGHT_FIELDS),
        )
    )
    weights: dict[int, int | None] = {}
    for entry_id, control, rows, *counted in runs:
        if entry_id not in weights:
            weights[entry_id] = _weight(
                control, rows, dict(zip(_WEIGHT_FIELDS, counted, strict=True))
            )
    return weights


def _followups(organisation: Organisation, year: int, cutoff: dt.date | None) -> list[FollowUp]:
    if cutoff is None:
        return []
    return list(
        FollowUp.objects.filter(
            plan__committee__organisation=organisation, plan__year=year, cutoff=cutoff
        ).annotate(
            total=Count("entries"),
            green=Count("entries", filter=Q(entries__assessment="green")),
            yellow=Count("entries", filter=Q(entries__assessment="yellow")),
            red=Count("entries", filter=Q(entries__assessment="red")),
        )
    )


def _scope(organisation: Organisation, year: int, cutoff: dt.date) -> dict[str, Any]:
    return {
        "entry__followup__plan__committee__organisation": organisation,
        "entry__followup__plan__year": year,
        "entry__followup__cutoff__lte": cutoff,
    }


def _closed_by(cutoff: dt.date, prefix: str = "") -> Q:
    """Actions closed on or before `cutoff`; one closed later was still open then."""
    return Q(**{f"{prefix}status": Action.Status.CLOSED}) & (
        Q(**{f"{prefix}closed_on__lte": cutoff}) | Q(**{f"{prefix}closed_on__isnull": True})
    )


def _deviation_counts(
    organisation: Organisation, year: int, cutoff: dt.date | None
) -> tuple[dict[int, int], dict[int, int]]:
    """Open deviations and overdue actions per plan as at the cut-off date, from every
    follow-up up to it, so the report per a date says the same whenever it is printed.

    A deviation stays open until it has actions and all of them are closed.
    """
    if cutoff is None:
        return {}, {}
    scope = _scope(organisation, year, cutoff)
    deviations = (
        Deviation.objects.filter(**scope)
        .annotate(
            total=Count("actions"),
            unclosed=Count("actions", filter=~_closed_by(cutoff, "actions__")),
        )
        .values_list("entry__followup__plan_id", "total", "unclosed")
    )
    open_deviations: dict[int, int] = defaultdict(int)
    for plan_id, total, unclosed in deviations:
        if total == 0 or unclosed:
            open_deviations[plan_id] += 1
    overdue = (
        Action.objects.filter(**{f"deviation__{k}": v for k, v in scope.items()})
        .filter(due_date__lt=cutoff)
        .exclude(_closed_by(cutoff))
        .values_list("deviation__entry__followup__plan_id")
        .annotate(n=Count("id"))
    )
    return open_deviations, dict(overdue)


def _open_items(
    organisation: Organisation, year: int, cutoff: dt.date
) -> dict[int, tuple[OpenItem, ...]]:
    """Per plan, every deviation open at the cut-off with its actions not closed by then."""
    deviations = (
        Deviation.objects.filter(**_scope(organisation, year, cutoff))
        .select_related("entry__followup", "entry__control_point__process")
        .prefetch_related("actions")
        .order_by("entry__control_point__position", "created_at", "id")
    )
    items: dict[int, list[OpenItem]] = defaultdict(list)
    for deviation in deviations:
        actions = list(deviation.actions.all())
        unclosed = [a for a in actions if not _was_closed(a, cutoff)]
        if actions and not unclosed:
            continue
        base: dict[str, Any] = {
            "control_point": control_point_row(deviation.entry.control_point),
            "deviation": deviation.description,
            "severity": deviation.get_severity_display(),
        }
        plan_id = deviation.entry.followup.plan_id
        if not unclosed:
            items[plan_id].append(OpenItem(**base))
        for action in unclosed:
            items[plan_id].append(
                OpenItem(
                    **base,
                    action=action.description,
                    owner=action.owner_text,
                    due_date=action.due_date,
                    overdue=action.due_date < cutoff,
                )
            )
    return {k: tuple(v) for k, v in items.items()}


def _was_closed(action: Action, cutoff: dt.date) -> bool:
    if action.status != Action.Status.CLOSED:
        return False
    return action.closed_on is None or action.closed_on <= cutoff


def _summary(
    committee: Committee,
    plan: Plan | None,
    followup: FollowUp | None,
    counts: tuple[dict[int, int], dict[int, int]],
    entries: tuple[EntryRow, ...],
    open_items: dict[int, tuple[OpenItem, ...]],
) -> CommitteeSummary:
    info = committee_info(committee)
    if plan is None:
        return CommitteeSummary(committee=info, followup_status_label="Ingen")
    base: dict[str, Any] = {
        "committee": info,
        "plan_id": str(plan.public_id),
        "plan_status": plan.status,
        "plan_status_label": plan.get_status_display(),
        "open_deviations": counts[0].get(plan.pk, 0),
        "overdue_actions": counts[1].get(plan.pk, 0),
        "open_items": open_items.get(plan.pk, ()),
    }
    if followup is None:
        return CommitteeSummary(**base, followup_status_label="Ingen")
    green, yellow, red = followup.green, followup.yellow, followup.red  # type: ignore[attr-defined]
    return CommitteeSummary(
        **base,
        followup_id=str(followup.public_id),
        followup_status=followup.status,
        followup_status_label=followup.get_status_display(),
        green=green,
        yellow=yellow,
        red=red,
        unassessed=followup.total - green - yellow - red,  # type: ignore[attr-defined]
        entries=entries,
    )


class EntryValues(NamedTuple):
    pk: int
    followup_id: int
    common_id: int
    execution_status: str
    result_text: str
    measured_value: Decimal | None
    assessment: str


def _answer(
    committee: Committee,
    followup: FollowUp | None,
    entry: EntryValues | None,
    weight: int | None,
) -> CommitteeAnswer:
    info = committee_info(committee)
    if followup is None:
        return CommitteeAnswer(committee=info, placement=Placement.NO_FOLLOWUP)
    if entry is None:
        return CommitteeAnswer(committee=info, placement=Placement.NOT_IN_PLAN)
    return CommitteeAnswer(
        committee=info,
        placement=Placement.ENTRY,
        verdict=Verdict(entry.assessment) if entry.assessment else None,
        measured_value=entry.measured_value,
        result_text=entry.result_text,
        execution=Execution(entry.execution_status),
        weight=weight,
    )


def _comparisons(
    organisation: Organisation,
    year: int,
    committees: list[Committee],
    followup_of: dict[int, FollowUp],
) -> tuple[CommonPointComparison, ...]:
    commons = list(CommonControlPoint.objects.filter(organisation=organisation, year=year))
    if not commons:
        return ()
    # Plain rows rather than model instances: this is the page's largest result.
    entries = [
        EntryValues(*row)
        for row in FollowUpEntry.objects.filter(
            followup__in=[f.pk for f in followup_of.values()], control_point__common__in=commons
        ).values_list(
            "id",
            "followup_id",
            "control_point__common_id",
            "execution_status",
            "result_text",
            "measured_value",
            "assessment",
        )
    ]
    weights = latest_weights([e.pk for e in entries])
    by_key = {(e.followup_id, e.common_id): e for e in entries}
    comparisons = []
    for common in commons:
        answers = []
        for committee in committees:
            followup = followup_of.get(committee.pk)
            entry = by_key.get((followup.pk, common.pk)) if followup else None
            weight = weights.get(entry.pk) if entry is not None else None
            answers.append(_answer(committee, followup, entry, weight))
        comparisons.append(
            CommonPointComparison(
                process=common.process,
                question=common.question,
                method=common.method,
                measure_unit=common.measure_unit,
                target=common.target,
                direction=Direction(common.direction),
                warning_limit=common.warning_limit,
                answers=tuple(answers),
            )
        )
    return tuple(comparisons)


def _entry_rows(followups: list[FollowUp]) -> dict[int, tuple[EntryRow, ...]]:
    """Every entry of the chosen follow-ups, for the report's per-committee sections."""
    rows: dict[int, list[EntryRow]] = defaultdict(list)
    entries = FollowUpEntry.objects.filter(followup__in=[f.pk for f in followups]).select_related(
        "control_point__process", "control_point__owner_person", "control_point__unit"
    )
    for entry in entries.order_by("control_point__position", "id"):
        rows[entry.followup_id].append(
            EntryRow(
                control_point=control_point_row(entry.control_point),
                execution=Execution(entry.execution_status),
                not_done_reason=entry.not_done_reason,
                result_text=entry.result_text,
                measured_value=entry.measured_value,
                assessment=Verdict(entry.assessment) if entry.assessment else None,
            )
        )
    return {k: tuple(v) for k, v in rows.items()}


def load_overview(
    organisation: Organisation,
    year: int,
    cutoff: dt.date | None,
    *,
    with_entries: bool = False,
) -> OversightData:
    """Every committee's plan and follow-up at `cutoff`, and the common points compared,
    everything counted as at `cutoff`.

    `with_entries` also loads each committee's entries, its open deviations and actions,
    the logo and the organisation's wording, which only the report prints.
    """
    committees = list(Committee.objects.filter(organisation=organisation))
    plan_of = {
        p.committee_id: p
        for p in Plan.objects.filter(committee__organisation=organisation, year=year)
    }
    followups = _followups(organisation, year, cutoff)
    committee_of_plan = {p.pk: c for c, p in plan_of.items()}
    followup_of = {committee_of_plan[f.plan_id]: f for f in followups}
    counts = _deviation_counts(organisation, year, cutoff)
    entry_rows = _entry_rows(followups) if with_entries and followups else {}
    open_items = _open_items(organisation, year, cutoff) if with_entries and cutoff else {}
    summaries = []
    for committee in committees:
        followup = followup_of.get(committee.pk)
        entries = entry_rows.get(followup.pk, ()) if followup else ()
        plan = plan_of.get(committee.pk)
        summaries.append(_summary(committee, plan, followup, counts, entries, open_items))
    board = next((c for c in committees if c.is_executive_board), None)
    whole = "Hela regionen" if organisation.kind == Organisation.Kind.REGION else "Hela kommunen"
    return OversightData(
        organisation=(
            organisation_info(organisation)
            if with_entries
            else OrganisationInfo(name=organisation.name, code=organisation.code)
        ),
        year=year,
        cutoff=cutoff,
        board=committee_info(board) if board else None,
        whole=whole,
        committees=tuple(summaries),
        common_points=_comparisons(organisation, year, committees, followup_of),
        case=oversight_case(organisation, year, cutoff) if with_entries else OversightCase(),
        wording=(
            wording(organisation, DocumentWording.Kind.OVERSIGHT) if with_entries else Wording()
        ),
    )


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def oversight_case(organisation: Organisation, year: int, cutoff: dt.date | None) -> OversightCase:
    """The report's diarienummer, date, handläggare and decision; today's date until set."""
    if cutoff is None:
        return OversightCase(document_date=timezone.localdate())
    found = (
        CaseRecord.objects.filter(organisation=organisation, year=year, cutoff=cutoff)
        .select_related("case_officer")
        .first()
    )
    if found is None:
        return OversightCase(document_date=timezone.localdate())
    return OversightCase(
        case_number=found.case_number,
        document_date=found.document_date or timezone.localdate(),
        case_officer=person_info(found.case_officer),
        proposed_decisions=_lines(found.proposed_decisions),
        distribution=_lines(found.distribution),
    )
