"""Charts as plain, accessible SVG, drawn on the server: no JavaScript, no chart library.

Every chart carries a <title> and a <desc> (read by screen readers through role="img" and
aria-labelledby), writes its numbers as text beside the bars, and names each colour in a
legend, so colour is never the only carrier. The page shows the same numbers in a table next
to the chart. The SVG uses fixed colours (the design tokens' values) so it renders the same
in a browser, in typst's PDF and as a PNG in Word.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from xml.sax.saxutils import escape, quoteattr

import resvg_py

from ik.lib.swedish import VERDICT_LABELS, count_noun, format_measure

# The badge colours of tokens.css: text-strength green, yellow and red, grey for unassessed.
FILLS = {"green": "#1e6b3a", "yellow": "#b58100", "red": "#a4262c", "none": "#8a94a3"}
INK = "#1c2430"
# The count written on each segment, in a colour that reads on it (AA contrast).
ON = {"green": "#ffffff", "yellow": INK, "red": "#ffffff", "none": INK}
MUTED = "#4f5b69"
LINE = "#d5dbe3"
# A presentation attribute, not a style attribute: the CSP refuses inline styles.
FONT = "system-ui, 'Segoe UI', Roboto, Arial, sans-serif"

ROW = 34
BAR = 22
LABEL_WIDTH = 230
PLOT_WIDTH = 420
WIDTH = LABEL_WIDTH + PLOT_WIDTH + 90


def svg_png(svg: str, *, zoom: float = 2.0) -> bytes:
    """The chart as a PNG, for Word, which takes no SVG: the same drawing, rendered by resvg
    at twice its size so it stays sharp in print."""
    return bytes(resvg_py.svg_to_bytes(svg_string=svg, zoom=zoom, background="#ffffff"))


@dataclass(frozen=True, slots=True)
class VerdictRow:
    label: str
    green: int
    yellow: int
    red: int
    unassessed: int

    @property
    def total(self) -> int:
        return self.green + self.yellow + self.red + self.unassessed


@dataclass(frozen=True, slots=True)
class Chart:
    """An SVG chart with the ids its title and description carry, for aria-labelledby."""

    svg: str
    title: str
    desc: str


def _svg(chart_id: str, title: str, desc: str, height: int, body: list[str]) -> Chart:
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="{FONT}">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )
    return Chart(svg=svg, title=title, desc=desc)


def _text(x: float, y: float, text: str, *, anchor: str = "start", fill: str = INK) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="13" '
        f"fill={quoteattr(fill)}>{escape(text)}</text>"
    )


def _legend(y: float, keys: Sequence[str]) -> list[str]:
    body, x = [], float(LABEL_WIDTH)
    for key in keys:
        label = VERDICT_LABELS.get(key, "Ej bedömd")
        body.append(
            f'<rect x="{x:.1f}" y="{y - 11:.1f}" width="12" height="12" fill="{FILLS[key]}"/>'
        )
        body.append(_text(x + 17, y, label))
        x += 30 + 8 * len(label)
    return body


def verdict_bars(chart_id: str, title: str, rows: Sequence[VerdictRow]) -> Chart:
    """Per row a stacked bar of green, yellow, red and unassessed counts, each segment
    labelled with its count and the row's total written after the bar."""
    largest = max((r.total for r in rows), default=0) or 1
    top = 28
    body = _legend(16, ["green", "yellow", "red", "none"])
    descs = []
    for i, row in enumerate(rows):
        y = top + i * ROW
        body.append(_text(LABEL_WIDTH - 10, y + BAR * 0.7, row.label, anchor="end"))
        x = float(LABEL_WIDTH)
        for key, count in (
            ("green", row.green),
            ("yellow", row.yellow),
            ("red", row.red),
            ("none", row.unassessed),
        ):
            if not count:
                continue
            width = PLOT_WIDTH * count / largest
            body.append(
                f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR}" '
                f'fill="{FILLS[key]}" stroke="#ffffff" stroke-width="1"/>'
            )
            if width >= 16:
                body.append(
                    _text(x + width / 2, y + BAR * 0.7, str(count), anchor="middle", fill=ON[key])
                )
            x += width
        body.append(_text(x + 8, y + BAR * 0.7, count_noun(row.total, "moment", "moment")))
        descs.append(
            f"{row.label}: {row.green} grön, {row.yellow} gul, {row.red} röd, "
            f"{row.unassessed} ej bedömda"
        )
    desc = "; ".join(descs) + "." if descs else "Inga kontrollmoment."
    return _svg(chart_id, title, desc, top + len(rows) * ROW + 8, body)


@dataclass(frozen=True, slots=True)
class ValueRow:
    label: str
    value: Decimal | None
    verdict: str  # green, yellow, red or "" when not assessed


def target_bars(
    chart_id: str, title: str, rows: Sequence[ValueRow], *, target: Decimal, unit: str
) -> Chart:
    """Per row a bar of the measured value in its verdict's colour, the value written after
    it, and a dashed vertical line at the target."""
    values = [r.value for r in rows if r.value is not None]
    largest = max([*values, target, Decimal(1)]) * Decimal("1.1")
    top = 28
    height = top + len(rows) * ROW + 22

    def x_of(value: Decimal) -> float:
        return LABEL_WIDTH + float(PLOT_WIDTH * value / largest)

    body = _legend(16, ["green", "yellow", "red"])
    descs = []
    for i, row in enumerate(rows):
        y = top + i * ROW
        body.append(_text(LABEL_WIDTH - 10, y + BAR * 0.7, row.label, anchor="end"))
        if row.value is None:
            body.append(_text(LABEL_WIDTH + 4, y + BAR * 0.7, "Inget mätvärde", fill=MUTED))
            descs.append(f"{row.label}: inget mätvärde")
            continue
        width = max(x_of(row.value) - LABEL_WIDTH, 1.0)
        fill = FILLS.get(row.verdict or "none", FILLS["none"])
        body.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{BAR}" fill="{fill}"/>'
        )
        shown = format_measure(row.value, unit)
        verdict = VERDICT_LABELS.get(row.verdict, "ej bedömd").lower()
        body.append(_text(LABEL_WIDTH + width + 8, y + BAR * 0.7, f"{shown} ({verdict})"))
        descs.append(f"{row.label}: {shown}, {verdict}")
    line_x = x_of(target)
    bottom = top + len(rows) * ROW
    body.append(
        f'<line x1="{line_x:.1f}" y1="{top - 4}" x2="{line_x:.1f}" y2="{bottom}" '
        f'stroke="{INK}" stroke-width="2" stroke-dasharray="5 3"/>'
    )
    body.append(_text(line_x, bottom + 16, f"Mål {format_measure(target, unit)}", anchor="middle"))
    body.append(
        f'<line x1="{LABEL_WIDTH}" y1="{top - 4}" x2="{LABEL_WIDTH}" y2="{bottom}" '
        f'stroke="{LINE}" stroke-width="1"/>'
    )
    desc = f"Mål {format_measure(target, unit)}. " + "; ".join(descs) + "."
    return _svg(chart_id, title, desc, height, body)


@dataclass(frozen=True, slots=True)
class TrendValue:
    """One follow-up on a trend line: "31 aug" in `year` 2018, its value, verdict and target."""

    label: str
    year: str
    value: Decimal | None
    verdict: str  # green, yellow, red or "" when not assessed
    target: Decimal | None


PLOT_TOP = 40
PLOT_HEIGHT = 190
AXIS_WIDTH = 70


def _marker(key: str, x: float, y: float) -> str:
    """A circle, diamond, triangle or ring, so the verdict reads without its colour."""
    fill = FILLS[key]
    if key == "yellow":
        points = f"{x:.1f},{y - 7:.1f} {x + 7:.1f},{y:.1f} {x:.1f},{y + 7:.1f} {x - 7:.1f},{y:.1f}"
        return f'<polygon points="{points}" fill="{fill}" stroke="{INK}" stroke-width="1"/>'
    if key == "red":
        points = f"{x:.1f},{y - 7:.1f} {x + 7:.1f},{y + 6:.1f} {x - 7:.1f},{y + 6:.1f}"
        return f'<polygon points="{points}" fill="{fill}" stroke="#ffffff" stroke-width="1"/>'
    if key == "none":
        return (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5.5" fill="#ffffff" stroke="{fill}" '
            f'stroke-width="2.5"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{fill}"/>'


def _trend_legend(y: float) -> list[str]:
    body, x = [], float(AXIS_WIDTH)
    for key in ("green", "yellow", "red", "none"):
        label = VERDICT_LABELS.get(key, "Ej bedömd")
        body.append(_marker(key, x + 6, y - 5))
        body.append(_text(x + 17, y, label))
        x += 30 + 8 * len(label)
    body.append(
        f'<line x1="{x:.1f}" y1="{y - 5:.1f}" x2="{x + 24:.1f}" y2="{y - 5:.1f}" '
        f'stroke="{INK}" stroke-width="2" stroke-dasharray="5 3"/>'
    )
    body.append(_text(x + 30, y, "Mål"))
    return body


def _nice_step(largest: Decimal) -> Decimal:
    """A round step (1, 2 or 5 times a power of ten) giving at most five grid lines."""
    rough = largest / 5
    power = Decimal(1).scaleb(rough.adjusted())
    for factor in (1, 2, 5, 10):
        if power * factor >= rough:
            return power * factor
    return power * 10


def _y_axis(
    top_value: Decimal, step: Decimal, unit: str, y_of: Callable[[Decimal], float]
) -> list[str]:
    body = []
    tick = Decimal(0)
    while tick <= top_value:
        y = y_of(tick)
        body.append(
            f'<line x1="{AXIS_WIDTH}" y1="{y:.1f}" x2="{WIDTH - 10}" y2="{y:.1f}" '
            f'stroke="{LINE}" stroke-width="1"/>'
        )
        body.append(
            _text(AXIS_WIDTH - 8, y + 4, format_measure(tick, unit), anchor="end", fill=MUTED)
        )
        tick += step
    return body


def trend_line(chart_id: str, title: str, values: Sequence[TrendValue], *, unit: str) -> Chart:
    """The measured value at each follow-up as a line, oldest first, against the target.

    Each point is a marker whose shape as well as colour gives its verdict, with the value
    written above it; the target is a dashed line that steps where a new year's plan changed
    it. A follow-up without a value leaves a gap in the line and says so in the description.
    """
    measured = [v.value for v in values if v.value is not None]
    targets = [v.target for v in values if v.target is not None]
    largest = max([*measured, *targets, Decimal(1)])
    step = _nice_step(largest * Decimal("1.15"))
    top_value = step * (
        (largest * Decimal("1.15") / step).to_integral_value(rounding=ROUND_CEILING)
    )
    bottom = PLOT_TOP + PLOT_HEIGHT

    def y_of(value: Decimal) -> float:
        return bottom - float(PLOT_HEIGHT * value / top_value)

    slot = (WIDTH - 10 - AXIS_WIDTH) / max(len(values), 1)
    body = _trend_legend(16) + _y_axis(top_value, step, unit, y_of)
    line: list[str] = []
    segments: list[list[str]] = [line]
    target_path: list[str] = []
    descs = []
    for i, point in enumerate(values):
        x = AXIS_WIDTH + slot * (i + 0.5)
        if point.target is not None:
            move = "M" if i == 0 or values[i - 1].target is None else "L"
            ty = y_of(point.target)
            target_path.append(f"{move}{AXIS_WIDTH + slot * i:.1f},{ty:.1f} H{x + slot / 2:.1f}")
        body.append(_text(x, bottom + 17, point.label, anchor="middle"))
        if i == 0 or values[i - 1].year != point.year:
            body.append(_text(x, bottom + 34, point.year, anchor="middle", fill=MUTED))
        target = f" (mål {format_measure(point.target, unit)})" if point.target is not None else ""
        if point.value is None:
            body.append(_text(x, bottom - 6, "–", anchor="middle", fill=MUTED))
            descs.append(f"{point.label} {point.year}: inget mätvärde{target}")
            segments.append(line := [])
            continue
        y = y_of(point.value)
        line.append(f"{x:.1f},{y:.1f}")
        shown = format_measure(point.value, unit)
        verdict = VERDICT_LABELS.get(point.verdict, "ej bedömd").lower()
        descs.append(f"{point.label} {point.year}: {shown}{target}, {verdict}")
        body.append(_text(x, y - 12, shown, anchor="middle"))
    paths = (
        [
            f'<path d="{" ".join(target_path)}" fill="none" stroke="{INK}" stroke-width="2" '
            f'stroke-dasharray="5 3"/>'
        ]
        if target_path
        else []
    )
    for run in segments:
        if len(run) > 1:
            paths.append(
                f'<polyline points="{" ".join(run)}" fill="none" stroke="{MUTED}" '
                'stroke-width="2"/>'
            )
    markers = [
        _marker(point.verdict or "none", AXIS_WIDTH + slot * (i + 0.5), y_of(point.value))
        for i, point in enumerate(values)
        if point.value is not None
    ]
    desc = "; ".join(descs) + "." if descs else "Inga uppföljningar."
    return _svg(chart_id, title, desc, bottom + 44, body + paths + markers)
