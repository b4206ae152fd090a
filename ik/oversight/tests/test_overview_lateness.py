"""The overview names the committees that missed a deadline and links to the timeline."""

from django.urls import reverse

from ik.test import BaseTestCase


class OverviewLatenessTests(BaseTestCase):
    def test_late_committees_are_listed_with_links_to_their_row_and_the_timeline(self):
        self.client.force_login(self.controller)
        url = reverse("oversight:overview", args=["testkommun"])
        html = self.client.get(url, {"ar": 2018}).content.decode()
        assert "2 missade tidpunkter i tidsplanen" in html
        assert '<a href="#namnd-ks">Kommunstyrelsen</a>: Planen är inte fastställd.' in html
        assert '<tr id="namnd-ks">' in html
        assert reverse("plans:deadline_list", args=["testkommun"]) + "?ar=2018" in html
