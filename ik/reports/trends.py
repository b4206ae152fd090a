"""A quantitative control point's measured values across follow-ups and years.

Plain data (`Trend`, loaded by `ik.reports.trend_queries` or, for the municipality's
figure, by `ik.oversight.trends`) in; a chart and a table out, so the page and the reports
show the same numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from ik.engine.result import Direction, Verdict
from ik.lib.charts import Chart, TrendValue, trend_line
from ik.lib.swedish import MONTHS_SHORT, format_date_iso, format_measure, verdict_label
from ik.reports.document import Block, Cell, Column, Figure, Heading, Table

# Fewer measured follow-ups than this show no line: one dot is not a development.
MIN_MEASURED = 2


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """One follow-up: its cut-off, the value measured, the verdict and the target then."""

    cutoff: dt.date
    value: Decimal | None
    verdict: Verdict | None
    target: Decimal | None
    direction: Direction = Direction.AT_MOST


@dataclass(frozen=True, slots=True)
class TrendRow:
    """A row of the table behind the chart, as printed."""

    cutoff: str
    value: str
    target: str
    verdict: str


@dataclass(frozen=True, slots=True)
class Trend:
    """The follow-ups of one control point (or of the municipality's figure), oldest first."""

    process: str
    question: str
    measure_unit: str
    points: tuple[TrendPoint, ...]
    whose: str = ""

    @property
    def measured(self) -> int:
        return sum(1 for p in self.points if p.value is not None)

    @property
    def is_drawn(self) -> bool:
        return self.measured >= MIN_MEASURED

    @property
    def title(self) -> str:
        whose = f", {self.whose}" if self.whose else ""
        return f"{self.process}{whose}: mätvärde per uppföljning"

    @property
    def span(self) -> str:
        """Gives "2016–2018", the years the trend covers."""
        years = sorted({p.cutoff.year for p in self.points})
        if not years:
            return ""
        return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"

    def chart(self, chart_id: str) -> Chart:
        values = [
            TrendValue(
                label=f"{p.cutoff.day} {MONTHS_SHORT[p.cutoff.month - 1]}",
                year=str(p.cutoff.year),
                value=p.value,
                verdict=str(p.verdict or ""),
                target=p.target,
            )
            for p in self.points
        ]
        return trend_line(chart_id, f"{self.title} {self.span}", values, unit=self.measure_unit)

    def rows(self) -> list[TrendRow]:
        unit = self.measure_unit
        return [
            TrendRow(
                cutoff=format_date_iso(p.cutoff),
                value=format_measure(p.value, unit) or "–",
                target=_target_text(p, unit) or "–",
                verdict=verdict_label(p.verdict) if p.value is not None or p.verdict else "–",
            )
            for p in self.points
        ]


def _target_text(point: TrendPoint, unit: str) -> str:
    if point.target is None:
        return ""
    word = "högst" if point.direction is Direction.AT_MOST else "minst"
    return f"{word} {format_measure(point.target, unit)}"


@dataclass(frozen=True, slots=True)
class TrendFigure:
    """A drawn trend for a page: the data, its chart and the id its elements share."""

    trend: Trend
    chart: Chart
    id: str


def trend_figures(trends: Iterable[tuple[str, Trend]]) -> list[TrendFigure]:
    """The trends with enough measured follow-ups to draw, each charted under its id."""
    return [TrendFigure(t, t.chart(chart_id), chart_id) for chart_id, t in trends if t.is_drawn]


def trend_blocks(trend: Trend, chart_id: str) -> list[Block]:
    """The chart for a report, and its numbers as a table below it."""
    chart = trend.chart(chart_id)
    columns = (
        Column("Uppföljning per", 1.0),
        Column("Mätvärde", 1.0),
        Column("Mål", 1.0),
        Column("Bedömning", 1.0),
    )
    rows = tuple(
        (
            Cell(row.cutoff),
            Cell(row.value),
            Cell(row.target),
            Cell(row.verdict, point.verdict if point.value is not None else None),
        )
        for row, point in zip(trend.rows(), trend.points, strict=True)
    )
    return [
        Figure(chart.title, chart.svg, chart.desc),
        Table(chart.title, columns, rows),
    ]


def trends_blocks(trends: Iterable[Trend], heading: str = "Mätvärden över tid") -> list[Block]:
    """Every drawable trend under one heading; nothing when none has enough values."""
    drawn = [t for t in trends if t.is_drawn]
    if not drawn:
        return []
    blocks: list[Block] = [Heading(heading)]
    for number, trend in enumerate(drawn, start=1):
        blocks += trend_blocks(trend, f"trend-{number}")
    return blocks
