"""Benchmark: rendering committee documents in DOCX, PDF and XLSX.

Builds follow-up reports from plain data (no database) and times each renderer on
  empty     a document with one heading: the fixed cost of each format (baseline)
  1x40      one committee's follow-up with 40 control points
  20x40     the oversight report with 20 committees' entries, 40 points each
Every timing runs in a fresh process, which first renders a different small document to load
fonts and code, then times the case once: typst memoises layout within a process, so a
repeated render in the same process would measure its cache, not the work. Each case runs
--runs times; the median is reported. The aim is the 20x40 document under 2 s per format.

    uv run python benchmarks/reports.py [--committees 20] [--points 40] [--runs 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ik.engine.result import Verdict  # noqa: E402
from ik.reports.data import (  # noqa: E402
    ActionRow,
    CommitteeInfo,
    ControlPointRow,
    DeviationRow,
    EntryRow,
    Execution,
    FollowUpData,
    OrganisationInfo,
    PersonInfo,
    PlanInfo,
)
from ik.reports.document import Document, Heading, Meta, Section  # noqa: E402
from ik.reports.followup import build_followup  # noqa: E402
from ik.reports.oversight import CommitteeSummary, OversightData, build_oversight  # noqa: E402
from ik.reports.render_docx import render_docx  # noqa: E402
from ik.reports.render_pdf import render_pdf  # noqa: E402
from ik.reports.render_xlsx import render_xlsx  # noqa: E402

ORGANISATION = OrganisationInfo(
    name="Benchkommun",
    postal_address="123 45 BENCHSTAD",
    visiting_address="Storgatan 1",
    phone="0100-123 45",
    website="www.bench.example",
    email="kommun@bench.example",
    bankgiro="123-4567",
)
RESULT = (
    "Kontrollen har genomförts enligt plan. Stickprovet omfattade 25 poster, varav två "
    "saknade fullständigt underlag. Orsakerna har analyserats och rutinen ses över."
)
EXECUTIONS = list(Execution)
VERDICTS = [Verdict.GREEN, Verdict.YELLOW, Verdict.RED, None]


def followup(committee_no: int, points: int) -> FollowUpData:
    """A committee's follow-up with `points` control points, a few of them deviating."""
    entries = []
    for i in range(1, points + 1):
        point = ControlPointRow(
            position=i,
            process=f"Process {i} inom verksamhetsområde {committee_no}",
            question=f"Sker hanteringen {i} i enlighet med gällande riktlinjer och delegation?",
            method="Stickprov på 25 poster ur ekonomisystemet",
            owner="Ekonomichef, Ekonomiska avdelningen",
            frequency="2 gånger per år",
            common=i <= 3,
            measure_unit="%" if i == 1 else "",
            target=Decimal(5) if i == 1 else None,
        )
        deviations = ()
        if i % 7 == 0:
            action = ActionRow("Rutinen revideras", "Enhetschef", dt.date(2018, 12, 31), "Pågår")
            deviations = (DeviationRow("Underlag saknades", "Mindre avvikelse", (action,)),)
        entries.append(
            EntryRow(
                control_point=point,
                execution=EXECUTIONS[i % len(EXECUTIONS)],
                not_done_reason="Resursbrist",
                result_text=RESULT,
                measured_value=Decimal("6.5") if i == 1 else None,
                assessment=VERDICTS[i % len(VERDICTS)] if i > 1 else None,
                deviations=deviations,
            )
        )
    return FollowUpData(
        organisation=ORGANISATION,
        committee=CommitteeInfo(
            name=f"Nämnd {committee_no}",
            short_name=f"N{committee_no}-förvaltning",
            administration_name=f"Förvaltning {committee_no}",
        ),
        plan=PlanInfo(2018, True, dt.date(2017, 12, 6), "276", f"N{committee_no}/2017:1"),
        cutoff=dt.date(2018, 8, 31),
        entries=tuple(entries),
        case_officer=PersonInfo("Anna Andersson", "Controller", "0100-123 46"),
        signatory=PersonInfo("Bo Berg", "Förvaltningschef"),
    )


def documents(committees: int, points: int) -> dict[str, Document]:
    """The three benchmark cases."""
    empty = Document(Meta(title="Tom"), (Section((Heading("Tom", 1),)),))
    followups = [followup(n, points) for n in range(1, committees + 1)]
    oversight = OversightData(
        organisation=ORGANISATION,
        year=2018,
        cutoff=dt.date(2018, 8, 31),
        committees=tuple(
            CommitteeSummary(committee=f.committee, entries=f.entries) for f in followups
        ),
    )
    return {
        "empty": empty,
        f"1x{points}": build_followup(followup(1, points)),
        f"{committees}x{points}": build_oversight(oversight),
    }


RENDERERS: dict[str, Callable[[Document], bytes]] = {
    "docx": render_docx,
    "pdf": render_pdf,
    "xlsx": render_xlsx,
}


def time_once(fmt: str, case: str, committees: int, points: int) -> tuple[float, int]:
    """Seconds and bytes for one cold render, after warming up on another document."""
    render = RENDERERS[fmt]
    warm_up = Document(Meta(title="Uppvärmning"), (Section((Heading("Uppvärmning", 1),)),))
    render(warm_up)
    document = documents(committees, points)[case]
    start = time.perf_counter()
    data = render(document)
    return time.perf_counter() - start, len(data)


def measure(fmt: str, case: str, args: argparse.Namespace) -> tuple[float, int]:
    """Median seconds over `args.runs` fresh processes, and the output size."""
    times, size = [], 0
    for _ in range(args.runs):
        command = [
            sys.executable,
            __file__,
            "--one",
            fmt,
            case,
            "--committees",
            str(args.committees),
            "--points",
            str(args.points),
        ]
        out = subprocess.run(command, check=True, capture_output=True, text=True).stdout.split()
        times.append(float(out[0]))
        size = int(out[1])
    return statistics.median(times), size


def main() -> None:
    """Print a table of median render times and output sizes."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--committees", type=int, default=20)
    parser.add_argument("--points", type=int, default=40)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--one", nargs=2, metavar=("FORMAT", "CASE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        seconds, size = time_once(args.one[0], args.one[1], args.committees, args.points)
        print(seconds, size)
        return
    cases = ["empty", f"1x{args.points}", f"{args.committees}x{args.points}"]
    print(f"{'case':<8} {'format':<6} {'median s':>9} {'size kB':>9} {'over empty s':>13}")
    for fmt in RENDERERS:
        baseline = 0.0
        for case in cases:
            seconds, size = measure(fmt, case, args)
            baseline = seconds if case == "empty" else baseline
            print(
                f"{case:<8} {fmt:<6} {seconds:>9.3f} {size / 1024:>9.0f} "
                f"{seconds - baseline:>13.3f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
