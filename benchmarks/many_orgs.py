"""Many municipalities on one instance: do one organisation's pages slow down as others grow?

Builds one organisation (20 committees × 40 control points, plans and two follow-ups a year
for two years) in a throw-away test database and times its pages; then adds 49 more such
organisations with bulk_create and times the same pages again. Reports p50/p95, the ratio
large/single for each page (aim: within 2×) and the query count of each page in both runs
(aim: the same).

    uv run python benchmarks/many_orgs.py [--organisations 50] [--committees 20] [--points 40]
    DATABASE_URL=postgresql://ik:ik@127.0.0.1:5432/ik_bench uv run python benchmarks/many_orgs.py
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ik.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from page_timing import measure as measure_page  # noqa: E402
from page_timing import pct, throwaway_database  # noqa: E402

from ik.followups.models import FollowUp, FollowUpEntry  # noqa: E402
from ik.org.models import Committee, Membership, Organisation, Person, Role  # noqa: E402
from ik.plans.models import ControlPoint, Plan, Process  # noqa: E402

YEARS = (2024, 2025)
CUTOFFS = ((8, 31), (12, 31))
PROCESSES = 8
BATCH = 5000
EXECUTIONS = [e.value for e in FollowUpEntry.Execution]


def build_organisation(n: int, committees: int, points: int) -> Organisation:
    """One organisation with its controller, plans, control points and follow-ups."""
    org = Organisation.objects.create(code=f"kommun{n}", name=f"Kommun {n}")
    user = get_user_model().objects.create(username=f"controller{n}", password="!")
    Membership.objects.create(user=user, organisation=org, role=Role.CONTROLLER)
    owner = Person.objects.create(organisation=org, name=f"Ägare {n}")
    boards = Committee.objects.bulk_create(
        Committee(organisation=org, code=f"n{c}", name=f"Nämnd {c}", is_executive_board=c == 0)
        for c in range(committees)
    )
    plans = Plan.objects.bulk_create(
        Plan(committee=b, year=y, status=Plan.Status.ADOPTED, decided_on=date(y - 1, 12, 6))
        for b in boards
        for y in YEARS
    )
    processes = Process.objects.bulk_create(
        (Process(plan=p, name=f"Process {i}", position=i) for p in plans for i in range(PROCESSES)),
        batch_size=BATCH,
    )
    by_plan = {p.pk: processes[k * PROCESSES : (k + 1) * PROCESSES] for k, p in enumerate(plans)}
    control_points = ControlPoint.objects.bulk_create(
        (
            ControlPoint(
                public_id=uuid.uuid4(),
                plan=p,
                process=by_plan[p.pk][i % PROCESSES],
                position=i + 1,
                question=f"Kontrollmoment {i}?",
                method="Stickprov",
                owner_text="Ekonomichef",
                owner_person=owner if i % 4 == 0 else None,
                frequency="2 gånger per år",
                target=Decimal(5) if i % 3 == 0 else None,
                measure_unit="%",
            )
            for p in plans
            for i in range(points)
        ),
        batch_size=BATCH,
    )
    followups = FollowUp.objects.bulk_create(
        FollowUp(
            plan=p,
            cutoff=date(p.year, m, d),
            due_on=date(p.year, m, d),
            status=FollowUp.Status.REPORTED if p.year < YEARS[-1] else FollowUp.Status.OPEN,
        )
        for p in plans
        for m, d in CUTOFFS
    )
    points_of = {p.pk: control_points[k * points : (k + 1) * points] for k, p in enumerate(plans)}
    FollowUpEntry.objects.bulk_create(
        (
            FollowUpEntry(
                public_id=uuid.uuid4(),
                followup=f,
                control_point=cp,
                execution_status=EXECUTIONS[(cp.position + f.cutoff.month) % len(EXECUTIONS)],
                not_done_reason="Personalbrist",
                result_text="Resultat " * 10,
            )
            for f in followups
            for cp in points_of[f.plan_id]
        ),
        batch_size=BATCH,
    )
    return org


def analyze() -> None:
    """Fresh planner statistics, as autovacuum would have gathered after a bulk load."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def pages_of(org: Organisation) -> dict[str, str]:
    plan = Plan.objects.filter(committee__organisation=org, year=YEARS[-1]).order_by("pk")[0]
    followup = plan.followups.order_by("cutoff")[0]
    return {
        "start": reverse("web:home"),
        "organisation": reverse("web:organisation_detail", args=[org.code]),
        "committee": reverse("web:committee_detail", args=[org.code, "n0"]),
        "plan": reverse("plans:plan_detail", args=[plan.public_id]),
        "follow-up": reverse("followups:followup_detail", args=[followup.public_id]),
        "oversight": reverse("oversight:overview", args=[org.code]) + f"?ar={YEARS[-1]}",
    }


def time_all(client: Client, pages: dict[str, str], requests: int) -> dict[str, tuple]:
    results = {}
    for name, url in pages.items():
        times = measure_page(client, url, requests)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        results[name] = (pct(times, 50), pct(times, 95), len(queries))
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--organisations", type=int, default=50)
    parser.add_argument("--committees", type=int, default=20)
    parser.add_argument("--points", type=int, default=40)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()

    with throwaway_database():
        started = time.perf_counter()
        first = build_organisation(0, args.committees, args.points)
        one_org = time.perf_counter() - started
        analyze()
        client = Client()
        client.force_login(get_user_model().objects.get(username="controller0"))
        pages = pages_of(first)
        single = time_all(client, pages, args.requests)

        started = time.perf_counter()
        for n in range(1, args.organisations):
            build_organisation(n, args.committees, args.points)
        built = time.perf_counter() - started
        analyze()
        large = time_all(client, pages, args.requests)

    entries = len(YEARS) * len(CUTOFFS) * args.committees * args.points
    print(
        f"Database: {connection.vendor}; {args.organisations} organisations × "
        f"{args.committees} committees × {args.points} control points, {len(YEARS)} years, "
        f"{entries} follow-up entries per organisation"
    )
    print(
        f"Generated: first organisation {one_org:.1f} s, the other {args.organisations - 1} "
        f"in {built:.1f} s ({built / max(1, args.organisations - 1):.2f} s each)"
    )
    print(
        f"{'page':<14}{'1 org p50':>10}{'p95':>8}{'q':>4}{'N orgs p50':>12}{'p95':>8}{'q':>4}"
        f"{'p50 ×':>8}"
    )
    for name in pages:
        s50, s95, sq = single[name]
        l50, l95, lq = large[name]
        print(
            f"{name:<14}{s50 * 1000:>10.1f}{s95 * 1000:>8.1f}{sq:>4}{l50 * 1000:>12.1f}"
            f"{l95 * 1000:>8.1f}{lq:>4}{l50 / s50:>8.2f}"
        )


if __name__ == "__main__":
    main()
