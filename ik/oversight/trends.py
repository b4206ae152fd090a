"""The municipality's figure for each measured common control point across follow-ups.

At every cut-off up to the chosen one, the committees' answers on the point are put
together exactly as the overview puts together the chosen cut-off's (`aggregate`), so the
last point of the line is the figure in the table. Earlier years' definitions count as the
same point when process and question match (`ik.reports.trend_queries.common_key`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import NamedTuple

from ik.engine.result import Direction, Verdict
from ik.followups.models import FollowUpEntry
from ik.org.models import Organisation
from ik.oversight.queries import latest_weights
from ik.reports.data import CommitteeInfo, Execution
from ik.reports.oversight import (
    CommitteeAnswer,
    CommonPointComparison,
    OversightData,
    Placement,
    aggregate,
)
from ik.reports.trend_queries import common_key
from ik.reports.trends import Trend, TrendPoint


class _Answer(NamedTuple):
    pk: int
    cutoff: dt.date
    process: str
    question: str
    committee: str
    value: Decimal | None
    assessment: str
    execution: str
    target: Decimal | None
    direction: str
    warning_limit: Decimal | None


def _point_at(rows: list[_Answer], weights: dict[int, int | None], unit: str) -> TrendPoint:
    first = rows[0]
    comparison = CommonPointComparison(
        process=first.process,
        question=first.question,
        measure_unit=unit,
        target=first.target,
        direction=Direction(first.direction),
        warning_limit=first.warning_limit,
        answers=tuple(
            CommitteeAnswer(
                committee=CommitteeInfo(name=row.committee),
                placement=Placement.ENTRY,
                verdict=Verdict(row.assessment) if row.assessment else None,
                measured_value=row.value,
                execution=Execution(row.execution),
                weight=weights.get(row.pk),
            )
            for row in rows
        ),
    )
    total = aggregate(comparison)
    return TrendPoint(
        cutoff=first.cutoff,
        value=total.value,
        verdict=total.verdict,
        target=first.target,
        direction=Direction(first.direction),
    )


def common_trends(organisation: Organisation, data: OversightData) -> OversightData:
    """`data` with each measured common point's trend up to the chosen cut-off filled in."""
    measured = [p for p in data.common_points if p.is_quantitative]
    if data.cutoff is None or not measured:
        return data
    wanted = {common_key(p.process, p.question) for p in measured}
    rows = [
        _Answer(*row)
        for row in FollowUpEntry.objects.filter(
            followup__plan__committee__organisation=organisation,
            followup__cutoff__lte=data.cutoff,
            control_point__common__isnull=False,
            control_point__common__target__isnull=False,
        )
        .order_by("followup__cutoff", "id")
        .values_list(
            "pk",
            "followup__cutoff",
            "control_point__common__process",
            "control_point__common__question",
            "followup__plan__committee__name",
            "measured_value",
            "assessment",
            "execution_status",
            "control_point__common__target",
            "control_point__common__direction",
            "control_point__common__warning_limit",
        )
    ]
    rows = [r for r in rows if common_key(r.process, r.question) in wanted]
    weights = latest_weights([r.pk for r in rows])
    grouped: dict[tuple[str, str], dict[dt.date, list[_Answer]]] = defaultdict(dict)
    for row in rows:
        grouped[common_key(row.process, row.question)].setdefault(row.cutoff, []).append(row)
    points = []
    for point in data.common_points:
        if not point.is_quantitative:
            points.append(point)
            continue
        by_cutoff = grouped.get(common_key(point.process, point.question), {})
        trend = Trend(
            process=point.process,
            question=point.question,
            measure_unit=point.measure_unit,
            points=tuple(_point_at(r, weights, point.measure_unit) for r in by_cutoff.values()),
            whose=data.whole.replace("Hela ", "hela ", 1),
        )
        points.append(dataclasses.replace(point, trend=trend))
    return dataclasses.replace(data, common_points=tuple(points))
