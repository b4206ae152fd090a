"""Submitting, returning, locked plans and next year's plan from the plan page."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ik.followups.services import action_create, deviating_point_ids
from ik.org.models import AuditEvent
from ik.plans import services
from ik.plans.models import ControlPoint, Plan
from ik.risks.services import risks_copy
from ik.test import TEST_SETUP, BaseTestCase, mark_adopted


def url(name, plan):
    return reverse(f"plans:{name}", kwargs={"plan_id": plan.public_id})


class PlanSubmitTests(BaseTestCase):
    def test_secretary_submits_and_sees_the_return_button(self):
        self.client.force_login(self.secretary)
        response = self.client.post(url("plan_submit", self.plan), follow=True)
        assert Plan.objects.get(pk=self.plan.pk).is_submitted
        html = response.content.decode()
        assert "Planen är inskickad för beslut." in html
        assert "Återförvisa till utkast" in html
        assert "Nytt kontrollmoment" not in html
        assert "Skicka in för beslut" not in html

    def test_a_refusal_is_shown_as_a_message(self):
        services.plan_submit(plan=self.plan, by=TEST_SETUP)
        self.client.force_login(self.secretary)
        response = self.client.post(url("plan_submit", self.plan), follow=True)
        assert "Bara ett utkast kan skickas in för beslut." in response.content.decode()

    def test_access(self):
        self.client.force_login(self.auditor)
        assert self.client.post(url("plan_submit", self.plan)).status_code == 403
        self.client.force_login(self.stranger)
        assert self.client.post(url("plan_submit", self.plan)).status_code == 404
        self.client.force_login(self.secretary)
        assert self.client.get(url("plan_submit", self.plan)).status_code == 405


class PlanReturnTests(BaseTestCase):
    def setUp(self):
        services.plan_submit(plan=self.plan, by=TEST_SETUP)

    def test_returning_records_the_reason(self):
        self.client.force_login(self.secretary)
        assert self.client.get(url("plan_return", self.plan)).status_code == 200
        response = self.client.post(url("plan_return", self.plan), {"reason": "Lägg till IT"})
        assert response.status_code == 302
        assert Plan.objects.get(pk=self.plan.pk).is_draft
        assert AuditEvent.objects.get(action="plan_return").changes["reason"] == "Lägg till IT"

    def test_a_reason_is_required(self):
        self.client.force_login(self.secretary)
        response = self.client.post(url("plan_return", self.plan), {"reason": ""})
        assert "Ange varför planen återförvisas." in response.content.decode()
        assert Plan.objects.get(pk=self.plan.pk).is_submitted

    def test_a_draft_cannot_be_returned(self):
        self.client.force_login(self.secretary)
        response = self.client.post(url("plan_return", self.sn_plan), {"reason": "x"})
        assert response.status_code == 403  # secretary of KS only
        self.client.force_login(self.controller)
        response = self.client.post(url("plan_return", self.sn_plan), {"reason": "x"})
        assert "Bara en inskickad plan kan återförvisas." in response.content.decode()

    def test_access(self):
        self.client.force_login(self.auditor)
        assert self.client.get(url("plan_return", self.plan)).status_code == 403
        self.client.force_login(self.stranger)
        assert self.client.get(url("plan_return", self.plan)).status_code == 404
        self.client.force_login(self.secretary)
        assert self.client.put(url("plan_return", self.plan)).status_code == 405


class LockedPlanPageTests(BaseTestCase):
    def test_an_adopted_plan_offers_only_owner_and_note_on_its_points(self):
        services.plan_adopt(
            plan=self.plan,
            by=TEST_SETUP,
            decided_on=date(2017, 12, 6),
            decision_paragraph="1",
            case_number="X",
        )
        self.client.force_login(self.secretary)
        html = self.client.get(url("plan_detail", self.plan)).content.decode()
        assert "Planen är fastställd. I kontrollmomenten kan bara" in html
        assert "Nytt kontrollmoment" not in html
        assert self.client.get(url("control_point_create", self.plan)).status_code == 200
        response = self.client.post(
            url("control_point_create", self.plan),
            {
                "process_name": "P",
                "question": "Q",
                "method": "M",
                "owner_text": "O",
                "frequency": "F",
                "direction": "at_most",
            },
        )
        assert "Planen är fastställd." in response.content.decode()
        edit = reverse("plans:control_point_edit", kwargs={"point_id": self.other_point.public_id})
        self.client.post(
            edit,
            {
                "process_name": "Ändrad",
                "question": "Ändrad?",
                "method": "M",
                "owner_text": "O",
                "frequency": "F",
                "direction": "at_most",
                "local_note": "Anteckning",
                "version": self.other_point.version,
            },
        )
        point = ControlPoint.objects.get(pk=self.other_point.pk)
        assert (point.question, point.local_note) == ("Fråga 2?", "Anteckning")
        assert AuditEvent.objects.filter(
            action="control_point_update", object_id=str(point.public_id)
        ).get().changes == {"local_note": ["", "Anteckning"]}


class NextYearViewTests(BaseTestCase):
    def setUp(self):
        mark_adopted(self.plan)

    def test_creates_next_years_plan_and_shows_repeats_and_carried_over_actions(self):
        self.client.force_login(self.secretary)
        html = self.client.get(url("plan_detail", self.plan)).content.decode()
        assert "Skapa plan för 2019" in html
        confirm = self.client.get(url("plan_create_next_year", self.plan)).content.decode()
        assert "<form" in confirm and "Skapa planen för 2019" in confirm
        assert not Plan.objects.filter(year=2019).exists()
        response = self.client.post(url("plan_create_next_year", self.plan), follow=True)
        new = Plan.objects.get(committee=self.ks, year=2019)
        assert response.redirect_chain[-1][0] == new.get_absolute_url()
        html = response.content.decode()
        assert "Planen för 2019 är skapad som utkast." in html
        assert "Upprepas: avvikelse 2018" in html
        assert "Överförda åtgärder" in html
        assert reverse("followups:action_edit", kwargs={"action_id": self.action.public_id}) in html
        html = self.client.get(url("plan_detail", self.plan)).content.decode()
        assert "Skapa plan för 2019" not in html

    def test_refusal_when_next_year_exists(self):
        services.plan_create(committee=self.ks, year=2019, by=TEST_SETUP)
        self.client.force_login(self.secretary)
        response = self.client.post(url("plan_create_next_year", self.plan))
        assert response.status_code == 422
        assert "har redan en internkontrollplan för 2019" in response.content.decode()

    def test_a_plan_that_is_not_adopted_is_not_offered_next_year_and_says_why(self):
        services.plan_update(plan=self.plan, by=TEST_SETUP, status=Plan.Status.SUBMITTED)
        self.client.force_login(self.secretary)
        html = self.client.get(url("plan_detail", self.plan)).content.decode()
        assert url("plan_create_next_year", self.plan) not in html
        assert "kan skapas härifrån när planen för 2018 är fastställd" in html
        page = self.client.get(url("plan_create_next_year", self.plan)).content.decode()
        assert "från en fastställd plan" in page and "Skapa planen för 2019" not in page

    def test_closed_actions_are_not_carried_over(self):
        services.plan_create_next_year(
            plan=self.plan,
            by=TEST_SETUP,
            repeated_point_ids=deviating_point_ids(self.plan),
            carry_over=risks_copy,
        )
        self.action.status = "closed"
        self.action.effect_check = "Kontrollerad"
        self.action.save()
        self.client.force_login(self.auditor)
        new = Plan.objects.get(committee=self.ks, year=2019)
        assert "Överförda åtgärder" not in self.client.get(url("plan_detail", new)).content.decode()

    def test_access(self):
        self.client.force_login(self.auditor)
        assert self.client.post(url("plan_create_next_year", self.plan)).status_code == 403
        self.client.force_login(self.stranger)
        assert self.client.post(url("plan_create_next_year", self.plan)).status_code == 404
        self.client.force_login(self.secretary)
        assert self.client.put(url("plan_create_next_year", self.plan)).status_code == 405
        assert not Plan.objects.filter(year=2019).exists()

    def test_plan_page_queries_do_not_grow_with_carried_over_actions(self):
        new = services.plan_create_next_year(
            plan=self.plan,
            by=TEST_SETUP,
            repeated_point_ids=deviating_point_ids(self.plan),
            carry_over=risks_copy,
        )
        self.client.force_login(self.controller)
        self.client.get(url("plan_detail", new))
        with CaptureQueriesContext(connection) as small:
            self.client.get(url("plan_detail", new))
        for i in range(5):
            action_create(
                deviation=self.deviation,
                by=TEST_SETUP,
                description=f"Extra {i}",
                owner_text="O",
                due_date=date(2018, 12, 31),
            )
        with CaptureQueriesContext(connection) as large:
            html = self.client.get(url("plan_detail", new)).content.decode()
        assert html.count("Extra ") == 5
        assert len(large) == len(small)
