"""Counts read as Swedish: one takes the singular ("1 öppen åtgärd"), others the plural."""

from django.urls import reverse

from ik.test import BaseTestCase


class SingularAndPluralTests(BaseTestCase):
    def test_the_plan_page_says_one_deviation_and_one_open_action(self):
        self.client.force_login(self.secretary)
        url = reverse("plans:plan_detail", kwargs={"plan_id": self.plan.public_id})
        html = self.client.get(url, {"uppfoljning": self.followup.public_id}).content.decode()
        assert "1 avvikelse, 1 öppen åtgärd" in html
        assert "1 öppna åtgärder" not in html

    def test_the_plan_risk_summary_counts_one_risk_in_the_singular(self):
        self.client.force_login(self.secretary)
        url = reverse("plans:plan_detail", kwargs={"plan_id": self.plan.public_id})
        html = self.client.get(url).content.decode()
        assert "1 risk:" in html
