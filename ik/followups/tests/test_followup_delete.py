from datetime import date

import pytest
from django.core.exceptions import ValidationError

from ik.followups import services
from ik.followups.models import FollowUp
from ik.org.models import AuditEvent
from ik.test import TEST_SETUP, BaseTestCase


class FollowUpDeleteTests(BaseTestCase):
    def new_followup(self):
        return services.followup_create(plan=self.plan, cutoff=date(2018, 12, 31), by=TEST_SETUP)

    def test_a_follow_up_with_nothing_reported_is_deleted_and_recorded(self):
        followup = self.new_followup()
        services.followup_delete(followup=followup, by=self.secretary)
        assert not FollowUp.objects.filter(pk=followup.pk).exists()
        event = AuditEvent.objects.get(action="followup_delete")
        assert event.changes["cutoff"] == "2018-12-31"
        assert event.actor == self.secretary

    def test_a_follow_up_with_a_reported_entry_stays(self):
        followup = self.new_followup()
        entry = followup.entries.first()
        entry.result_text = "Inga fel"
        entry.save()
        with pytest.raises(ValidationError, match="redan rapporterat"):
            services.followup_delete(followup=followup, by=TEST_SETUP)
        with pytest.raises(ValidationError, match="redan rapporterat"):
            services.followup_delete(followup=self.followup, by=TEST_SETUP)  # has a deviation
        assert FollowUp.objects.filter(pk__in=[followup.pk, self.followup.pk]).count() == 2

    def test_a_reported_follow_up_stays(self):
        followup = self.new_followup()
        services.followup_report(
            followup=followup, by=TEST_SETUP, meeting_date=date(2019, 2, 1), decision_paragraph="12"
        )
        with pytest.raises(ValidationError, match="rapporterad till nämnden"):
            services.followup_delete(followup=followup, by=TEST_SETUP)

    def test_unfinished_entries_are_listed_in_plan_order(self):
        followup = self.new_followup()
        first, second = followup.entries.order_by("control_point__position")
        second.execution_status = "done"
        second.save()
        assert services.unfinished_entries(followup) == [first]
