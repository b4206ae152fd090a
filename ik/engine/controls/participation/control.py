"""Participation: every unit is on the attendance list (e.g. the new energy plan)."""

from __future__ import annotations

from collections.abc import Sequence

from ik.engine.assessment import assess
from ik.engine.controls.continuity_common import (
    name_list,
    records_sha256,
)
from ik.engine.errors import InputError
from ik.engine.result import ControlResult, Direction, Finding, UnitBreakdown
from ik.engine.systems import (
    Participant,
    name_key,
)
from ik.lib.swedish import sort_key

# --- participation ---------------------------------------------------------------------------


def participation(
    units: Sequence[str],
    participants: Sequence[Participant],
    *,
    warning_limit: float | None = None,
) -> ControlResult:
    """Check that every unit took part in an activity (e.g. the new energy plan).

    Units are compared with case and spacing ignored. Findings: `missing_participant` per unit
    with nobody on the attendance list. Value: the share of units taking part, target 100 %;
    red when any unit is missing, unless `warning_limit` gives a yellow band (e.g. 0.9).
    Participants from units outside the set are listed in details["other_units"].
    """
    wanted: dict[str, str] = {}
    for unit in units:
        wanted.setdefault(name_key(unit), unit)
    if not wanted:
        raise InputError("Listan över enheter som ska delta är tom")
    attending: dict[str, list[Participant]] = {}
    for person in participants:
        attending.setdefault(name_key(person.unit), []).append(person)
    ordered = sorted(wanted.items(), key=lambda kv: sort_key(kv[1]))
    missing = [unit for key, unit in ordered if key not in attending]
    value = (len(wanted) - len(missing)) / len(wanted)
    others = sorted(
        {p.unit for k, ps in attending.items() if k not in wanted for p in ps}, key=sort_key
    )
    return ControlResult(
        control="participation",
        value=value,
        target=1.0,
        direction=Direction.AT_LEAST,
        verdict=assess(value, 1.0, Direction.AT_LEAST, warning_limit),
        summary=_participation_summary(len(wanted), missing),
        rows=len(participants),
        by_unit=tuple(_unit_attendance(unit, attending.get(key, [])) for key, unit in ordered),
        findings=tuple(
            Finding("missing_participant", f"{unit} saknas bland deltagarna.", None, {"unit": unit})
            for unit in missing
        ),
        parameters={"warning_limit": warning_limit},
        input_sha256=records_sha256(units=list(wanted.values()), participants=participants),
        details={"other_units": others, "participants": len(participants)},
        count_name="taking_part",
    )


def _unit_attendance(unit: str, people: list[Participant]) -> UnitBreakdown:
    names = sorted({p.name for p in people if p.name}, key=sort_key)
    return UnitBreakdown(
        unit,
        1,
        1 if people else 0,
        1.0 if people else 0.0,
        {"participants": len(people), "names": names},
    )


def _participation_summary(total: int, missing: Sequence[str]) -> str:
    if not missing:
        return f"Alla {total} enheter finns bland deltagarna."
    return f"{total - len(missing)} av {total} enheter deltar; {name_list(list(missing))} saknas."
