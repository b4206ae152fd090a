"""The overview draws its counts as an accessible chart beside the table."""

from django.urls import reverse

from ik.followups.services import entry_record
from ik.test import TEST_SETUP, BaseTestCase


class OverviewChartTests(BaseTestCase):
    def test_the_verdict_chart_has_a_title_a_description_and_the_counts_as_text(self):
        entry_record(
            entry=self.entry,
            by=TEST_SETUP,
            execution_status="done",
            result_text="8 %",
            assessment="red",
        )
        self.client.force_login(self.auditor)
        url = reverse("oversight:overview", args=["testkommun"])
        html = self.client.get(url, {"ar": 2018}).content.decode()
        assert 'role="img" viewBox' in html
        assert '<title id="chart-verdicts-title">Bedömningar per nämnd per 31 augusti 2018' in html
        assert "Kommunstyrelsen: 0 grön, 0 gul, 1 röd, 1 ej bedömda" in html
        assert "Siffrorna finns också i tabellen nedan." in html
        assert "style=" not in html
