"""Latency of the oversight page for a large organisation.

Builds 40 committees × 40 control points (three of them common, with a follow-up each, some
deviations and automated runs) in a throw-away test database, then requests the page
repeatedly through Django's test client and reports p50/p95 against a trivial view
(`/halsa/`) measured in the same run.

    uv run python benchmarks/oversight.py [--committees 40] [--points 40] [--requests 200]
    DATABASE_URL=postgresql://ik:ik@127.0.0.1:5432/ik uv run python benchmarks/oversight.py
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ik.settings")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from page_timing import report, throwaway_database, time_pages  # noqa: E402

from ik.controls.models import ControlRun  # noqa: E402
from ik.followups.models import Action, Deviation, FollowUpEntry  # noqa: E402
from ik.followups.services import followup_create  # noqa: E402
from ik.org.models import Committee, Organisation, Role  # noqa: E402
from ik.plans.models import CommonControlPoint, ControlPoint, Plan, Process  # noqa: E402
from ik.test import TEST_SETUP, make_user  # noqa: E402

COMMON = 3


def _commons(org: Organisation) -> list[CommonControlPoint]:
    return [
        CommonControlPoint.objects.create(
            organisation=org,
            year=2018,
            process=f"Gemensam process {i}",
            question=f"Gemensamt kontrollmoment {i}?",
            method="Automatisk kontroll",
            owner_text="Ekonomichef",
            frequency="2 gånger per år",
            measure_unit="%" if i == 0 else "",
            target=Decimal(5) if i == 0 else None,
            warning_limit=Decimal(7) if i == 0 else None,
        )
        for i in range(COMMON)
    ]


def _plan(committee: Committee, commons: list[CommonControlPoint], points: int) -> Plan:
    plan = Plan.objects.create(committee=committee, year=2018, status=Plan.Status.ADOPTED)
    processes = [
        Process.objects.create(plan=plan, name=f"Process {i}", position=i) for i in range(8)
    ]
    ControlPoint.objects.bulk_create(
        [
            ControlPoint(
                plan=plan,
                process=processes[i % 8],
                position=i + 1,
                question=f"Kontrollmoment {i}?",
                method="Stickprov",
                owner_text="Ekonomichef",
                frequency="2 gånger per år",
                common=commons[i] if i < COMMON else None,
                target=Decimal(5) if i % 3 == 0 else None,
                measure_unit="%",
            )
            for i in range(points)
        ]
    )
    return plan


def _fill(plan: Plan, c: int) -> None:
    followup = followup_create(plan=plan, cutoff=date(2018, 8, 31), by=TEST_SETUP)
    entries = list(followup.entries.select_related("control_point"))
    colours = ["green", "green", "yellow", "red", ""]
    for i, entry in enumerate(entries):
        entry.execution_status = FollowUpEntry.Execution.DONE
        entry.result_text = "Resultat " * 20
        entry.assessment = colours[(i + c) % len(colours)]
        if entry.control_point.target is not None:
            entry.measured_value = Decimal(c % 10)
    FollowUpEntry.objects.bulk_update(
        entries, ["execution_status", "result_text", "assessment", "measured_value"]
    )
    for entry in entries[:: len(colours)]:
        deviation = Deviation.objects.create(entry=entry, description="Avvikelse", severity="minor")
        Action.objects.create(
            deviation=deviation,
            description="Åtgärd",
            owner_text="Chef",
            due_date=date(2018, 11, 30),
        )
    if c % 2 == 0:
        late = next(e for e in entries if e.control_point.position == 1)
        ControlRun.objects.create(
            entry=late,
            control="late_payments",
            status=ControlRun.Status.DONE,
            rows=5000,
            result={"rows": 5000, "details": {"paid": 4000 + c}, "findings": [{}] * 200},
        )


def build(committees: int, points: int) -> tuple[Organisation, object]:
    org = Organisation.objects.create(code="bench", name="Benchkommun")
    controller = make_user("bench-controller", organisation=org, role=Role.CONTROLLER)
    commons = _commons(org)
    for c in range(committees):
        committee = Committee.objects.create(
            organisation=org, code=f"n{c}", name=f"Nämnd {c}", is_executive_board=c == 0
        )
        _fill(_plan(committee, commons, points), c)
    return org, controller


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--committees", type=int, default=40)
    parser.add_argument("--points", type=int, default=40)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    with throwaway_database():
        org, controller = build(args.committees, args.points)
        client = Client()
        client.force_login(controller)
        page = reverse("oversight:overview", args=[org.code]) + "?ar=2018&per=2018-08-31"
        results = time_pages(client, {"oversight page": page}, args.requests)
        report(
            results,
            f"{args.committees} committees × {args.points} control points; "
            f"{args.requests} requests each",
        )


if __name__ == "__main__":
    main()
