from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ik.followups.services import followup_create
from ik.test import TEST_SETUP, BaseTestCase, make_plan


class HomeTests(BaseTestCase):
    def test_control_owner_sees_own_points_that_are_due(self):
        self.client.force_login(self.owner)
        html = self.client.get(reverse("web:home")).content.decode()
        assert "Fråga 1?" in html
        assert "Fråga 2?" not in html
        assert reverse("followups:entry_edit", kwargs={"entry_id": self.entry.public_id}) in html

    def test_secretary_sees_followups_waiting_to_be_compiled(self):
        self.client.force_login(self.secretary)
        html = self.client.get(reverse("web:home")).content.decode()
        assert self.followup.get_absolute_url() in html
        assert "0 av 2" in html

    def test_query_count_is_constant_in_the_number_of_due_points(self):
        self.client.force_login(self.owner)
        url = reverse("web:home")
        self.client.get(url)
        with CaptureQueriesContext(connection) as small:
            self.client.get(url)
        owner = self.point.owner_person
        for year in (2019, 2020, 2021):
            plan = make_plan(self.ks, year=year, points=5, owner=owner)
            followup_create(plan=plan, cutoff=date(year, 8, 31), by=TEST_SETUP)
        with CaptureQueriesContext(connection) as large:
            html = self.client.get(url).content.decode()
        assert html.count("Rapportera<span") == 4
        assert len(large) == len(small)

    def test_health_needs_no_login(self):
        assert self.client.get(reverse("web:health")).content == b"ok"
