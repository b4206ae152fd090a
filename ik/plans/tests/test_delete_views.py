from django.urls import reverse

from ik.followups.services import entries_for_new_point, followup_create
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


def url(name, obj):
    key = {"plan": "plan_id", "control": "point_id"}[name.split("_")[0]]
    return reverse(f"plans:{name}", kwargs={key: obj.public_id})


class PlanDeleteViewTests(BaseTestCase):
    def test_a_draft_made_by_mistake_is_deleted_after_confirmation(self):
        plan = make_plan(self.sn, year=2020)
        self.client.force_login(self.controller)
        detail = self.client.get(plan.get_absolute_url()).content.decode()
        assert url("plan_delete", plan) in detail
        page = self.client.get(url("plan_delete", plan)).content.decode()
        assert "Fråga 1?" in page and "Ta bort utkastet" in page
        assert Plan.objects.filter(pk=plan.pk).exists()
        response = self.client.post(url("plan_delete", plan))
        assert response.status_code == 302
        assert not Plan.objects.filter(pk=plan.pk).exists()
        assert AuditEvent.objects.filter(action="plan_delete").count() == 1

    def test_an_adopted_plan_is_not_offered_and_the_page_says_why(self):
        mark_adopted(self.sn_plan)
        self.client.force_login(self.controller)
        detail = self.client.get(self.sn_plan.get_absolute_url()).content.decode()
        assert url("plan_delete", self.sn_plan) not in detail
        page = self.client.get(url("plan_delete", self.sn_plan)).content.decode()
        assert "Bara ett utkast kan tas bort" in page and "Ta bort utkastet</button>" not in page
        assert self.client.post(url("plan_delete", self.sn_plan)).status_code == 422
        assert Plan.objects.filter(pk=self.sn_plan.pk).exists()

    def test_access(self):
        self.client.force_login(self.stranger)
        assert self.client.get(url("plan_delete", self.sn_plan)).status_code == 404
        self.client.force_login(self.auditor)
        assert self.client.post(url("plan_delete", self.sn_plan)).status_code == 403
        self.client.force_login(self.controller)
        assert self.client.put(url("plan_delete", self.sn_plan)).status_code == 405


class ControlPointDeleteViewTests(BaseTestCase):
    def test_a_point_of_a_draft_is_deleted_after_confirmation(self):
        point = self.sn_plan.control_points.get()
        self.client.force_login(self.controller)
        edit = reverse("plans:control_point_edit", kwargs={"point_id": point.public_id})
        assert url("control_point_delete", point) in self.client.get(edit).content.decode()
        assert self.client.post(url("control_point_delete", point)).status_code == 302
        assert not ControlPoint.objects.filter(pk=point.pk).exists()

    def test_a_point_with_its_own_code_is_named_by_the_code_everywhere(self):
        point = self.sn_plan.control_points.get()
        ControlPoint.objects.filter(pk=point.pk).update(code="V1")
        self.client.force_login(self.controller)
        page = self.client.get(url("control_point_delete", point)).content.decode()
        assert "<h1>Ta bort kontrollmoment V1</h1>" in page
        self.client.post(url("control_point_delete", point))
        event = AuditEvent.objects.filter(action="control_point_delete").latest("id")
        assert event.summary.startswith("Tog bort kontrollmoment V1 ur")

    def test_a_point_with_results_stays(self):
        self.client.force_login(self.controller)
        response = self.client.post(url("control_point_delete", self.point))
        assert response.status_code == 422
        assert "rapporterade resultat" in response.content.decode()

    def test_access(self):
        point = self.sn_plan.control_points.get()
        self.client.force_login(self.stranger)
        assert self.client.get(url("control_point_delete", point)).status_code == 404
        self.client.force_login(self.politician)
        assert self.client.post(url("control_point_delete", self.point)).status_code == 403
        self.client.force_login(self.controller)
        assert self.client.put(url("control_point_delete", point)).status_code == 405


class FollowUpDeleteViewTests(BaseTestCase):
    def test_an_empty_follow_up_is_deleted_and_a_reported_one_is_not_offered(self):
        from datetime import date

        empty = followup_create(plan=self.sn_plan, cutoff=date(2018, 12, 31), by=TEST_SETUP)
        delete = reverse("followups:followup_delete", kwargs={"followup_id": empty.public_id})
        self.client.force_login(self.controller)
        assert delete in self.client.get(empty.get_absolute_url()).content.decode()
        assert self.client.post(delete).status_code == 302
        assert not self.sn_plan.followups.exists()
        other = reverse(
            "followups:followup_delete", kwargs={"followup_id": self.followup.public_id}
        )
        assert other not in self.client.get(self.followup.get_absolute_url()).content.decode()
        assert self.client.post(other).status_code == 422

    def test_access(self):
        delete = reverse(
            "followups:followup_delete", kwargs={"followup_id": self.followup.public_id}
        )
        self.client.force_login(self.stranger)
        assert self.client.get(delete).status_code == 404
        self.client.force_login(self.auditor)
        assert self.client.post(delete).status_code == 403
        self.client.force_login(self.controller)
        assert self.client.put(delete).status_code == 405


class CommonCopyViewTests(BaseTestCase):
    def page(self, org="testkommun"):
        return reverse("plans:common_copy", kwargs={"org": org}) + "?ar=2018"

    def test_the_years_points_are_copied_in_one_step(self):
        services.common_create(
            organisation=self.org, by=TEST_SETUP, on_added=entries_for_new_point, **COMMON
        )
        self.client.force_login(self.controller)
        listing = reverse("plans:common_list", kwargs={"org": "testkommun"}) + "?ar=2018"
        assert "Kopiera till 2019" in self.client.get(listing).content.decode()
        assert "Betalas fakturor i tid?" in self.client.get(self.page()).content.decode()
        response = self.client.post(self.page())
        assert response.status_code == 302 and response["Location"].endswith("?ar=2019")
        assert CommonControlPoint.objects.filter(organisation=self.org, year=2019).count() == 1

    def test_access(self):
        self.client.force_login(self.stranger)
        assert self.client.get(self.page()).status_code == 404
        self.client.force_login(self.auditor)
        assert self.client.post(self.page()).status_code == 403
        self.client.force_login(self.controller)
        assert self.client.put(self.page()).status_code == 405
