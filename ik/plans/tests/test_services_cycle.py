"""The plan's status flow, locked plans, common control points, next year's plan, deadlines."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ik.followups.models import FollowUp
from ik.followups.services import deviating_point_ids, entries_for_new_point, followup_create
from ik.org.models import AuditEvent
from ik.plans import services
from ik.plans.models import CommonControlPoint, ControlPoint, CycleDeadline, Plan
from ik.risks.services import risks_copy
from ik.test import TEST_SETUP, BaseTestCase, mark_adopted

COMMON = {
    "year": 2018,
    "process": "Representation",
    "question": "Finns deltagarförteckning?",
    "method": "Stickprov på 10 verifikationer",
    "owner_text": "Förvaltningschef",
    "frequency": "2 gånger per år",
}


def adopt(plan):
    return services.plan_adopt(
        plan=plan,
        by=TEST_SETUP,
        decided_on=date(2017, 12, 6),
        decision_paragraph="1",
        case_number="X",
    )


class StatusFlowTests(BaseTestCase):
    def test_submit_return_and_adopt_are_recorded(self):
        services.plan_submit(plan=self.plan, by=self.secretary)
        assert Plan.objects.get(pk=self.plan.pk).status == Plan.Status.SUBMITTED
        services.plan_return(plan=self.plan, by=self.secretary, reason="  Saknar IT-risker ")
        assert Plan.objects.get(pk=self.plan.pk).status == Plan.Status.DRAFT
        event = AuditEvent.objects.get(action="plan_return")
        assert event.changes["reason"] == "Saknar IT-risker"
        assert event.changes["status"] == ["submitted", "draft"]
        assert "Saknar IT-risker" in event.summary
        services.plan_submit(plan=self.plan, by=self.secretary)
        adopt(self.plan)
        assert Plan.objects.get(pk=self.plan.pk).is_adopted

    def test_only_a_draft_with_points_can_be_submitted(self):
        empty = services.plan_create(committee=self.ks, year=2019, by=TEST_SETUP)
        with pytest.raises(ValidationError, match="utan kontrollmoment"):
            services.plan_submit(plan=empty, by=TEST_SETUP)
        services.plan_submit(plan=self.plan, by=TEST_SETUP)
        with pytest.raises(ValidationError, match="Bara ett utkast"):
            services.plan_submit(plan=self.plan, by=TEST_SETUP)

    def test_only_a_submitted_plan_can_be_returned_and_only_with_a_reason(self):
        with pytest.raises(ValidationError, match="Bara en inskickad"):
            services.plan_return(plan=self.plan, by=TEST_SETUP, reason="x")
        services.plan_submit(plan=self.plan, by=TEST_SETUP)
        with pytest.raises(ValidationError) as caught:
            services.plan_return(plan=self.plan, by=TEST_SETUP, reason="   ")
        assert caught.value.message_dict == {"reason": ["Ange varför planen återförvisas."]}

    def test_an_adopted_plan_cannot_be_adopted_again(self):
        adopt(self.plan)
        with pytest.raises(ValidationError, match="redan fastställd"):
            adopt(self.plan)


class LockedPlanTests(BaseTestCase):
    def test_no_new_points_in_submitted_or_adopted_plans(self):
        services.plan_submit(plan=self.plan, by=TEST_SETUP)
        with pytest.raises(ValidationError, match="inskickad"):
            services.control_point_create(
                on_added=entries_for_new_point,
                plan=self.plan,
                by=TEST_SETUP,
                process_name="P",
                question="Q",
                method="M",
                owner_text="O",
                frequency="F",
            )
        adopt(self.plan)
        with pytest.raises(ValidationError, match="fastställd"):
            services.control_point_create(
                on_added=entries_for_new_point,
                plan=self.plan,
                by=TEST_SETUP,
                process_name="P",
                question="Q",
                method="M",
                owner_text="O",
                frequency="F",
            )

    def test_an_adopted_plan_keeps_its_wording_but_takes_notes_and_owner(self):
        adopt(self.plan)
        point = ControlPoint.objects.get(pk=self.point.pk)
        with pytest.raises(ValidationError, match="Bara ansvarig person"):
            services.control_point_update(point=point, by=TEST_SETUP, question="Ny fråga?")
        with pytest.raises(ValidationError):
            services.control_point_update(point=point, by=TEST_SETUP, process_name="Annan process")
        services.control_point_update(
            point=point,
            by=TEST_SETUP,
            local_note="Utökat stickprov",
            owner_person=None,
            question=point.question,
            process_name=point.process.name,
        )
        point.refresh_from_db()
        assert point.local_note == "Utökat stickprov"
        assert point.owner_person is None
        assert point.question == "Fråga 1?"

    def test_a_committee_cannot_change_the_decided_fields_of_a_common_point(self):
        common = services.common_create(
            on_added=entries_for_new_point, organisation=self.org, by=TEST_SETUP, **COMMON
        )
        point = self.plan.control_points.get(common=common)
        services.control_point_update(
            point=point, by=TEST_SETUP, question="Annat", process_name="Annat", local_note="Not"
        )
        point.refresh_from_db()
        assert (point.question, point.process.name, point.local_note) == (
            COMMON["question"],
            "Representation",
            "Not",
        )


class CommonTests(BaseTestCase):
    def test_creating_a_common_point_adds_it_to_every_plan_of_the_year_with_an_audit(self):
        adopt(self.sn_plan)
        common = services.common_create(
            on_added=entries_for_new_point, organisation=self.org, by=self.controller, **COMMON
        )
        assert set(common.control_points.values_list("plan", flat=True)) == {
            self.plan.pk,
            self.sn_plan.pk,
        }
        assert AuditEvent.objects.filter(action="control_point_add_common").count() == 2
        assert AuditEvent.objects.filter(action="common_create").count() == 1
        assert not self.foreign_plan.control_points.filter(common=common).exists()

    def test_open_followups_get_an_entry_and_reported_ones_do_not(self):
        reported = followup_create(plan=self.plan, cutoff=date(2018, 4, 30), by=TEST_SETUP)
        reported.status = FollowUp.Status.REPORTED
        reported.save()
        common = services.common_create(
            on_added=entries_for_new_point, organisation=self.org, by=TEST_SETUP, **COMMON
        )
        point = self.plan.control_points.get(common=common)
        assert self.followup.entries.filter(control_point=point).exists()
        assert not reported.entries.filter(control_point=point).exists()

    def test_plans_created_later_already_have_it(self):
        common = services.common_create(
            on_added=entries_for_new_point,
            organisation=self.org,
            by=TEST_SETUP,
            **{**COMMON, "year": 2019},
        )
        plan = services.plan_create(committee=self.ks, year=2019, by=TEST_SETUP)
        assert plan.control_points.get().common == common

    def test_editing_updates_plans_not_yet_adopted_and_spares_adopted_ones(self):
        common = services.common_create(
            on_added=entries_for_new_point, organisation=self.org, by=TEST_SETUP, **COMMON
        )
        services.plan_submit(plan=self.sn_plan, by=TEST_SETUP)
        adopt(self.plan)
        services.common_update(
            common=common,
            by=self.controller,
            question="Ny lydelse?",
            process="Ny process",
            target=Decimal(3),
            measure_unit="%",
        )
        adopted = self.plan.control_points.get(common=common)
        submitted = self.sn_plan.control_points.get(common=common)
        assert adopted.question == COMMON["question"]
        assert adopted.process.name == "Representation"
        assert submitted.question == "Ny lydelse?"
        assert submitted.process.name == "Ny process"
        assert submitted.target == Decimal(3)
        assert AuditEvent.objects.filter(action="common_update").count() == 1
        assert AuditEvent.objects.filter(
            action="control_point_update", object_id=str(submitted.public_id)
        ).exists()

    def test_an_edit_that_changes_nothing_writes_no_audit(self):
        common = services.common_create(
            on_added=entries_for_new_point, organisation=self.org, by=TEST_SETUP, **COMMON
        )
        services.common_update(common=common, by=TEST_SETUP, question=COMMON["question"])
        assert not AuditEvent.objects.filter(action="common_update").exists()

    def test_unknown_fields_are_a_programming_error(self):
        with pytest.raises(TypeError):
            services.common_update(common=self.common, by=TEST_SETUP, year=2020)


class NextYearTests(BaseTestCase):
    def setUp(self):
        mark_adopted(self.plan)

    def test_a_plan_that_is_not_adopted_is_refused_and_says_why(self):
        services.plan_update(plan=self.plan, by=TEST_SETUP, status=Plan.Status.DRAFT)
        with pytest.raises(ValidationError, match="från en fastställd plan.*är utkast"):
            services.plan_create_next_year(
                plan=self.plan, by=TEST_SETUP, repeated_point_ids=set(), carry_over=risks_copy
            )
        assert not Plan.objects.filter(year=2019).exists()

    def test_copies_own_points_marks_repeats_and_leaves_commons_to_next_years_definitions(self):
        old_common = services.common_create(
            on_added=entries_for_new_point, organisation=self.org, by=TEST_SETUP, **COMMON
        )
        new_common = CommonControlPoint.objects.create(
            organisation=self.org, **{**COMMON, "year": 2019, "question": "2019 års fråga?"}
        )
        new = services.plan_create_next_year(
            plan=self.plan,
            by=self.secretary,
            repeated_point_ids=deviating_point_ids(self.plan),
            carry_over=risks_copy,
        )
        assert (new.year, new.status, new.committee) == (2019, Plan.Status.DRAFT, self.ks)
        points = list(new.control_points.order_by("position"))
        assert [p.common for p in points] == [new_common, None, None]
        first, second = points[1], points[2]
        assert first.previous == self.point
        assert first.repeated_because == "avvikelse 2018"  # the fixture's deviation
        assert (first.target, first.measure_unit) == (Decimal(5), "%")
        assert second.previous == self.other_point
        assert second.repeated_because == ""
        assert not new.control_points.filter(common=old_common).exists()
        assert set(new.processes.values_list("name", flat=True)) >= {"Process 1", "Process 2"}
        event = AuditEvent.objects.get(action="plan_create_next_year")
        assert "2 egna kontrollmoment, varav 1 upprepas" in event.summary

    def test_refuses_when_next_year_already_has_a_plan(self):
        services.plan_create(committee=self.ks, year=2019, by=TEST_SETUP)
        with pytest.raises(ValidationError, match="har redan en internkontrollplan för 2019"):
            services.plan_create_next_year(
                plan=self.plan,
                by=TEST_SETUP,
                repeated_point_ids=deviating_point_ids(self.plan),
                carry_over=risks_copy,
            )

    def test_open_actions_stay_open(self):
        services.plan_create_next_year(
            plan=self.plan,
            by=TEST_SETUP,
            repeated_point_ids=deviating_point_ids(self.plan),
            carry_over=risks_copy,
        )
        self.action.refresh_from_db()
        assert not self.action.is_closed

    def test_the_carry_over_gets_this_years_plan_next_years_plan_and_the_actor(self):
        calls = []
        new = services.plan_create_next_year(
            plan=self.plan,
            by=self.secretary,
            repeated_point_ids=deviating_point_ids(self.plan),
            carry_over=lambda **kw: calls.append(kw),
        )
        assert calls == [{"source": self.plan, "target": new, "by": self.secretary}]

    def test_plans_copies_no_risks_of_its_own_accord(self):
        assert self.plan.risks.exists()
        new = services.plan_create_next_year(
            plan=self.plan, by=TEST_SETUP, repeated_point_ids=(), carry_over=lambda **kw: None
        )
        assert not new.risks.exists()


class DeadlineServiceTests(BaseTestCase):
    def test_create_update_delete_are_audited(self):
        deadline = services.deadline_create(
            organisation=self.org,
            by=self.controller,
            year=2018,
            kind="followup",
            cutoff=date(2018, 8, 31),
            due_on=date(2018, 9, 20),
        )
        services.deadline_update(deadline=deadline, by=self.controller, due_on=date(2018, 9, 25))
        services.deadline_update(deadline=deadline, by=self.controller, due_on=date(2018, 9, 25))
        services.deadline_delete(deadline=deadline, by=self.controller)
        actions = list(
            AuditEvent.objects.filter(object_id=str(deadline.public_id)).values_list(
                "action", flat=True
            )
        )
        assert sorted(actions) == ["deadline_create", "deadline_delete", "deadline_update"]
        assert not CycleDeadline.objects.filter(pk=deadline.pk).exists()

    def test_invalid_deadlines_are_refused_in_swedish(self):
        cases = [
            ({"kind": "followup", "cutoff": None}, "Ange brytdatumet"),
            ({"kind": "followup", "cutoff": date(2019, 3, 31)}, "måste ligga inom 2018"),
            (
                {"kind": "followup", "cutoff": date(2018, 8, 31), "due_on": date(2018, 8, 1)},
                "före brytdatumet",
            ),
            ({"kind": "plan"}, "redan ett datum för planerna"),
        ]
        for extra, message in cases:
            fields = {"year": 2018, "due_on": date(2018, 9, 20), **extra}
            with pytest.raises(ValidationError, match=message):
                services.deadline_create(organisation=self.org, by=TEST_SETUP, **fields)

    def test_a_plan_deadline_drops_a_cutoff(self):
        deadline = services.deadline_create(
            organisation=self.org,
            by=TEST_SETUP,
            year=2019,
            kind="plan",
            cutoff=date(2019, 1, 1),
            due_on=date(2018, 12, 15),
        )
        assert deadline.cutoff is None

    def test_a_second_deadline_for_a_cutoff_is_refused(self):
        fields = {
            "year": 2018,
            "kind": "followup",
            "cutoff": date(2018, 8, 31),
            "due_on": date(2018, 9, 20),
        }
        services.deadline_create(organisation=self.org, by=TEST_SETUP, **fields)
        with pytest.raises(ValidationError, match="per det brytdatumet"):
            services.deadline_create(organisation=self.org, by=TEST_SETUP, **fields)

    def test_unknown_fields_are_a_programming_error(self):
        with pytest.raises(TypeError):
            services.deadline_update(deadline=self.deadline, by=TEST_SETUP, organisation=None)
