"""The trend charts on the plan, the entry and the overview pages."""

from datetime import date

from django.urls import reverse

from ik.reports.tests.test_trends import late_payments_common, next_year, record
from ik.test import BaseTestCase


class TrendPageTests(BaseTestCase):
    def two_years(self):
        record(self.plan, date(2018, 8, 31), self.point, "8")
        plan_2019 = next_year(self.plan)
        point_2019 = plan_2019.control_points.get(previous=self.point)
        entry = record(plan_2019, date(2019, 8, 31), point_2019, "3")
        return plan_2019, entry

    def test_the_plan_page_draws_each_measured_point_over_the_years_with_its_table(self):
        plan_2019, _ = self.two_years()
        self.client.force_login(self.auditor)
        html = self.client.get(plan_2019.get_absolute_url()).content.decode()
        assert "Mätvärden över tid" in html
        assert "Process 1: mätvärde per uppföljning 2018–2019" in html
        assert (
            "31 aug 2018: 8\u00a0% (mål 5\u00a0%), röd; 31 aug 2019: 3\u00a0% (mål 5\u00a0%), grön."
            in html
        )
        assert "<summary>Siffrorna i tabell</summary>" in html
        assert '<th scope="row">2019-08-31</th><td>3\u00a0%</td><td>högst 5\u00a0%</td>' in html
        assert "style=" not in html

    def test_a_plan_with_one_measured_follow_up_draws_no_line(self):
        record(self.plan, date(2018, 8, 31), self.point, "8")
        self.client.force_login(self.auditor)
        html = self.client.get(self.plan.get_absolute_url()).content.decode()
        assert "Mätvärden över tid" not in html

    def test_the_entry_page_shows_the_point_s_earlier_values(self):
        _, entry = self.two_years()
        self.client.force_login(self.controller)
        url = reverse("followups:entry_edit", args=[entry.public_id])
        html = self.client.get(url).content.decode()
        assert 'aria-labelledby="trend-title trend-desc"' in html
        assert "31 aug 2018: 8\u00a0% (mål 5\u00a0%), röd" in html

    def test_the_overview_draws_the_municipality_s_figure_at_every_cut_off(self):
        common = late_payments_common(self.org, 2018, "Betalas fakturor i tid?")
        ks_point = self.plan.control_points.get(common=common)
        sn_point = self.sn_plan.control_points.get(common=common)
        record(self.plan, date(2018, 8, 31), ks_point, "8")
        record(self.sn_plan, date(2018, 8, 31), sn_point, "4")
        record(self.plan, date(2018, 12, 31), ks_point, "5")
        record(self.sn_plan, date(2018, 12, 31), sn_point, "3")
        self.client.force_login(self.auditor)
        url = reverse("oversight:overview", args=["testkommun"])
        html = self.client.get(url, {"ar": 2018, "per": "2018-12-31"}).content.decode()
        assert "Försent betalda fakturor, hela kommunen: mätvärde per uppföljning 2018" in html
        # Unweighted means, as the table's figure: (8 + 4) / 2 and (5 + 3) / 2.
        assert "31 aug 2018: 6\u00a0% (mål 5\u00a0%), röd" in html
        assert "31 dec 2018: 4\u00a0% (mål 5\u00a0%), grön" in html
        earlier = self.client.get(url, {"ar": 2018, "per": "2018-08-31"}).content.decode()
        assert "31 dec 2018: 4" not in earlier
