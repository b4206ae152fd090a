import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from ik.demo import exempelkommun
from ik.followups.models import FollowUp, FollowUpEntry
from ik.org.models import AuditEvent, Committee, Organisation
from ik.plans.models import ControlPoint, CycleDeadline, Plan

REFERENCE_METHODS = [
    "Genomgång av samtliga fakturor i Raintance",
    "Simulering av ett driftstopp",
    "Avstämning av det löpande arbetet",
    "Stickprov på 2 vitala roller inom IT inom system och nätverk.",
    "Att kontrollera 2 system som anses vara kritiska.",
]


@pytest.mark.django_db
def test_loaddemo_holds_the_reference_plan_verbatim_and_is_idempotent():
    call_command("loaddemo", stdout=io.StringIO())
    counts = [
        m.objects.count()
        for m in (Organisation, Committee, Plan, ControlPoint, FollowUpEntry, AuditEvent)
    ]
    call_command("loaddemo", stdout=io.StringIO())
    assert [
        m.objects.count()
        for m in (Organisation, Committee, Plan, ControlPoint, FollowUpEntry, AuditEvent)
    ] == counts

    plan = Plan.objects.get(committee__organisation__code="mjolby", year=2018)
    assert (plan.case_number, plan.decision_reference) == ("KS/2017:335", "§ 276/2017-12-06")
    points = list(plan.control_points.order_by("position"))
    assert [p.method for p in points] == REFERENCE_METHODS
    assert [p.process_label for p in points][:3] == [
        "1. Försent betalda fakturor (kommungemensamt)",
        "2. Systemprioritering uppstart (kommungemensamt)",
        "3. Framtagande av ny energiplan (kommungemensamt)",
    ]
    assert points[3].process_label == "4. Kompetens digitala system"
    entry = points[0].entries.get()
    assert entry.measured_value == Decimal(8) and points[0].target == Decimal(5)
    assert entry.assessment == "red"
    assert entry.result_text.startswith("Senaste uppföljningen visar för KS-förvaltningsdel")


@pytest.mark.django_db
def test_exempelkommun_shares_three_common_points_in_every_committee():
    call_command("loaddemo", stdout=io.StringIO())
    plans = Plan.objects.filter(committee__organisation__code="exempelkommun")
    assert plans.count() >= 4
    for plan in plans:
        assert plan.control_points.filter(common__isnull=False).count() == 3
    assessments = set(
        FollowUpEntry.objects.filter(followup__plan__in=plans).values_list("assessment", flat=True)
    )
    assert {"green", "yellow", "red"} <= assessments


@pytest.mark.django_db
def test_exempelkommun_follows_the_year_it_is_loaded_while_mjolby_stays_in_2018(monkeypatch):
    monkeypatch.setattr(exempelkommun, "today", lambda: date(2031, 10, 15))
    call_command("loaddemo", stdout=io.StringIO())
    years = set(
        Plan.objects.filter(committee__organisation__code="exempelkommun").values_list(
            "year", flat=True
        )
    )
    assert years == {2031}
    ks = Plan.objects.get(committee__organisation__code="exempelkommun", committee__code="ks")
    assert ks.decided_on.year == 2030 and ks.case_number.startswith("KS/2030:")
    cutoffs = set(FollowUp.objects.filter(plan=ks).values_list("cutoff", "due_on"))
    assert cutoffs == {
        (date(2031, 8, 31), date(2031, 9, 10)),
        (date(2031, 12, 31), date(2032, 1, 10)),
    }
    assert CycleDeadline.objects.filter(organisation__code="exempelkommun", year=2031).count() == 3
    assert Plan.objects.get(committee__organisation__code="mjolby").year == 2018


@pytest.mark.django_db
def test_each_demo_user_is_printed_once():
    out = io.StringIO()
    call_command("loaddemo", stdout=out)
    lines = [line.split()[0] for line in out.getvalue().splitlines() if line.startswith("  ")]
    assert len(lines) == len(set(lines))
    controller = next(line for line in out.getvalue().splitlines() if "controller " in line)
    assert "Mjölby kommun" in controller and "Exempelkommun" in controller
