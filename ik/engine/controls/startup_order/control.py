"""Start-up after an outage: is the priority list consistent, and did a drill follow it?

Two controls on the systems register (see `ik.engine.systems`):

`startup_order` checks the agreed priority list against the dependencies and proposes an
order that can actually be followed. `outage_drill` compares a simulated outage's log with
the dependencies, the priorities and each system's recovery-time objective (RTO).
"""

from __future__ import annotations

import heapq
import json
import math
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from datetime import datetime
from enum import Enum
from json.encoder import encode_basestring
from typing import Any

from ik.engine.errors import InputError
from ik.engine.result import (
    ControlResult,
    Direction,
    Finding,
    UnitBreakdown,
    Verdict,
    sha256_bytes,
)
from ik.engine.systems import Criticality, DrillEvent, DrillLog, System, name_key
from ik.lib.swedish import format_hours, sort_key

NO_UNIT = "(ingen ägare angiven)"


# --- shared by the continuity controls ------------------------------------------------------


_SCALARS = frozenset({str, int, float, bool, type(None)})


_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _record_fields(cls: type) -> tuple[str, ...] | None:
    """A dataclass's field names in sorted order, without `row`; None for other types."""
    if cls not in _FIELDS:
        names = [f.name for f in fields(cls) if f.name != "row"] if is_dataclass(cls) else None
        _FIELDS[cls] = None if names is None else tuple(sorted(names))
    return _FIELDS[cls]


def _plain(value: Any) -> Any:
    # Called once per record and field, so the common cases come first and cheaply.
    kind = type(value)
    if kind in _SCALARS:
        return value
    if isinstance(value, Enum):
        return value.value
    if kind is tuple or kind is list:
        if all(type(v) is str for v in value):
            return list(value)
        return [_plain(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    names = _record_fields(kind)
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    return value


def _fast_hours(hours: float | None) -> bool:
    # Integers and infinities are left to the generic encoder, which spells them its own way.
    return hours is None or (type(hours) is float and math.isfinite(hours))


def _system_json(s: System) -> str:
    """The text the generic encoder gives for a System, several times faster.

    The start-up control fingerprints registers of thousands of systems, and the generic
    route costs as much as the graph work itself.
    """
    e = encode_basestring
    deps = ",".join(map(e, s.depends_on))
    rto = "null" if s.rto_hours is None else float.__repr__(s.rto_hours)
    return (
        f'{{"alarm_method":{e(s.alarm_method)},"alarm_recipient":{e(s.alarm_recipient)},'
        f'"criticality":{e(s.criticality.value)},"depends_on":[{deps}],'
        f'"has_alarm":{"true" if s.has_alarm else "false"},"name":{e(s.name)},'
        f'"owner_unit":{e(s.owner_unit)},"priority":{int.__repr__(s.priority)},'
        f'"rto_hours":{rto}}}'
    )


def records_sha256(**parts: Iterable[Any]) -> str:
    """Fingerprint of input records, independent of row order and of where they were read.

    Each record becomes compact JSON with sorted keys (dataclass fields without `row`, enums
    as their value, times in ISO 8601, UTF-8 without escapes). The text hashed with SHA-256
    is, for each part in order of name, the part's name on a line and then its records' JSON
    sorted, one per line.
    """
    encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
    lines: list[str] = []
    for name in sorted(parts):
        lines.append(name)
        lines.extend(
            sorted(
                _system_json(r)
                if type(r) is System and _fast_hours(r.rto_hours)
                else encode(_plain(r))
                for r in parts[name]
            )
        )
    text = "\n".join(lines)
    return sha256_bytes(text.encode("utf-8"))


def unit_breakdown(
    systems: Iterable[System], flagged: set[str], *, with_share: bool = False
) -> tuple[UnitBreakdown, ...]:
    """Per owning unit: its systems (n) and how many of them have a finding (count)."""
    totals: dict[str, list[int]] = {}
    for system in systems:
        counts = totals.setdefault(system.owner_unit or NO_UNIT, [0, 0])
        counts[0] += 1
        counts[1] += system.name in flagged
    return tuple(
        UnitBreakdown(unit, n, bad, (n - bad) / n if with_share else None)
        for unit, (n, bad) in sorted(totals.items(), key=lambda kv: sort_key(kv[0]))
    )


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def name_list(names: Sequence[str], limit: int = 5) -> str:
    """'A, B och C'; longer lists end with 'och N till'."""
    shown = list(names[:limit])
    if len(names) > limit:
        shown.append(f"{len(names) - limit} till")
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " och " + shown[-1]


def index_systems(systems: Sequence[System]) -> dict[str, System]:
    """Systems by name_key; refuses two systems with the same name."""
    out: dict[str, System] = {}
    for system in systems:
        key = name_key(system.name)
        if key in out:
            raise InputError(
                f"Systemet {system.name!r} finns två gånger i registret",
                row=system.row,
                column="system",
            )
        out[key] = system
    return out


# --- the dependency graph --------------------------------------------------------------------


@dataclass(slots=True)
class _Graph:
    systems: list[System]
    deps: list[list[int]]
    dependents: list[list[int]]
    unknown: list[tuple[int, str]]


def _build_graph(systems: Sequence[System]) -> _Graph:
    by_key = index_systems(systems)
    exact = {s.name: i for i, s in enumerate(systems)}
    position = {key: exact[s.name] for key, s in by_key.items()}
    deps: list[list[int]] = [[] for _ in systems]
    dependents: list[list[int]] = [[] for _ in systems]
    unknown: list[tuple[int, str]] = []
    for i, system in enumerate(systems):
        mine = deps[i]
        for name in system.depends_on:
            j = exact.get(name)
            if j is None:
                j = position.get(name_key(name))
            if j is None:
                unknown.append((i, name))
            elif j not in mine:  # a system lists only a handful of dependencies
                mine.append(j)
                dependents[j].append(i)
    return _Graph(list(systems), deps, dependents, unknown)


def _topological(graph: _Graph) -> list[int]:
    """Kahn's algorithm; systems in or behind a cycle are left out."""
    waiting = [len(d) for d in graph.deps]
    queue = deque(i for i, w in enumerate(waiting) if w == 0)
    order: list[int] = []
    dependents = graph.dependents
    while queue:
        i = queue.popleft()
        order.append(i)
        for j in dependents[i]:
            waiting[j] -= 1
            if waiting[j] == 0:
                queue.append(j)
    return order


def _cycles(graph: _Graph, candidates: set[int]) -> list[list[int]]:
    """Strongly connected groups that contain a cycle (Tarjan, iterative), among candidates."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    stack: list[int] = []
    on_stack: set[int] = set()
    groups: list[list[int]] = []
    succ_of = {v: [w for w in graph.deps[v] if w in candidates] for v in candidates}
    for root in sorted(candidates):
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            v, pos = work.pop()
            if pos == 0:
                index[v] = low[v] = len(index)
                stack.append(v)
                on_stack.add(v)
            succ = succ_of[v]
            if pos < len(succ):
                work.append((v, pos + 1))
                w = succ[pos]
                if w not in index:
                    work.append((w, 0))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            if low[v] == index[v]:
                group = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    group.append(w)
                    if w == v:
                        break
                if len(group) > 1 or v in graph.deps[v]:
                    groups.append(group)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
    return groups


def _example_cycle(graph: _Graph, group: list[int]) -> list[int]:
    """One concrete cycle inside a strongly connected group, for the message."""
    members = set(group)
    names = graph.systems
    current = min(group, key=lambda i: sort_key(names[i].name))
    path: list[int] = []
    where: dict[int, int] = {}
    while current not in where:
        where[current] = len(path)
        path.append(current)
        inside = [j for j in graph.deps[current] if j in members]
        current = min(inside, key=lambda i: sort_key(names[i].name))
    return path[where[current] :] + [current]


def _proposed_order(graph: _Graph, topo: list[int]) -> list[int]:
    """Dependencies first, then priority, criticality and name.

    A system inherits the most urgent priority of everything that needs it, so a late-listed
    network switch that an urgent system depends on is started with that urgent system.
    """
    systems = graph.systems
    urgency = [s.priority for s in systems]
    for i in reversed(topo):
        for j in graph.dependents[i]:
            if urgency[j] < urgency[i]:
                urgency[i] = urgency[j]
    ranked = sorted(
        topo,
        key=lambda i: (
            urgency[i],
            systems[i].priority,
            systems[i].criticality.rank,
            sort_key(systems[i].name),
        ),
    )
    rank = [0] * len(systems)
    for r, i in enumerate(ranked):
        rank[i] = r
    waiting = [len(d) for d in graph.deps]
    heap = [rank[i] for i in topo if waiting[i] == 0]
    heapq.heapify(heap)
    order: list[int] = []
    while heap:
        i = ranked[heapq.heappop(heap)]
        order.append(i)
        for j in graph.dependents[i]:
            waiting[j] -= 1
            if waiting[j] == 0:
                heapq.heappush(heap, rank[j])
    return order


# --- control: the priority list ---------------------------------------------------------------


def startup_order(systems: Sequence[System]) -> ControlResult:
    """Check that the start-up priority list respects the dependencies.

    Findings: `cycle` (systems that depend on each other in a circle, every member named),
    `unknown_dependency` (a dependency missing from the register) and
    `priority_before_dependency` (a system with a lower priority number, i.e. started earlier,
    than something it depends on; equal priorities mean "together" and are accepted).

    Value: the number of findings, target 0. Verdict: red for any cycle or unknown dependency
    (the list cannot be followed) and for a samhällskritisk system prioritised before
    something it needs; yellow when the only problems are other priority violations; green
    when there are none. details["proposed_order"] is an order that can be followed:
    dependencies first, then priority, criticality (samhällskritisk first) and name.
    Systems in or behind a cycle cannot be ordered and are listed in details["not_orderable"].
    """
    graph = _build_graph(systems)
    topo = _topological(graph)
    cycle_findings: list[Finding] = []
    not_orderable: list[str] = []
    if len(topo) < len(systems):
        placed = set(topo)
        rest = {i for i in range(len(systems)) if i not in placed}
        not_orderable = sorted((systems[i].name for i in rest), key=sort_key)
        cycle_findings = [_cycle_finding(graph, g) for g in _cycles(graph, rest)]
    findings = [
        *cycle_findings,
        *(_unknown_finding(systems[i], name) for i, name in graph.unknown),
        *_priority_findings(graph),
    ]
    order = [systems[i].name for i in _proposed_order(graph, topo)]
    flagged = {f.data["system"] for f in findings if "system" in f.data}
    flagged.update(n for f in cycle_findings for n in f.data["systems"])
    counts = {k: sum(f.kind == k for f in findings) for k in _STARTUP_KINDS}
    return ControlResult(
        control="startup_order",
        value=float(len(findings)),
        target=0.0,
        direction=Direction.AT_MOST,
        verdict=_startup_verdict(findings, graph),
        summary=_startup_summary(len(systems), counts),
        rows=len(systems),
        by_unit=unit_breakdown(systems, flagged),
        findings=tuple(findings),
        parameters={},
        input_sha256=records_sha256(systems=systems),
        details={"proposed_order": order, "not_orderable": not_orderable, "counts": counts},
        count_name="systems_with_problems",
    )


_STARTUP_KINDS = ("cycle", "unknown_dependency", "priority_before_dependency")


def _cycle_finding(graph: _Graph, group: list[int]) -> Finding:
    names = sorted((graph.systems[i].name for i in group), key=sort_key)
    path = [graph.systems[i].name for i in _example_cycle(graph, group)]
    rows = sorted(r for i in group if (r := graph.systems[i].row) is not None)
    message = (
        f"Cirkulärt beroende mellan {name_list(names, limit=len(names))}: "
        f"{' → '.join(path)}. Ingen av dem kan startas först."
    )
    data = {"systems": names, "cycle": path, "rows": rows}
    return Finding("cycle", message, rows[0] if rows else None, data)


def _unknown_finding(system: System, dependency: str) -> Finding:
    message = f"{system.name} beror på {dependency!r}, som inte finns i systemregistret."
    return Finding(
        "unknown_dependency", message, system.row, {"system": system.name, "dependency": dependency}
    )


def _priority_findings(graph: _Graph) -> list[Finding]:
    systems = graph.systems
    out = []
    for i, deps in enumerate(graph.deps):
        mine = systems[i]
        for j in deps:
            other = systems[j]
            if mine.priority < other.priority:
                message = (
                    f"{mine.name} har prioritet {mine.priority} men beror på {other.name}, "
                    f"som har prioritet {other.priority} och alltså startas senare."
                )
                data = {
                    "system": mine.name,
                    "priority": mine.priority,
                    "dependency": other.name,
                    "dependency_priority": other.priority,
                }
                out.append(Finding("priority_before_dependency", message, mine.row, data))
    return out


def _startup_verdict(findings: Sequence[Finding], graph: _Graph) -> Verdict:
    if not findings:
        return Verdict.GREEN
    critical = {s.name for s in graph.systems if s.criticality is Criticality.SOCIETY}
    for finding in findings:
        if finding.kind != "priority_before_dependency" or finding.data["system"] in critical:
            return Verdict.RED
    return Verdict.YELLOW


def _startup_summary(n: int, counts: Mapping[str, int]) -> str:
    systems = plural(n, "system", "system")
    if not any(counts.values()):
        return (
            f"Prioriteringslistan för {systems} följer beroendena: inga cirkulära eller okända "
            "beroenden och inget system startas före något det behöver."
        )
    parts = [
        plural(counts["cycle"], "cirkulärt beroende", "cirkulära beroenden"),
        plural(counts["unknown_dependency"], "okänt beroende", "okända beroenden"),
        f"{counts['priority_before_dependency']} fall där ett system prioriteras före något "
        "det beror på",
    ]
    shown = [p for p, k in zip(parts, _STARTUP_KINDS, strict=True) if counts[k]]
    return f"Prioriteringslistan för {systems} har {name_list(shown)}."


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
