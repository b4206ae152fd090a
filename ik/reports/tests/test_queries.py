from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from ik.demo import mjolby
from ik.engine.result import Direction
from ik.followups.models import FollowUp
from ik.followups.services import entries_for_new_point
from ik.org.models import Committee, Organisation
from ik.plans.services import control_point_create
from ik.reports.data import Execution, ProposalSource
from ik.reports.queries import load_followup, load_plan
from ik.test import TEST_SETUP, make_plan


@pytest.fixture
def demo_followup(db):
    mjolby.load({})
    return FollowUp.objects.get(
        plan__committee__organisation__code="mjolby", plan__year=2018, cutoff="2018-08-31"
    )


def test_followup_input_holds_the_demo_committee_item(demo_followup):
    data = load_followup(demo_followup)
    assert data.committee.short_name == "KS-förvaltning"
    assert data.plan.case_number == "KS/2017:335"
    assert (data.plan.decided_on.isoformat(), data.plan.decision_paragraph) == (
        "2017-12-06",
        "§ 276",
    )
    assert data.proposal_source is ProposalSource.ADMINISTRATION
    assert data.distribution == ("Kommunstyrelsen", "Akten")
    assert data.case_officer.phone == "0142-851 56"
    assert [e.control_point.position for e in data.entries] == [1, 2, 3, 4, 5]
    assert [e.control_point.common for e in data.entries] == [True, True, True, False, False]
    first = data.entries[0]
    assert first.execution is Execution.IN_PROGRESS
    assert (first.measured_value, first.control_point.target) == (Decimal(8), Decimal(5))
    assert first.control_point.direction is Direction.AT_MOST
    assert [d.severity for d in first.deviations] == ["Väsentlig avvikelse"]
    assert first.deviations[0].actions[0].status == "Planerad"


def test_followup_loads_in_six_queries_whatever_the_plan_size(
    demo_followup, django_assert_num_queries
):
    with django_assert_num_queries(6):
        load_followup(demo_followup)
    plan = demo_followup.plan
    # Only a draft takes new control points; the size of the plan is what matters here.
    plan.status = plan.Status.DRAFT
    plan.save(update_fields=["status"])
    for i in range(10):
        control_point_create(
            on_added=entries_for_new_point,
            plan=plan,
            by=TEST_SETUP,
            process_name=f"Extra {i}",
            question="?",
            method="Stickprov",
            owner_text="Ägare",
            frequency="En gång per år",
        )
    with django_assert_num_queries(6):
        data = load_followup(demo_followup)
    assert len(data.entries) == 15


def test_plan_with_its_risks_and_wording_loads_in_four_queries(
    demo_followup, django_assert_num_queries
):
    plan = demo_followup.plan
    with django_assert_num_queries(4):
        data = load_plan(plan)
    assert data.plan.adopted and len(data.control_points) == 5
    assert len(data.risks) == 9


@pytest.mark.django_db
def test_organisation_logo_is_read_from_storage_and_blank_settings_stay_blank(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    org = Organisation.objects.create(code="prov", name="Provkommun")
    org.logo.save("logo.svg", ContentFile(b"<svg xmlns='http://www.w3.org/2000/svg'/>"))
    committee = Committee.objects.create(organisation=org, code="ks", name="Kommunstyrelsen")
    data = load_plan(make_plan(committee))
    assert data.organisation.logo.startswith(b"<svg")
    assert data.organisation.fax == "" and data.committee.administration_name == ""
    assert not data.plan.adopted
