"""Latency of the plan page and the start page for a large organisation.

Builds 20 committees × 40 control points (with a follow-up each) in a throw-away test
database, then requests each page repeatedly through Django's test client and reports
p50/p95 against a trivial view (`/halsa/`) measured in the same run.

    uv run python benchmarks/pages.py [--committees 20] [--points 40] [--requests 200]
    DATABASE_URL=postgresql://ik:ik@127.0.0.1:5432/ik uv run python benchmarks/pages.py
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

from ik.followups.models import FollowUpEntry  # noqa: E402
from ik.followups.services import followup_create  # noqa: E402
from ik.org.models import Committee, Organisation, Person, Role  # noqa: E402
from ik.plans.models import ControlPoint, Plan, Process  # noqa: E402
from ik.test import TEST_SETUP, make_user  # noqa: E402


def build(committees: int, points: int) -> tuple[Plan, object]:
    org = Organisation.objects.create(code="bench", name="Benchkommun")
    owner_person = Person.objects.create(organisation=org, name="Ägare")
    owner = make_user("bench-owner", organisation=org, role=Role.CONTROL_OWNER, person=owner_person)
    first_plan = None
    for c in range(committees):
        committee = Committee.objects.create(
            organisation=org, code=f"n{c}", name=f"Nämnd {c}", is_executive_board=c == 0
        )
        plan = Plan.objects.create(committee=committee, year=2018)
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
                    owner_person=owner_person if i % 4 == 0 else None,
                    target=Decimal(5) if i % 3 == 0 else None,
                    measure_unit="%",
                )
                for i in range(points)
            ]
        )
        followup = followup_create(plan=plan, cutoff=date(2018, 8, 31), by=TEST_SETUP)
        followup.entries.update(
            result_text="Resultat " * 20, execution_status=FollowUpEntry.Execution.IN_PROGRESS
        )
        first_plan = first_plan or plan
    return first_plan, owner


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--committees", type=int, default=20)
    parser.add_argument("--points", type=int, default=40)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    with throwaway_database():
        plan, owner = build(args.committees, args.points)
        client = Client()
        client.force_login(owner)
        pages = {"plan page": plan.get_absolute_url(), "start page": reverse("web:home")}
        results = time_pages(client, pages, args.requests)
        report(
            results,
            f"{args.committees} committees × {args.points} control points; "
            f"{args.requests} requests each",
        )


if __name__ == "__main__":
    main()
