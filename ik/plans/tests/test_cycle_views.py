"""The controller's pages for common control points and the cycle's deadlines."""

from datetime import date
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ik.followups.services import entries_for_new_point
from ik.org.models import Committee
from ik.plans import services
from ik.plans.models import CommonControlPoint, CycleDeadline
from ik.test import TEST_SETUP, BaseTestCase, make_plan

COMMON_POST = {
    "year": "2018",
    "process": "Representation",
    "question": "Finns deltagarförteckning?",
    "method": "Stickprov",
    "owner_text": "Förvaltningschef",
    "frequency": "2 gånger per år",
    "direction": "at_most",
}


def common_list(org="testkommun", year=2018):
    return reverse("plans:common_list", kwargs={"org": org}) + f"?ar={year}"


class CommonListTests(BaseTestCase):
    def test_everyone_in_the_organisation_reads_the_list_only_the_controller_edits(self):
        services.common_create(
            on_added=entries_for_new_point,
            organisation=self.org,
            by=TEST_SETUP,
            **{**COMMON_POST, "year": 2018},
        )
        self.client.force_login(self.politician)
        html = self.client.get(common_list()).content.decode()
        assert "Finns deltagarförteckning?" in html
        assert "2 av 2 planer" in html
        assert "Nytt kommungemensamt kontrollmoment" not in html
        self.client.force_login(self.controller)
        html = self.client.get(common_list()).content.decode()
        assert "Nytt kommungemensamt kontrollmoment" in html

    def test_a_bad_year_falls_back_to_this_year(self):
        self.client.force_login(self.auditor)
        with mock.patch("django.utils.timezone.localdate", return_value=date(2017, 5, 1)):
            for bad in ("tjugo", "1800"):
                url = reverse("plans:common_list", kwargs={"org": "testkommun"}) + f"?ar={bad}"
                assert "Betalas fakturorna i tid?" in self.client.get(url).content.decode()

    def test_stranger_404_and_post_405(self):
        self.client.force_login(self.stranger)
        assert self.client.get(common_list()).status_code == 404
        self.client.force_login(self.controller)
        assert self.client.post(common_list()).status_code == 405

    def test_query_count_is_constant(self):
        self.client.force_login(self.controller)
        self.client.get(common_list())
        with CaptureQueriesContext(connection) as small:
            self.client.get(common_list())
        for i in range(5):
            services.common_create(
                on_added=entries_for_new_point,
                organisation=self.org,
                by=TEST_SETUP,
                **{**COMMON_POST, "year": 2018, "process": f"P{i}"},
            )
        with CaptureQueriesContext(connection) as large:
            html = self.client.get(common_list()).content.decode()
        assert html.count("2 av 2 planer") == 5
        assert len(large) == len(small)


class CommonCreateEditTests(BaseTestCase):
    def test_controller_creates_one_and_it_lands_in_every_plan(self):
        self.client.force_login(self.controller)
        url = reverse("plans:common_create", kwargs={"org": "testkommun"})
        assert self.client.get(url + "?ar=2018").status_code == 200
        response = self.client.post(url, COMMON_POST)
        assert response.status_code == 302
        assert response["Location"] == common_list()
        common = CommonControlPoint.objects.get(process="Representation")
        assert common.control_points.count() == 2

    def test_invalid_input_is_explained(self):
        self.client.force_login(self.controller)
        url = reverse("plans:common_create", kwargs={"org": "testkommun"})
        response = self.client.post(url, {**COMMON_POST, "year": "1999", "warning_limit": "3"})
        html = response.content.decode()
        assert "Året måste ligga mellan 2000 och 2100" in html
        assert "Ange ett mål innan du anger en gräns för gult" in html

    def test_editing_explains_what_happens_to_adopted_plans_and_updates_drafts(self):
        common = services.common_create(
            on_added=entries_for_new_point,
            organisation=self.org,
            by=TEST_SETUP,
            **{**COMMON_POST, "year": 2018},
        )
        self.client.force_login(self.controller)
        url = reverse("plans:common_edit", kwargs={"common_id": common.public_id})
        html = self.client.get(url).content.decode()
        assert "Fastställda planer behåller den lydelse nämnden fastställde." in html
        assert 'name="year"' not in html
        response = self.client.post(url, {**COMMON_POST, "question": "Ny lydelse?"})
        assert response.status_code == 302
        assert self.plan.control_points.get(common=common).question == "Ny lydelse?"

    def test_access(self):
        create = reverse("plans:common_create", kwargs={"org": "testkommun"})
        edit = reverse("plans:common_edit", kwargs={"common_id": self.common.public_id})
        foreign = reverse("plans:common_edit", kwargs={"common_id": self.foreign_common.public_id})
        for user in (self.secretary, self.auditor):
            self.client.force_login(user)
            assert self.client.get(create).status_code == 403
            assert self.client.post(edit, COMMON_POST).status_code == 403
        self.client.force_login(self.controller)
        assert self.client.get(foreign).status_code == 404
        assert self.client.put(edit).status_code == 405
        assert self.client.put(create).status_code == 405


def deadline_list(year=2018):
    return reverse("plans:deadline_list", kwargs={"org": "testkommun"}) + f"?ar={year}"


class DeadlineViewTests(BaseTestCase):
    def test_the_list_shows_late_committees_as_of_today(self):
        services.deadline_create(
            organisation=self.org,
            by=TEST_SETUP,
            year=2018,
            kind="followup",
            cutoff=date(2018, 8, 31),
            due_on=date(2018, 9, 20),
        )
        self.client.force_login(self.auditor)
        with mock.patch("django.utils.timezone.localdate", return_value=date(2018, 9, 21)):
            html = self.client.get(deadline_list()).content.decode()
        assert "Sena nämnder" in html
        assert "Planen är inte fastställd." in html  # both plans, due 2017-12-15
        assert "Uppföljningen är inte rapporterad." in html  # KS per 2018-08-31, open
        assert "Uppföljningen saknas." in html  # Socialnämnden
        assert "Nytt datum" not in html
        with mock.patch("django.utils.timezone.localdate", return_value=date(2017, 12, 1)):
            html = self.client.get(deadline_list()).content.decode()
        assert "Ingen nämnd är sen." in html

    def test_controller_adds_edits_and_removes_a_deadline(self):
        self.client.force_login(self.controller)
        create = reverse("plans:deadline_create", kwargs={"org": "testkommun"})
        assert self.client.get(create + "?ar=2018").status_code == 200
        response = self.client.post(
            create,
            {"year": "2018", "kind": "followup", "cutoff": "2018-08-31", "due_on": "2018-09-20"},
        )
        assert response["Location"] == deadline_list()
        deadline = CycleDeadline.objects.get(cutoff=date(2018, 8, 31))
        edit = reverse("plans:deadline_edit", kwargs={"deadline_id": deadline.public_id})
        assert self.client.get(edit).status_code == 200
        self.client.post(
            edit,
            {"year": "2018", "kind": "followup", "cutoff": "2018-08-31", "due_on": "2018-09-25"},
        )
        deadline.refresh_from_db()
        assert deadline.due_on == date(2018, 9, 25)
        delete = reverse("plans:deadline_delete", kwargs={"deadline_id": deadline.public_id})
        assert self.client.post(delete)["Location"] == deadline_list()
        assert not CycleDeadline.objects.filter(pk=deadline.pk).exists()

    def test_errors_are_explained_on_the_form(self):
        self.client.force_login(self.controller)
        create = reverse("plans:deadline_create", kwargs={"org": "testkommun"})
        response = self.client.post(
            create, {"year": "2018", "kind": "plan", "due_on": "2017-12-01"}
        )
        assert "Det finns redan ett datum för planerna det året." in response.content.decode()
        response = self.client.post(
            create, {"year": "2018", "kind": "followup", "due_on": "2018-09-01"}
        )
        assert "Ange brytdatumet för uppföljningen." in response.content.decode()

    def test_access(self):
        create = reverse("plans:deadline_create", kwargs={"org": "testkommun"})
        edit = reverse("plans:deadline_edit", kwargs={"deadline_id": self.deadline.public_id})
        delete = reverse("plans:deadline_delete", kwargs={"deadline_id": self.deadline.public_id})
        foreign = reverse(
            "plans:deadline_edit", kwargs={"deadline_id": self.foreign_deadline.public_id}
        )
        for user in (self.secretary, self.auditor):
            self.client.force_login(user)
            assert self.client.get(deadline_list()).status_code == 200
            assert self.client.get(create).status_code == 403
            assert self.client.get(edit).status_code == 403
            assert self.client.post(delete).status_code == 403
        self.client.force_login(self.controller)
        assert self.client.get(foreign).status_code == 404
        assert self.client.get(delete).status_code == 405
        assert self.client.post(deadline_list()).status_code == 405
        self.client.force_login(self.stranger)
        assert self.client.get(deadline_list()).status_code == 404

    def test_query_count_is_constant(self):
        self.client.force_login(self.controller)
        self.client.get(deadline_list())
        with CaptureQueriesContext(connection) as small:
            self.client.get(deadline_list())
        for i in range(4):
            make_plan(
                Committee.objects.create(organisation=self.org, code=f"n{i}", name=f"Nämnd {i}")
            )
            services.deadline_create(
                organisation=self.org,
                by=TEST_SETUP,
                year=2018,
                kind="followup",
                cutoff=date(2018, 3 + i, 28),
                due_on=date(2018, 4 + i, 10),
            )
        with CaptureQueriesContext(connection) as large:
            html = self.client.get(deadline_list()).content.decode()
        assert "Nämnd 3" in html
        assert len(large) == len(small)
