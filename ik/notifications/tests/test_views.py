"""Preferences, the private calendar link and the organisation's reminder setting."""

from datetime import date

from django.urls import reverse

from ik.followups.services import followup_create
from ik.notifications.models import ReminderPreference, ReminderSettings
from ik.org.models import AuditEvent
from ik.test import TEST_SETUP, BaseTestCase

PREFERENCES = reverse("notifications:preferences")
REGENERATE = reverse("notifications:calendar_regenerate")


def _feed(token):
    return reverse("notifications:calendar_feed", kwargs={"token": token})


class PreferencesTests(BaseTestCase):
    def test_the_page_shows_the_choices_and_the_private_link(self):
        self.client.force_login(self.owner)
        response = self.client.get(PREFERENCES)
        assert response.status_code == 200
        token = ReminderPreference.objects.get(user=self.owner).calendar_token
        assert len(token) >= 40
        assert _feed(token) in response.content.decode()
        assert "Poster jag ska rapportera" in response.content.decode()

    def test_the_user_menu_links_to_the_page(self):
        self.client.force_login(self.owner)
        assert PREFERENCES in self.client.get(reverse("web:home")).content.decode()

    def test_choices_are_saved(self):
        self.client.force_login(self.owner)
        response = self.client.post(PREFERENCES, {"reminders": ["actions_overdue"]})
        assert response.status_code == 302
        preference = ReminderPreference.objects.get(user=self.owner)
        assert not preference.entries_due and preference.actions_overdue
        assert not preference.followups_due

    def test_a_read_only_user_has_no_reminders_to_choose(self):
        self.client.force_login(self.auditor)
        assert "läsande roll" in self.client.get(PREFERENCES).content.decode()
        assert self.client.post(PREFERENCES, {}).status_code == 403
        assert self.client.post(REGENERATE).status_code == 403

    def test_wrong_methods_are_refused(self):
        self.client.force_login(self.owner)
        assert self.client.put(PREFERENCES).status_code == 405
        assert self.client.get(REGENERATE).status_code == 405

    def test_a_new_link_stops_the_old_one(self):
        self.client.force_login(self.owner)
        self.client.get(PREFERENCES)
        old = ReminderPreference.objects.get(user=self.owner).calendar_token
        assert self.client.post(REGENERATE).status_code == 302
        new = ReminderPreference.objects.get(user=self.owner).calendar_token
        assert new != old
        self.client.logout()
        assert self.client.get(_feed(old)).status_code == 404
        assert self.client.get(_feed(new)).status_code == 200


class CalendarFeedTests(BaseTestCase):
    def setUp(self):
        self.action.owner_person = self.owner.person
        self.action.save()
        self.token = ReminderPreference.objects.create(user=self.owner).calendar_token

    def test_the_feed_needs_no_login_and_lists_the_users_due_dates(self):
        response = self.client.get(_feed(self.token))
        assert response.status_code == 200
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        text = response.content.decode().replace("\r\n ", "")
        assert f"UID:entry-{self.entry.public_id}@ik" in text
        assert "DTSTART;VALUE=DATE:20180910" in text
        assert f"UID:action-{self.action.public_id}@ik" in text
        assert "DTSTART;VALUE=DATE:20181231" in text
        # Only the owner's own entry: the other control point has no owner.
        assert f"entry-{self.other_entry.public_id}" not in text

    def test_an_unknown_token_is_404(self):
        assert self.client.get(_feed("x" * 43)).status_code == 404

    def test_an_inactive_users_feed_is_gone(self):
        self.owner.is_active = False
        self.owner.save()
        assert self.client.get(_feed(self.token)).status_code == 404

    def test_the_feed_is_read_only(self):
        assert self.client.post(_feed(self.token)).status_code == 405

    def test_the_feed_needs_the_same_queries_however_many_dates(self):
        with self.assertNumQueries(3):  # three reads, no transaction for a GET
            self.client.get(_feed(self.token))
        followup_create(
            plan=self.plan, cutoff=date(2018, 12, 31), by=TEST_SETUP, due_on=date(2019, 1, 15)
        )
        with self.assertNumQueries(3):  # three reads, no transaction for a GET
            text = self.client.get(_feed(self.token)).content.decode()
        assert "DTSTART;VALUE=DATE:20190115" in text


class ReminderSettingsTests(BaseTestCase):
    url = reverse("notifications:reminder_settings", kwargs={"org": "testkommun"})

    def test_the_controller_sets_the_days_and_the_trail_records_it(self):
        self.client.force_login(self.controller)
        assert self.client.get(self.url).status_code == 200
        response = self.client.post(self.url, {"days_before": "21"})
        assert response.status_code == 302
        assert ReminderSettings.objects.get(organisation=self.org).days_before == 21
        assert AuditEvent.objects.filter(action="reminder_settings_update").exists()

    def test_out_of_range_days_are_refused(self):
        self.client.force_login(self.controller)
        response = self.client.post(self.url, {"days_before": "0"})
        assert response.status_code == 200
        assert not ReminderSettings.objects.exists()

    def test_another_organisation_is_404(self):
        self.client.force_login(self.stranger)
        assert self.client.get(self.url).status_code == 404

    def test_others_than_the_controller_get_403(self):
        for user in (self.auditor, self.secretary):
            self.client.force_login(user)
            assert self.client.post(self.url, {"days_before": "3"}).status_code == 403

    def test_wrong_method_is_405(self):
        self.client.force_login(self.controller)
        assert self.client.put(self.url).status_code == 405
