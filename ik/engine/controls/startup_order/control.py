"""Start-up after an outage: does the agreed priority list respect the dependencies?

`startup_order` checks the priority list in the systems register (see `ik.engine.systems`)
against the dependencies and proposes an order that can actually be followed.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ik.engine.controls.continuity_common import (
    index_systems,
    name_list,
    plural,
    records_sha256,
    unit_breakdown,
)
from ik.engine.result import (
    ControlResult,
    Direction,
    Finding,
    Verdict,
)
from ik.engine.systems import Criticality, System, name_key
from ik.lib.swedish import sort_key

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
