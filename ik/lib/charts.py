"""Charts as plain, accessible SVG, drawn on the server: no JavaScript, no chart library.

Every chart carries a <title> and a <desc> (read by screen readers through role="img" and
aria-labelledby), writes its numbers as text beside the bars, and names each colour in a
legend, so colour is never the only carrier. The page shows the same numbers in a table next
to the chart. The SVG uses fixed colours (the design tokens' values) so it renders the same
in a browser, in typst's PDF and as a PNG in Word.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

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
