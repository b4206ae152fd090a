"""Benchmark: `startup_order` against a plain graphlib topological sort of the same graph.

    uv run python benchmarks/startup_order.py [--systems 5000] [--dependencies 20000] [--runs 7]

The register is generated deterministically (fixed seed): an acyclic graph where each system
depends only on systems generated before it, listed in shuffled order, with ten priority
bands that respect the dependencies. Each run times both on the same graph, interleaved; the
script reports the median of each and their ratio. `startup_order` does more than sort
(priority checks, criticality and Swedish-name tie-breaks, findings, fingerprint), so the
aim is to stay within 3x of graphlib.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from graphlib import TopologicalSorter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ik.engine.controls.startup_order.control import startup_order  # noqa: E402
from ik.engine.systems import Criticality, System  # noqa: E402


def generate(n_systems: int, n_dependencies: int, seed: int = 2018) -> list[System]:
    rng = random.Random(seed)
    if n_dependencies > n_systems * (n_systems - 1) // 2:
        raise SystemExit("too many dependencies for an acyclic graph of that size")
    deps: list[set[int]] = [set() for _ in range(n_systems)]
    added = 0
    while added < n_dependencies:
        i = rng.randrange(1, n_systems)
        j = rng.randrange(i)
        if j not in deps[i]:
            deps[i].add(j)
            added += 1
    criticalities = list(Criticality)
    systems = [
        System(
            name=f"System {i:05d}",
            owner_unit=f"Enhet {i % 12}",
            criticality=rng.choice(criticalities),
            priority=1 + i * 10 // n_systems,
            depends_on=tuple(f"System {j:05d}" for j in sorted(deps[i])),
            rto_hours=float(rng.choice([1, 2, 4, 8, 24])),
        )
        for i in range(n_systems)
    ]
    rng.shuffle(systems)
    return systems


def time_once(fn) -> float:
    began = time.perf_counter()
    fn()
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--systems", type=int, default=5000)
    parser.add_argument("--dependencies", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    systems = generate(args.systems, args.dependencies)
    graph = {s.name: s.depends_on for s in systems}

    def baseline() -> None:
        tuple(TopologicalSorter(graph).static_order())

    def control() -> None:
        result = startup_order(systems)
        assert len(result.details["proposed_order"]) == len(systems)

    ours, theirs = [], []
    for _ in range(args.runs):
        theirs.append(time_once(baseline))
        ours.append(time_once(control))
    ours_median, theirs_median = statistics.median(ours), statistics.median(theirs)
    print(f"systems={args.systems} dependencies={args.dependencies} runs={args.runs}")
    print(f"graphlib.TopologicalSorter  median {theirs_median * 1000:8.1f} ms")
    print(f"startup_order               median {ours_median * 1000:8.1f} ms")
    print(f"ratio                       {ours_median / theirs_median:8.2f}x (aim: <= 3x)")


if __name__ == "__main__":
    main()
