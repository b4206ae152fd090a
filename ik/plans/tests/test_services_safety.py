import pytest
from django.core.exceptions import ValidationError

from ik.followups.models import FollowUp
from ik.followups.services import (
    deviating_point_ids,
    deviation_register,
    entries_for_new_point,
    repeat_reasons,
)
from ik.org.models import AuditEvent
from ik.plans import services
from ik.plans.models import CommonControlPoint, ControlPoint, Plan
from ik.test import TEST_SETUP, BaseTestCase, make_plan, mark_adopted

COMMON = {
    "year": 2018,
    "process": "Ekonomi",
    "question": "Betalas fakturor i tid?",
    "method": "Helkontroll",
    "owner_text": "Ekonomichef",
    "frequency": "En gång per år",
}


class DeleteTests(BaseTestCase):
    def test_a_draft_plan_made_by_mistake_is_deleted_and_recorded(self):
        plan = make_plan(self.sn, year=2020)
        questions = [p.question for p in plan.control_points.order_by("position")]
        services.plan_delete(plan=plan, by=self.controller)
        assert not Plan.objects.filter(pk=plan.pk).exists()
        event = AuditEvent.objects.get(action="plan_delete")
        assert event.changes["control_points"] == questions
        assert event.actor == self.controller

    def test_an_adopted_or_followed_up_plan_is_never_deleted(self):
        with pytest.raises(ValidationError, match="uppföljningar"):
            services.plan_delete(plan=self.plan, by=self.controller)
        mark_adopted(self.sn_plan)
        with pytest.raises(ValidationError, match="Bara ett utkast"):
            services.plan_delete(plan=self.sn_plan, by=self.controller)
        assert Plan.objects.filter(pk__in=[self.plan.pk, self.sn_plan.pk]).count() == 2

    def test_a_control_point_of_a_draft_plan_is_deleted(self):
        point = self.sn_plan.control_points.get()
        services.control_point_delete(point=point, by=self.controller)
        assert not ControlPoint.objects.filter(pk=point.pk).exists()
        assert AuditEvent.objects.filter(action="control_point_delete").count() == 1

    def test_a_point_with_a_reported_result_or_a_common_point_stays(self):
        with pytest.raises(ValidationError, match="rapporterade resultat"):
            services.control_point_delete(point=self.point, by=self.controller)
        common = services.common_create(
            organisation=self.org, by=TEST_SETUP, on_added=entries_for_new_point, **COMMON
        )
        point = self.sn_plan.control_points.get(common=common)
        with pytest.raises(ValidationError, match="kan inte tas bort"):
            services.control_point_delete(point=point, by=self.controller)

    def test_a_point_in_an_adopted_plan_stays(self):
        mark_adopted(self.sn_plan)
        with pytest.raises(ValidationError, match="fastställd"):
            services.control_point_delete(
                point=self.sn_plan.control_points.get(), by=self.controller
            )


class CommonCopyTests(BaseTestCase):
    def test_this_years_common_points_are_decided_again_for_next_year_in_one_step(self):
        services.common_create(
            organisation=self.org, by=TEST_SETUP, on_added=entries_for_new_point, **COMMON
        )
        next_plan = make_plan(self.sn, year=2019, points=0)
        copies = services.common_copy_to_next_year(
            organisation=self.org, year=2018, by=self.controller, on_added=entries_for_new_point
        )
        assert [c.year for c in copies] == [2019]
        assert next_plan.control_points.get().common == copies[0]
        again = services.common_copy_to_next_year(
            organisation=self.org, year=2018, by=TEST_SETUP, on_added=entries_for_new_point
        )
        assert again == []
        assert CommonControlPoint.objects.filter(organisation=self.org, year=2019).count() == 1

    def test_a_plan_made_later_gets_the_copied_points(self):
        services.common_create(
            organisation=self.org, by=TEST_SETUP, on_added=entries_for_new_point, **COMMON
        )
        services.common_copy_to_next_year(
            organisation=self.org, year=2018, by=TEST_SETUP, on_added=entries_for_new_point
        )
        plan = services.plan_create(committee=self.sn, year=2019, by=TEST_SETUP)
        assert plan.control_points.filter(common__year=2019).count() == 1


class RepeatMarkTests(BaseTestCase):
    def test_a_deviation_found_after_next_years_plan_was_made_still_marks_the_point(self):
        mark_adopted(self.plan)
        new = services.plan_create_next_year(
            plan=self.plan,
            by=TEST_SETUP,
            repeated_point_ids=deviating_point_ids(self.plan),
            carry_over=lambda **kw: None,
        )
        points = list(new.control_points.order_by("position"))
        assert set(repeat_reasons(points).values()) == {"avvikelse 2018"}
        followup = FollowUp.objects.get(pk=self.followup.pk)
        other_entry = followup.entries.get(control_point=self.other_point)
        deviation_register(entry=other_entry, by=TEST_SETUP, description="Ny", severity="minor")
        reasons = repeat_reasons(points)
        assert sorted(reasons) == sorted(p.pk for p in points)
