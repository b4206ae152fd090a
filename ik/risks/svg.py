"""Geometry of the heat map: where each cell, count and label goes in the inline SVG.

The template draws it; this module only computes positions and the text description, so
the drawing stays free of inline styles and the layout is tested without a browser.
"""

from __future__ import annotations

from dataclasses import dataclass

from ik.risks.matrix import TONES_HIGH_FIRST, Cell, Matrix

CELL_W = 96
CELL_H = 60
LABEL_W = 160
TOP = 10
BOTTOM = 78


@dataclass(frozen=True, slots=True)
class SvgCell:
    x: int
    y: int
    cx: int
    cy: int
    tone: str
    score: int
    count: int
    title: str


@dataclass(frozen=True, slots=True)
class SvgLabel:
    x: int
    y: int
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class HeatMap:
    width: int
    height: int
    cells: tuple[SvgCell, ...]
    row_labels: tuple[SvgLabel, ...]
    column_labels: tuple[SvgLabel, ...]
    grid_left: int
    grid_bottom: int
    axis_y: tuple[int, int]
    axis_x: tuple[int, int]
    description: str
    table_rows: tuple[tuple[str, tuple[Cell, ...]], ...]


def split_label(label: str, limit: int = 14) -> tuple[str, ...]:
    """A long label on two lines, broken at the space nearest its middle."""
    if len(label) <= limit or " " not in label:
        return (label,)
    middle = len(label) / 2
    cut = min((i for i, ch in enumerate(label) if ch == " "), key=lambda i: abs(i - middle))
    return (label[:cut], label[cut + 1 :])


def _risks(n: int) -> str:
    return "1 risk" if n == 1 else f"{n} risker"


def describe(grid: Matrix) -> str:
    """The matrix in words, for the SVG's <desc>."""
    scale = grid.scale
    by_tone = grid.count_by_tone()
    parts = [
        f"Riskmatris {scale.size} × {scale.size}: sannolikhet uppåt, konsekvens åt höger.",
        f"{_risks(grid.total)}: "
        + ", ".join(f"{by_tone[t]} {t.label.lower()} ({t.colour})" for t in TONES_HIGH_FIRST)
        + ".",
    ]
    filled = [
        f"{scale.likelihood_labels[c.likelihood - 1]} × {scale.impact_labels[c.impact - 1]} "
        f"(riskvärde {c.score}): {_risks(c.count)}"
        for row in grid.rows
        for c in row
        if c.count
    ]
    if filled:
        parts.append("; ".join(filled) + ".")
    return " ".join(parts)


def heat_map(grid: Matrix) -> HeatMap:
    scale = grid.scale
    n = scale.size
    cells = []
    for r, row in enumerate(grid.rows):
        for c, cell in enumerate(row):
            x, y = LABEL_W + c * CELL_W, TOP + r * CELL_H
            cells.append(
                SvgCell(
                    x=x,
                    y=y,
                    cx=x + CELL_W // 2,
                    cy=y + CELL_H // 2 + 8,
                    tone=cell.tone.value,
                    score=cell.score,
                    count=cell.count,
                    title=f"{scale.likelihood_labels[cell.likelihood - 1]} × "
                    f"{scale.impact_labels[cell.impact - 1]}: {_risks(cell.count)}",
                )
            )
    grid_bottom = TOP + n * CELL_H
    row_labels = tuple(
        SvgLabel(LABEL_W - 10, TOP + r * CELL_H + CELL_H // 2, split_label(label))
        for r, label in enumerate(reversed(scale.likelihood_labels))
    )
    column_labels = tuple(
        SvgLabel(LABEL_W + c * CELL_W + CELL_W // 2, grid_bottom + 20, split_label(label))
        for c, label in enumerate(scale.impact_labels)
    )
    return HeatMap(
        width=LABEL_W + n * CELL_W + 10,
        height=grid_bottom + BOTTOM,
        cells=tuple(cells),
        row_labels=row_labels,
        column_labels=column_labels,
        grid_left=LABEL_W,
        grid_bottom=grid_bottom,
        axis_y=(16, TOP + n * CELL_H // 2),
        axis_x=(LABEL_W + n * CELL_W // 2, grid_bottom + 66),
        description=describe(grid),
        table_rows=tuple(
            (f"{row[0].likelihood} {scale.likelihood_labels[row[0].likelihood - 1]}", row)
            for row in grid.rows
        ),
    )
