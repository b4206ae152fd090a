from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ik.followups.models import FollowUpEntry
from ik.followups.services import entries_for_new_point
from ik.plans.models import CommonControlPoint, ControlPoint, Plan
from ik.plans.services import control_point_add_common, control_point_create
from ik.test import TEST_SETUP, BaseTestCase


class PlanDetailTests(BaseTestCase):
    def url(self, plan=None):
        return reverse("plans:plan_detail", kwargs={"plan_id": (plan or self.plan).public_id})

    def test_shows_the_reference_columns_and_the_followup_with_its_date(self):
        self.client.force_login(self.auditor)
        response = self.client.get(self.url())
        assert response.status_code == 200
        html = response.content.decode()
        for heading in (
            "Process",
            "Kontrollmoment",
            "Kontrollmetod",
            "Kontrollansvarig",
            "Tidpunkt/frekvens",
            "Uppföljning 180831",
            "Bedömning",
        ):
            assert f">{heading}<" in html or heading in html
        assert "Fråga 1?" in html

    def test_auditor_sees_no_edit_buttons(self):
        self.client.force_login(self.auditor)
        html = self.client.get(self.url()).content.decode()
        assert "Nytt kontrollmoment" not in html
        assert "Rapportera" not in html

    def test_control_owner_can_report_own_point_only(self):
        self.client.force_login(self.owner)
        html = self.client.get(self.url()).content.decode()
        assert reverse("followups:entry_edit", kwargs={"entry_id": self.entry.public_id}) in html
        assert (
            reverse("followups:entry_edit", kwargs={"entry_id": self.other_entry.public_id})
            not in html
        )

    def test_stranger_gets_404(self):
        self.client.force_login(self.stranger)
        assert self.client.get(self.url()).status_code == 404

    def test_post_is_not_allowed(self):
        self.client.force_login(self.controller)
        assert self.client.post(self.url()).status_code == 405

    def test_query_count_does_not_grow_with_the_number_of_control_points(self):
        self.client.force_login(self.controller)
        self.client.get(self.url())  # warm the session
        with CaptureQueriesContext(connection) as small:
            self.client.get(self.url())
        for i in range(15):
            control_point_create(
                on_added=entries_for_new_point,
                plan=self.plan,
                by=TEST_SETUP,
                process_name=f"Extra {i}",
                question="Q",
                method="M",
                owner_text="O",
                frequency="F",
            )
        with CaptureQueriesContext(connection) as large:
            response = self.client.get(self.url())
        assert response.content.decode().count("Extra ") >= 15
        assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


class PlanCreateTests(BaseTestCase):
    def url(self, committee="ks", org="testkommun"):
        return reverse("plans:plan_create", kwargs={"org": org, "committee": committee})

    def test_secretary_creates_next_years_plan(self):
        self.client.force_login(self.secretary)
        response = self.client.post(self.url(), {"year": "2019", "case_number": "KS/2018:9"})
        plan = Plan.objects.get(committee=self.ks, year=2019)
        assert response.status_code == 302
        assert response["Location"] == plan.get_absolute_url()
        assert plan.status == Plan.Status.DRAFT

    def test_a_second_plan_for_the_same_year_is_refused(self):
        self.client.force_login(self.secretary)
        response = self.client.post(self.url(), {"year": "2018"})
        assert response.status_code == 200
        assert "har redan en internkontrollplan för 2018" in response.content.decode()
        assert Plan.objects.filter(committee=self.ks, year=2018).count() == 1

    def test_a_year_outside_a_sensible_range_is_refused_in_swedish(self):
        self.client.force_login(self.secretary)
        for year in ("1850", "3000"):
            response = self.client.post(self.url(), {"year": year})
            assert "Året måste ligga mellan 2000 och 2100" in response.content.decode()
        response = self.client.post(self.url(), {"year": "tjugonitton"})
        assert "Ange året med fyra siffror" in response.content.decode()
        assert not Plan.objects.filter(committee=self.ks).exclude(year=2018).exists()

    def test_secretary_of_another_committee_gets_403(self):
        self.client.force_login(self.secretary)
        assert self.client.post(self.url("sn"), {"year": "2019"}).status_code == 403

    def test_auditor_gets_403_and_stranger_404(self):
        self.client.force_login(self.auditor)
        assert self.client.get(self.url()).status_code == 403
        self.client.force_login(self.stranger)
        assert self.client.get(self.url()).status_code == 404


class PlanAdoptTests(BaseTestCase):
    def test_adopting_records_the_decision(self):
        self.client.force_login(self.secretary)
        url = reverse("plans:plan_adopt", kwargs={"plan_id": self.plan.public_id})
        response = self.client.post(
            url,
            {
                "decided_on": "2017-12-06",
                "decision_paragraph": "§ 276",
                "case_number": "KS/2017:335",
            },
        )
        assert response.status_code == 302
        self.plan.refresh_from_db()
        assert self.plan.is_adopted
        assert self.plan.decision_reference == "§ 276/2017-12-06"

    def test_a_date_that_is_not_a_date_is_explained(self):
        self.client.force_login(self.secretary)
        url = reverse("plans:plan_adopt", kwargs={"plan_id": self.plan.public_id})
        response = self.client.post(
            url, {"decided_on": "6 december", "decision_paragraph": "1", "case_number": "X"}
        )
        assert "Ange ett datum som ÅÅÅÅ-MM-DD" in response.content.decode()
        self.plan.refresh_from_db()
        assert not self.plan.is_adopted


class ControlPointFormTests(BaseTestCase):
    def test_create_adds_an_entry_to_open_followups(self):
        self.client.force_login(self.controller)
        url = reverse("plans:control_point_create", kwargs={"plan_id": self.plan.public_id})
        response = self.client.post(
            url,
            {
                "process_name": "Inköp",
                "question": "Följs avtalen?",
                "method": "Stickprov",
                "owner_text": "Inköpschef",
                "frequency": "En gång per år",
                "direction": "at_most",
                "target": "",
                "warning_limit": "",
            },
        )
        assert response.status_code == 302
        point = ControlPoint.objects.get(question="Följs avtalen?")
        assert point.process.name == "Inköp"
        assert FollowUpEntry.objects.filter(followup=self.followup, control_point=point).exists()

    def test_target_accepts_decimal_comma_and_refuses_words(self):
        self.client.force_login(self.controller)
        url = reverse("plans:control_point_create", kwargs={"plan_id": self.plan.public_id})
        data = {
            "process_name": "Inköp",
            "question": "Andel?",
            "method": "M",
            "owner_text": "O",
            "frequency": "F",
            "direction": "at_most",
            "measure_unit": "%",
            "target": "fem",
        }
        response = self.client.post(url, data)
        assert "”fem” är inte ett tal" in response.content.decode()
        data["target"] = "2,5"
        assert self.client.post(url, data).status_code == 302
        assert str(ControlPoint.objects.get(question="Andel?").target) == "2.5000"

    def test_common_point_keeps_its_decided_wording(self):
        common = CommonControlPoint.objects.create(
            organisation=self.org,
            year=2018,
            process="Gemensam",
            question="Original?",
            method="M",
            owner_text="O",
            frequency="F",
        )
        point = control_point_add_common(
            on_added=entries_for_new_point, plan=self.plan, common=common, by=TEST_SETUP
        )
        self.client.force_login(self.controller)
        url = reverse("plans:control_point_edit", kwargs={"point_id": point.public_id})
        response = self.client.post(
            url,
            {
                "question": "Ändrad?",
                "local_note": "Vår notis",
                "direction": "at_most",
                "version": point.version,
            },
        )
        assert response.status_code == 302
        point.refresh_from_db()
        assert point.question == "Original?"
        assert point.local_note == "Vår notis"
        assert point.process_label.endswith("(kommungemensamt)")
