"""Risk scoring and the risk matrix. Pure Python: no Django, so the maths is tested alone.

A risk's score is likelihood × impact. The organisation's scale says how many levels each
axis has (4 or 5) and from which score a risk turns yellow and red. The default 4×4 scale
follows common Swedish municipal practice: 1–4 green (accept), 5–8 yellow (watch or act),
9–16 red (a control or a direct action is required).

The 5×5 defaults: likelihood 1 Mycket osannolik, 2 Osannolik, 3 Möjlig, 4 Sannolik,
5 Mycket sannolik; impact 1 Försumbar, 2 Lindrig, 3 Kännbar, 4 Allvarlig, 5 Mycket
allvarlig; bands 1–4 green, 5–9 yellow, 10–25 red. Red starts at 10 so that a risk red on
the 5×5 scale is one that at least doubles the worst level of either axis (2 × 5, 5 × 2) or
sits above the middle on both (4 × 3), much as 9 = 3 × 3 does on the 4×4 scale.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from ik.lib.swedish import VERDICT_LABELS

SIZES = (4, 5)


class Tone(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"

    @property
    def label(self) -> str:
        return {"green": "Låg", "yellow": "Medel", "red": "Hög"}[self.value]

    @property
    def colour(self) -> str:
        return VERDICT_LABELS[self.value].lower()


TONES_HIGH_FIRST = (Tone.RED, Tone.YELLOW, Tone.GREEN)


@dataclass(frozen=True, slots=True)
class Scale:
    """An organisation's scale: level labels per axis and where the colour bands start."""

    size: int
    likelihood_labels: tuple[str, ...]
    impact_labels: tuple[str, ...]
    yellow_from: int
    red_from: int

    @property
    def max_score(self) -> int:
        return self.size * self.size

    @property
    def levels(self) -> range:
        return range(1, self.size + 1)


DEFAULT_LABELS: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {
    4: (
        ("Osannolik", "Mindre sannolik", "Möjlig", "Sannolik"),
        ("Försumbar", "Lindrig", "Kännbar", "Allvarlig"),
    ),
    5: (
        ("Mycket osannolik", "Osannolik", "Möjlig", "Sannolik", "Mycket sannolik"),
        ("Försumbar", "Lindrig", "Kännbar", "Allvarlig", "Mycket allvarlig"),
    ),
}
DEFAULT_BANDS = {4: (5, 9), 5: (5, 10)}


def default_scale(size: int = 4) -> Scale:
    """The default scale of the given size (4 or 5)."""
    if size not in SIZES:
        raise ValueError(f"size must be one of {SIZES}, not {size}")
    likelihood, impact = DEFAULT_LABELS[size]
    yellow, red = DEFAULT_BANDS[size]
    return Scale(size, likelihood, impact, yellow, red)


def band_errors(size: int, yellow_from: int, red_from: int) -> list[str]:
    """What is wrong with the band limits, in Swedish; empty when they are usable.

    Each band must hold at least one score: green 1..yellow_from-1, yellow
    yellow_from..red_from-1, red red_from..size².
    """
    errors = []
    if yellow_from < 2:
        errors.append("Gult måste börja på riskvärde 2 eller högre, så att grönt finns kvar.")
    if not yellow_from < red_from:
        errors.append("Rött måste börja på ett högre riskvärde än gult.")
    if not red_from <= size * size:
        errors.append(f"Rött måste börja på högst {size * size}, det högsta riskvärdet.")
    return errors


def score(likelihood: int, impact: int, size: int = 5) -> int:
    """The risk value: likelihood × impact, each between 1 and `size`."""
    for name, value in (("likelihood", likelihood), ("impact", impact)):
        if not 1 <= value <= size:
            raise ValueError(f"{name} must be between 1 and {size}, not {value}")
    return likelihood * impact


def tone(scale: Scale, value: int) -> Tone:
    """The colour band a score falls in."""
    if value >= scale.red_from:
        return Tone.RED
    if value >= scale.yellow_from:
        return Tone.YELLOW
    return Tone.GREEN


@dataclass(frozen=True, slots=True)
class Cell:
    likelihood: int
    impact: int
    score: int
    tone: Tone
    count: int


@dataclass(frozen=True, slots=True)
class Matrix:
    """The heat map: rows from the most likely level down, columns from the mildest impact."""

    scale: Scale
    rows: tuple[tuple[Cell, ...], ...]

    @property
    def total(self) -> int:
        return sum(c.count for row in self.rows for c in row)

    def count_by_tone(self) -> dict[Tone, int]:
        counts = dict.fromkeys(Tone, 0)
        for row in self.rows:
            for cell in row:
                counts[cell.tone] += cell.count
        return counts


def build_matrix(scale: Scale, risks: Iterable[tuple[int, int]]) -> Matrix:
    """Count (likelihood, impact) pairs into the scale's cells.

    A pair outside the scale (left behind when a scale shrinks) is counted in the nearest
    cell, so that the matrix total always equals the number of risks.
    """

    def clamp(level: int) -> int:
        return min(max(level, 1), scale.size)

    counts = Counter((clamp(lik), clamp(imp)) for lik, imp in risks)
    rows = tuple(
        tuple(
            Cell(lik, imp, lik * imp, tone(scale, lik * imp), counts[(lik, imp)])
            for imp in scale.levels
        )
        for lik in reversed(scale.levels)
    )
    return Matrix(scale, rows)
