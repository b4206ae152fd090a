"""The oversight's charts, drawn from the same content as its tables (OversightData)."""

from __future__ import annotations

from ik.lib.charts import Chart, ValueRow, VerdictRow, target_bars, verdict_bars
from ik.lib.swedish import format_date_long
from ik.reports.oversight import CommonPointComparison, OversightData


def committee_verdicts(data: OversightData) -> Chart:
    """Per committee its assessments at the cut-off, green to unassessed, as stacked bars."""
    per = f" per {format_date_long(data.cutoff)}" if data.cutoff else ""
    return verdict_bars(
        "chart-verdicts",
        f"Bedömningar per nämnd{per}",
        [
            VerdictRow(s.committee.name, s.green, s.yellow, s.red, s.unassessed)
            for s in data.committees
        ],
    )


def common_point_values(point: CommonPointComparison, number: int) -> Chart | None:
    """A quantitative common control point's value per committee against its target."""
    if point.target is None:
        return None
    rows = [
        ValueRow(a.committee.name, a.measured_value, str(a.verdict or ""))
        for a in point.answers
        if a.placement == "entry"
    ]
    return target_bars(
        f"chart-common-{number}",
        f"{point.process}: mätvärde per nämnd mot målet {point.target_text}",
        rows,
        target=point.target,
        unit=point.measure_unit,
    )
