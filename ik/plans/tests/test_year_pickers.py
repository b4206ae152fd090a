"""The timeline and common-point pages offer every year that has data, and the timeline links
each cut-off with follow-ups to the overview at that date."""

import re
from datetime import date
from unittest import mock

from django.urls import reverse

from ik.org.models import Committee, Role
from ik.plans import services
from ik.test import TEST_SETUP, BaseTestCase, make_plan, make_user


def years_offered(html: str) -> list[int]:
    nav = re.search(r'<nav aria-label="Välj år" class="tabs">(.*?)</nav>', html, re.S)
    assert nav is not None
    return [int(y) for y in re.findall(r'href="\?ar=(\d{4})"', nav.group(1))]


class YearPickerTests(BaseTestCase):
    def setUp(self):
        make_plan(
            Committee.objects.create(organisation=self.org, code="bun", name="BUN"), year=2012
        )
        services.deadline_create(
            organisation=self.org,
            by=TEST_SETUP,
            year=2015,
            kind="followup",
            cutoff=date(2015, 8, 31),
            due_on=date(2015, 9, 20),
        )

    def test_both_pages_offer_every_year_with_data_this_year_and_next(self):
        self.client.force_login(self.auditor)
        pages = ("plans:common_list", "plans:deadline_list")
        with mock.patch("django.utils.timezone.localdate", return_value=date(2026, 5, 1)):
            for name in pages:
                url = reverse(name, kwargs={"org": "testkommun"})
                html = self.client.get(url, {"ar": 2015}).content.decode()
                # 2012: a plan; 2015: a deadline; 2017: a common point; 2018: plans.
                assert years_offered(html) == [2012, 2015, 2017, 2018, 2026, 2027], name
                assert '<a href="?ar=2015" aria-current="true">2015</a>' in html
        with mock.patch("django.utils.timezone.localdate", return_value=date(2026, 5, 1)):
            html = self.client.get(url, {"ar": 2030}).content.decode()
        assert 2030 in years_offered(html)  # the year shown, even without data

    def test_another_organisation_s_years_are_not_offered(self):
        make_plan(self.foreign_plan.committee, year=2009)
        self.client.force_login(self.controller)
        url = reverse("plans:deadline_list", kwargs={"org": "testkommun"})
        assert 2009 not in years_offered(self.client.get(url).content.decode())

    def test_the_timeline_links_a_cut_off_with_follow_ups_to_the_overview_for_overseers(self):
        services.deadline_create(
            organisation=self.org,
            by=TEST_SETUP,
            year=2018,
            kind="followup",
            cutoff=date(2018, 8, 31),
            due_on=date(2018, 9, 20),
        )
        services.deadline_create(
            organisation=self.org,
            by=TEST_SETUP,
            year=2018,
            kind="followup",
            cutoff=date(2018, 12, 31),
            due_on=date(2019, 1, 20),
        )
        url = reverse("plans:deadline_list", kwargs={"org": "testkommun"})
        self.client.force_login(self.auditor)
        html = self.client.get(url, {"ar": 2018}).content.decode()
        overview = reverse("oversight:overview", kwargs={"org": "testkommun"})
        assert f'href="{overview}?ar=2018&amp;per=2018-08-31">Översikt per 2018-08-31' in html
        assert "Översikt per 2018-12-31" not in html  # no follow-up per that date yet
        # A committee secretary outside the board may read the timeline, not the overview.
        sn_secretary = make_user(
            "sn-sekreterare", organisation=self.org, role=Role.SECRETARY, committee=self.sn
        )
        self.client.force_login(sn_secretary)
        html = self.client.get(url, {"ar": 2018}).content.decode()
        assert "Översikt per" not in html
