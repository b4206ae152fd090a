"""A measured value is checked against what its unit allows before anything is saved."""

from django.urls import reverse

from ik.followups.models import FollowUpEntry
from ik.test import BaseTestCase


class MeasuredValueRangeTests(BaseTestCase):
    def post(self, value):
        self.client.force_login(self.owner)
        url = reverse("followups:entry_edit", kwargs={"entry_id": self.entry.public_id})
        data = {
            "execution_status": "done",
            "result_text": "Mätt",
            "measured_value": value,
            "version": FollowUpEntry.objects.get(pk=self.entry.pk).version,
        }
        return self.client.post(url, data)

    def test_a_percentage_above_100_is_refused_and_nothing_is_saved(self):
        response = self.post("150")
        assert response.status_code == 422
        assert "ska vara mellan 0 och 100 %, inte 150\u00a0%" in response.content.decode()
        assert FollowUpEntry.objects.get(pk=self.entry.pk).measured_value is None

    def test_a_negative_percentage_is_refused(self):
        response = self.post("-3")
        assert response.status_code == 422
        assert "inte -3\u00a0%" in response.content.decode()

    def test_a_count_may_be_large_but_not_negative(self):
        self.point.measure_unit = "st"
        self.point.save()
        assert "inte vara negativt (-1\u00a0st)" in self.post("-1").content.decode()
        assert self.post("1500").status_code == 302
        assert FollowUpEntry.objects.get(pk=self.entry.pk).measured_value == 1500

    def test_the_bounds_themselves_are_accepted(self):
        assert self.post("0").status_code == 302
        assert self.post("100").status_code == 302
