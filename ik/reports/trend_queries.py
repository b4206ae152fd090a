"""Load the trends of a committee's control points across its plans' years.

A control point continues into later years in two ways:
- a committee's own point is copied into next year's plan with `previous` pointing back
  (`ik.plans.services.plan_create_next_year`), so its years form a chain of `previous` links;
- a common point is decided anew each year (`CommonControlPoint` has no link to last year's
  definition), so its years are the committee's points whose definitions share the process
  and the question, compared case-insensitively, as next year's copy of the common points
  recognises an existing one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from ik.engine.result import Direction, Verdict
from ik.followups.models import FollowUp, FollowUpEntry
from ik.org.models import Committee
from ik.plans.models import ControlPoint
from ik.reports.trends import Trend, TrendPoint


class _Point(NamedTuple):
    pk: int
    previous_id: int | None
    common_process: str | None
    common_question: str | None


def common_key(process: str, question: str) -> tuple[str, str]:
    """What makes two years' common definitions the same point."""
    return process.strip().casefold(), question.strip().casefold()


def _series_keys(points: Iterable[_Point]) -> dict[int, object]:
    """Each point's series: the root of its `previous` chain, or its common definition."""
    by_pk = {p.pk: p for p in points}
    keys: dict[int, object] = {}
    for point in by_pk.values():
        if point.common_process is not None:
            keys[point.pk] = common_key(point.common_process, point.common_question or "")
            continue
        root, seen = point, {point.pk}
        while root.previous_id in by_pk and root.previous_id not in seen:
            root = by_pk[root.previous_id]
            seen.add(root.pk)
        keys[point.pk] = root.pk
    return keys


def committee_trends(
    committee: Committee, points: Iterable[ControlPoint], *, until: dt.date | None = None
) -> dict[int, Trend]:
    """The trend of each of `points` (all in `committee`'s plans), keyed by point pk.

    Every follow-up of every year in the point's series is included, up to `until` when
    given (a report as at a cut-off shows nothing later). Two queries whatever the number of
    points and years.
    """
    wanted = list(points)
    if not wanted:
        return {}
    rows = ControlPoint.objects.filter(plan__committee=committee).values_list(
        "pk", "previous_id", "common__process", "common__question"
    )
    keys = _series_keys(_Point(*row) for row in rows)
    wanted_keys = {keys[p.pk] for p in wanted if p.pk in keys}
    members = [pk for pk, key in keys.items() if key in wanted_keys]
    entries = FollowUpEntry.objects.filter(control_point__in=members).order_by(
        "followup__cutoff", "id"
    )
    if until is not None:
        entries = entries.filter(followup__cutoff__lte=until)
    series: dict[object, list[TrendPoint]] = defaultdict(list)
    for pk, cutoff, value, assessment, target, direction in entries.values_list(
        "control_point_id",
        "followup__cutoff",
        "measured_value",
        "assessment",
        "control_point__target",
        "control_point__direction",
    ):
        series[keys[pk]].append(_trend_point(cutoff, value, assessment, target, direction))
    return {
        point.pk: Trend(
            process=point.process.name,
            question=point.question,
            measure_unit=point.measure_unit,
            points=tuple(series.get(keys.get(point.pk), ())),
        )
        for point in wanted
    }


def _trend_point(
    cutoff: dt.date,
    value: Decimal | None,
    assessment: str,
    target: Decimal | None,
    direction: str,
) -> TrendPoint:
    return TrendPoint(
        cutoff=cutoff,
        value=value,
        verdict=Verdict(assessment) if assessment else None,
        target=target,
        direction=Direction(direction),
    )


def followup_trends(followup: FollowUp) -> tuple[Trend, ...]:
    """The plan's measured points' trends as at the follow-up's cut-off, in plan order."""
    points = [
        p
        for p in followup.plan.control_points.select_related("process").order_by("position", "id")
        if p.is_quantitative
    ]
    trends = committee_trends(followup.plan.committee, points, until=followup.cutoff)
    return tuple(trends[p.pk] for p in points)


def point_trend(point: ControlPoint, *, until: dt.date | None = None) -> Trend:
    """The trend of one control point across the years of its committee's plans."""
    return committee_trends(point.plan.committee, [point], until=until)[point.pk]
