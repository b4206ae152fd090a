"""Start-up after an outage: did a drill follow the dependencies, priorities and RTOs?

`outage_drill` compares a simulated outage's log with the dependencies, the priorities and
each system's recovery-time objective (RTO) in the systems register.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from ik.engine.controls.continuity_common import (
    index_systems,
    name_list,
    plural,
    records_sha256,
    unit_breakdown,
)
from ik.engine.errors import InputError
from ik.engine.result import (
    ControlResult,
    Direction,
    Finding,
    Verdict,
)
from ik.engine.systems import Criticality, DrillEvent, DrillLog, System, name_key
from ik.lib.swedish import format_hours, sort_key

# --- control: the outage drill ----------------------------------------------------------------


def outage_drill(
    systems: Sequence[System],
    drill_events: Sequence[DrillEvent] | DrillLog,
    start: datetime | None = None,
) -> ControlResult:
    """Check a simulated outage: order, priorities and recovery times.

    The outage start is `start` when given, else the log's own start row, else the earliest
    time in the log (then the first system's recovery time is zero). Findings:
    `order_violation` (a system up before, or without, something it depends on),
    `priority_violation` (a system up while a more urgent one was still down, unless one of
    the two needs the other: then the order is forced, or already an order violation),
    `rto_exceeded` (time from start to up longer than the system's RTO) and
    `not_recovered` (in the register but not in the log: not back up during the drill).

    Value: the number of findings, target 0. Verdict: red for any order violation, exceeded
    RTO or critical system not recovered; yellow when only priority violations or systems
    classed övrig remain; green otherwise.
    """
    events, log_start = (
        (drill_events.events, drill_events.start)
        if isinstance(drill_events, DrillLog)
        else (tuple(drill_events), None)
    )
    by_key = index_systems(systems)
    up = _up_times(events, by_key)
    start, start_source = _drill_start(start, log_start, up, events)
    findings = [
        *_order_findings(systems, by_key, up),
        *_drill_priority_findings(systems, by_key, up),
        *_rto_findings(systems, up, start),
        *_missing_findings(systems, up),
    ]
    recovery = {name: _hours(t - start) for name, t in sorted(up.items(), key=lambda kv: kv[1])}
    # Systems, not findings: one system up before two of its dependencies counts once.
    counts = {k: len({f.data["system"] for f in findings if f.kind == k}) for k in _DRILL_KINDS}
    critical_missing = any(
        f.kind == "not_recovered" and f.data["criticality"] != Criticality.OTHER.value
        for f in findings
    )
    serious = critical_missing or counts["order_violation"] or counts["rto_exceeded"]
    verdict = Verdict.GREEN if not findings else Verdict.RED if serious else Verdict.YELLOW
    return ControlResult(
        control="outage_drill",
        value=float(len(findings)),
        target=0.0,
        direction=Direction.AT_MOST,
        verdict=verdict,
        summary=_drill_summary(len(systems), len(up), counts),
        rows=len(events),
        by_unit=unit_breakdown(systems, {f.data["system"] for f in findings}),
        findings=tuple(findings),
        parameters={"start": start.isoformat(), "start_source": start_source},
        input_sha256=records_sha256(systems=systems, drill=[*events, {"start": log_start}]),
        details={"actual_order": list(recovery), "recovery_hours": recovery},
        count_name="systems_with_findings",
    )


_DRILL_KINDS = ("order_violation", "priority_violation", "rto_exceeded", "not_recovered")


def _hours(delta: Any) -> float:
    return round(float(delta.total_seconds()) / 3600, 4)


def _up_times(events: Sequence[DrillEvent], by_key: Mapping[str, System]) -> dict[str, datetime]:
    up: dict[str, datetime] = {}
    for event in events:
        system = by_key.get(name_key(event.system))
        if system is None:
            raise InputError(
                f"Systemet {event.system!r} i övningsloggen finns inte i systemregistret",
                row=event.row,
                column="system",
            )
        if system.name in up:
            raise InputError(
                f"Systemet {system.name!r} finns två gånger i övningsloggen",
                row=event.row,
                column="system",
            )
        up[system.name] = event.up_at
    return up


def _drill_start(
    start: datetime | None,
    log_start: datetime | None,
    up: Mapping[str, datetime],
    events: Sequence[DrillEvent],
) -> tuple[datetime, str]:
    if start is not None:
        chosen, source = start, "parameter"
    elif log_start is not None:
        chosen, source = log_start, "logg"
    elif up:
        chosen, source = min(up.values()), "tidigaste"
    else:
        raise InputError("Övningsloggen är tom och ingen starttid är angiven")
    try:
        early = [e for e in events if e.up_at < chosen]
    except TypeError:
        raise InputError(
            "Starttiden och loggens tider måste alla ha, eller alla sakna, tidszon"
        ) from None
    if early:
        raise InputError(
            f"{early[0].system} var uppe {early[0].up_at:%Y-%m-%d %H:%M}, före "
            f"driftstoppets start {chosen:%Y-%m-%d %H:%M}",
            row=early[0].row,
            column="uppe",
        )
    return chosen, source


def _clock(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M}"


def _order_findings(
    systems: Sequence[System], by_key: Mapping[str, System], up: Mapping[str, datetime]
) -> list[Finding]:
    out = []
    for system in systems:
        mine = up.get(system.name)
        if mine is None:
            continue
        for name in system.depends_on:
            dependency = by_key.get(name_key(name))
            if dependency is None:
                continue
            theirs = up.get(dependency.name)
            if theirs is None:
                message = (
                    f"{system.name} var uppe {_clock(mine)} fast {dependency.name}, "
                    "som det beror på, aldrig kom upp."
                )
            elif theirs > mine:
                message = (
                    f"{system.name} var uppe {_clock(mine)}, före {dependency.name} "
                    f"({_clock(theirs)}) som det beror på."
                )
            else:
                continue
            data = {
                "system": system.name,
                "dependency": dependency.name,
                "up_at": mine.isoformat(),
                "dependency_up_at": None if theirs is None else theirs.isoformat(),
            }
            out.append(Finding("order_violation", message, system.row, data))
    return out


def _needs(by_key: Mapping[str, System]) -> dict[str, set[str]]:
    """Everything each system needs, directly or through other systems."""
    memo: dict[str, set[str]] = {}

    def visit(name: str, trail: frozenset[str]) -> set[str]:
        if name in memo:
            return memo[name]
        found: set[str] = set()
        for dep in by_key[name_key(name)].depends_on:
            other = by_key.get(name_key(dep))
            if other is not None and other.name not in trail:
                found.add(other.name)
                found |= visit(other.name, trail | {other.name})
        memo[name] = found
        return found

    return {s.name: visit(s.name, frozenset({s.name})) for s in by_key.values()}


def _drill_priority_findings(
    systems: Sequence[System], by_key: Mapping[str, System], up: Mapping[str, datetime]
) -> list[Finding]:
    needs = _needs(by_key)
    out = []
    for system in systems:
        mine = up.get(system.name)
        if mine is None:
            continue
        waiting = sorted(
            (
                other
                for other in systems
                if other.priority < system.priority
                and system.name not in needs[other.name]
                and other.name not in needs[system.name]
                and (other.name not in up or up[other.name] > mine)
            ),
            key=lambda s: (s.priority, sort_key(s.name)),
        )
        if waiting:
            names = [f"{s.name} (prioritet {s.priority})" for s in waiting]
            message = (
                f"{system.name} (prioritet {system.priority}) var uppe {_clock(mine)} "
                f"medan {name_list(names)} ännu inte var uppe."
            )
            data = {
                "system": system.name,
                "priority": system.priority,
                "still_down": [s.name for s in waiting],
            }
            out.append(Finding("priority_violation", message, system.row, data))
    return out


def _rto_findings(
    systems: Sequence[System], up: Mapping[str, datetime], start: datetime
) -> list[Finding]:
    out = []
    for system in systems:
        if system.name not in up or system.rto_hours is None:
            continue
        hours = _hours(up[system.name] - start)
        if hours > system.rto_hours:
            message = (
                f"{system.name} var uppe efter {format_hours(hours)} timmar; målet "
                f"(RTO) är {format_hours(system.rto_hours)} timmar."
            )
            data = {"system": system.name, "hours": hours, "rto_hours": system.rto_hours}
            out.append(Finding("rto_exceeded", message, system.row, data))
    return out


def _missing_findings(systems: Sequence[System], up: Mapping[str, datetime]) -> list[Finding]:
    return [
        Finding(
            "not_recovered",
            f"{system.name} ({system.criticality.value}) saknas i övningsloggen och kom alltså "
            "inte upp under övningen.",
            system.row,
            {"system": system.name, "criticality": system.criticality.value},
        )
        for system in systems
        if system.name not in up
    ]


def _drill_summary(n: int, recovered: int, counts: Mapping[str, int]) -> str:
    head = f"Övningen återstartade {recovered} av {plural(n, 'system', 'system')}"
    if not any(counts.values()):
        return f"{head} i rätt ordning och inom sina återställningsmål."
    parts = {
        "order_violation": "var uppe före något de beror på",
        "priority_violation": "var uppe före mer prioriterade system",
        "rto_exceeded": "överskred sitt återställningsmål",
        "not_recovered": "kom inte upp",
    }
    shown = [f"{counts[k]} {text}" for k, text in parts.items() if counts[k]]
    return f"{head}: {name_list(shown)}."
