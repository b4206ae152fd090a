"""The overview page: every committee's plan and follow-up, and the common points compared."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ik.controls.models import ControlRun
from ik.demo import exempelkommun
from ik.followups.models import FollowUpEntry
from ik.followups.services import (
    action_create,
    deviation_register,
    entry_record,
    followup_create,
)
from ik.org.models import Committee, Organisation, Role
from ik.oversight.queries import load_overview
from ik.plans.models import CommonControlPoint, Direction
from ik.plans.services import plan_create
from ik.reports.oversight import AverageKind, Placement
from ik.test import TEST_SETUP, BaseTestCase, make_user

URL = "/o/exempelkommun/oversikt/"


@pytest.fixture
def demo(db):
    org = exempelkommun.load({})
    controller = make_user("kim", organisation=org, role=Role.CONTROLLER)
    return org, controller


def _summaries(org, cutoff=date(2018, 8, 31)):
    data = load_overview(org, 2018, cutoff)
    return data, {s.committee.code: s for s in data.committees}


def test_the_demo_committees_at_31_august(demo):
    data, rows = _summaries(demo[0])
    assert [s.committee.code for s in data.committees][0] == "ks"
    ks, bun, sn, kfn, sbn = (rows[c] for c in ("ks", "bun", "sn", "kfn", "sbn"))
    assert (ks.plan_status_label, ks.followup_status_label) == ("Fastställd", "Rapporterad")
    assert (ks.green, ks.yellow, ks.red, ks.unassessed) == (5, 0, 0, 0)
    assert (bun.followup_status_label, bun.green, bun.yellow, bun.unassessed) == ("Pågår", 0, 1, 4)
    assert (sn.followup_status, sn.red, sn.unassessed) == ("open", 1, 4)
    assert (kfn.green, kfn.unassessed) == (4, 0)
    assert (sbn.plan_status_label, sbn.followup_id, sbn.followup_status_label) == (
        "Utkast",
        "",
        "Ingen",
    )
    # Both actions are due 2018-11-30: at 31 August open, and not yet late.
    assert (bun.open_deviations, bun.overdue_actions) == (1, 0)
    assert (sn.open_deviations, sn.overdue_actions) == (1, 0)


def test_deviations_and_actions_are_counted_as_at_the_cutoff_not_today(demo):
    _, rows = _summaries(demo[0], date(2018, 12, 31))
    # BUN closed its action on 2018-12-15; SN's, due 2018-11-30, is late at 31 December.
    assert (rows["bun"].open_deviations, rows["bun"].overdue_actions) == (0, 0)
    assert (rows["sn"].open_deviations, rows["sn"].overdue_actions) == (1, 1)


def test_the_demo_late_payments_side_by_side(demo):
    data, _ = _summaries(demo[0])
    late = next(p for p in data.common_points if p.process == "Försent betalda fakturor")
    answers = {a.committee.code: a for a in late.answers}
    assert (answers["ks"].verdict.label, answers["ks"].measured_value) == ("Grön", Decimal("3.2"))
    assert (answers["bun"].verdict.label, answers["bun"].measured_value) == ("Gul", Decimal("6.1"))
    assert (answers["sn"].verdict.label, answers["sn"].measured_value) == ("Röd", Decimal("9.4"))
    assert (answers["kfn"].verdict.label, answers["kfn"].measured_value) == ("Grön", Decimal("4.8"))
    assert answers["sbn"].placement is Placement.NO_FOLLOWUP
    total = late.aggregate
    # No automated runs in the demo: the plain mean of 3,2, 6,1, 9,4 and 4,8.
    assert (total.kind, total.value, total.verdict.label) == (
        AverageKind.MEAN,
        Decimal("5.9"),
        "Gul",
    )
    assert (total.missing, total.unassessed) == (1, 0)


def test_runs_with_invoice_counts_weight_the_municipal_figure(demo):
    org = demo[0]
    for code, paid in (("ks", 9000), ("bun", 500), ("sn", 400), ("kfn", 100)):
        entry = FollowUpEntry.objects.get(
            followup__plan__committee__code=code,
            followup__cutoff="2018-08-31",
            control_point__common__process="Försent betalda fakturor",
            followup__plan__committee__organisation=org,
        )
        # An older run must not count: only the latest finished run on the entry does.
        ControlRun.objects.create(
            entry=entry, control="late_payments", status="done", result={"details": {"paid": 1}}
        )
        ControlRun.objects.create(
            entry=entry,
            control="late_payments",
            status="done",
            rows=paid + 50,
            result={"rows": paid + 50, "details": {"paid": paid}},
        )
    data, _ = _summaries(org)
    total = next(p for p in data.common_points if p.target is not None).aggregate
    expected = (
        Decimal("3.2") * 9000 + Decimal("6.1") * 500 + Decimal("9.4") * 400 + Decimal("4.8") * 100
    ) / 10000
    assert total.kind is AverageKind.WEIGHTED
    assert total.weight_total == 10000
    assert total.value == expected.quantize(Decimal("0.1"))
    assert total.verdict.label == "Grön"


def test_the_page_shows_the_committees_and_the_common_points(demo, client):
    client.force_login(demo[1])
    response = client.get(URL, {"ar": 2018, "per": "2018-08-31"})
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("Kommunstyrelsen", "Barn- och utbildningsnämnden", "Samhällsbyggnadsnämnden"):
        assert name in html
    assert "3,2\xa0%" in html and "9,4\xa0%" in html and "5,9\xa0%" in html
    assert "Oviktat medelvärde av 4 nämnders mätvärden" in html
    assert "Rapporterad" in html and "Utkast" in html
    assert 'scope="row"' in html and "<caption" in html
    assert reverse("oversight:overview_report", args=["exempelkommun", "pdf"]) in html


def test_the_page_defaults_to_the_latest_year_and_cutoff(demo, client):
    client.force_login(demo[1])
    response = client.get(URL)
    assert response.context["selection"].year == 2018
    assert response.context["selection"].cutoff == date(2018, 12, 31)
    assert response.context["selection"].cutoffs == [date(2018, 12, 31), date(2018, 8, 31)]


def test_unknown_year_or_cutoff_is_404(demo, client):
    client.force_login(demo[1])
    for query in ({"ar": 2017}, {"ar": "x"}, {"ar": 2018, "per": "2018-06-30"}, {"per": "31/8"}):
        assert client.get(URL, query).status_code == 404, query


def test_an_organisation_without_plans_says_so(db, client):
    org = Organisation.objects.create(code="tom", name="Tomkommun")
    client.force_login(make_user("tom", organisation=org, role=Role.AUDITOR))
    response = client.get("/o/tom/oversikt/")
    assert response.status_code == 200
    assert "Ingen nämnd har någon internkontrollplan än." in response.content.decode()


def _municipality(committees: int) -> tuple[Organisation, object]:
    org = Organisation.objects.create(code=f"k{committees}", name=f"Kommun {committees}")
    for i in range(3):
        CommonControlPoint.objects.create(
            organisation=org,
            year=2018,
            process=f"Gemensam {i}",
            question="?",
            method="Stickprov",
            owner_text="Ekonomichef",
            frequency="En gång per år",
            target=Decimal(5) if i == 0 else None,
            direction=Direction.AT_MOST,
            measure_unit="%",
        )
    for c in range(committees):
        committee = Committee.objects.create(
            organisation=org, code=f"n{c}", name=f"Nämnd {c}", is_executive_board=c == 0
        )
        plan = plan_create(committee=committee, year=2018, by=TEST_SETUP)
        if c % 4 == 3:
            continue  # some committees have no follow-up yet
        followup = followup_create(plan=plan, cutoff=date(2018, 8, 31), by=TEST_SETUP)
        for entry in followup.entries.select_related("control_point", "followup"):
            entry_record(
                entry=entry,
                by=TEST_SETUP,
                execution_status="done",
                result_text="Klart.",
                measured_value=Decimal(c % 9) if entry.control_point.target else None,
                assessment="" if entry.control_point.target else "green",
            )
            ControlRun.objects.create(
                entry=entry,
                control="late_payments",
                status="done",
                result={"details": {"paid": 10}},
            )
            deviation = deviation_register(
                entry=entry, by=TEST_SETUP, description="x", severity="minor"
            )
            action_create(
                deviation=deviation,
                by=TEST_SETUP,
                description="y",
                owner_text="z",
                due_date=timezone.localdate() - timedelta(days=1),
            )
    return org, make_user(f"controller{committees}", organisation=org, role=Role.CONTROLLER)


def test_the_page_costs_the_same_queries_for_3_and_12_committees(db, client):
    counts = []
    for size in (3, 12):
        org, user = _municipality(size)
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/o/{org.code}/oversikt/")
        assert response.status_code == 200
        assert len(response.context["data"].committees) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


class OverviewViewTests(BaseTestCase):
    def url(self, org: str = "testkommun") -> str:
        return reverse("oversight:overview", args=[org])

    def test_controller_sees_the_overview_with_drill_down_links(self):
        self.client.force_login(self.controller)
        response = self.client.get(self.url())
        assert response.status_code == 200
        html = response.content.decode()
        assert reverse("followups:followup_detail", args=[self.followup.public_id]) in html
        assert reverse("plans:plan_detail", args=[self.sn_plan.public_id]) in html

    def test_board_politician_sees_links_only_to_what_they_may_open(self):
        self.client.force_login(self.politician)
        html = self.client.get(self.url()).content.decode()
        assert "Socialnämnden" in html
        assert reverse("plans:plan_detail", args=[self.plan.public_id]) in html
        assert reverse("plans:plan_detail", args=[self.sn_plan.public_id]) not in html

    def test_other_organisation_is_404(self):
        self.client.force_login(self.controller)
        assert self.client.get(self.url("annan")).status_code == 404
        assert (
            self.client.get(reverse("oversight:overview_report", args=["annan", "pdf"])).status_code
            == 404
        )

    def test_control_owner_is_403(self):
        self.client.force_login(self.owner)
        assert self.client.get(self.url()).status_code == 403
        assert (
            self.client.get(
                reverse("oversight:overview_report", args=["testkommun", "pdf"])
            ).status_code
            == 403
        )

    def test_post_is_405(self):
        self.client.force_login(self.controller)
        assert self.client.post(self.url()).status_code == 405
        assert (
            self.client.post(
                reverse("oversight:overview_report", args=["testkommun", "pdf"])
            ).status_code
            == 405
        )

    def test_the_menu_links_the_overview_for_overseers_only(self):
        self.client.force_login(self.auditor)
        assert f'href="{self.url()}"' in self.client.get(reverse("web:home")).content.decode()
        self.client.force_login(self.owner)
        assert "Översikt" not in self.client.get(reverse("web:home")).content.decode()
