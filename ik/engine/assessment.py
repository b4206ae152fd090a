"""Turning a measured value and a target into a traffic light."""

from __future__ import annotations

from decimal import Decimal

from ik.engine.result import Direction, Verdict


def assess(
    value: Decimal | float,
    target: Decimal | float,
    direction: Direction,
    warning_limit: Decimal | float | None = None,
) -> Verdict:
    """Green when the value meets the target.

    `warning_limit` is the far edge of an optional yellow band: with direction "at most",
    a value above the target but at most the warning limit is yellow; beyond it, red.
    Without a warning limit a missed target is red. For "at least" the band runs downwards.
    """
    v, t = Decimal(str(value)), Decimal(str(target))
    w = None if warning_limit is None else Decimal(str(warning_limit))
    if direction is Direction.AT_MOST:
        if v <= t:
            return Verdict.GREEN
        return Verdict.YELLOW if w is not None and v <= w else Verdict.RED
    if v >= t:
        return Verdict.GREEN
    return Verdict.YELLOW if w is not None and v >= w else Verdict.RED
