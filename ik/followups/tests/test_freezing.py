"""A follow-up reported to the committee is frozen until someone reopens it with a reason."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ik.followups import services
from ik.followups.models import Deviation, FollowUp
from ik.org.models import AuditEvent
from ik.test import TEST_SETUP, BaseTestCase


def report(followup, by=TEST_SETUP):
    return services.followup_report(
        followup=followup, by=by, meeting_date=date(2018, 10, 3), decision_paragraph="§ 201"
    )


class FreezingServiceTests(BaseTestCase):
    def test_reporting_needs_the_decision(self):
        with pytest.raises(ValidationError) as caught:
            services.followup_report(
                followup=self.followup, by=self.secretary, meeting_date=None, decision_paragraph=" "
            )
        assert set(caught.value.error_dict) == {"meeting_date", "decision_paragraph"}
        self.followup.refresh_from_db()
        assert self.followup.is_open

    def test_reporting_freezes_and_is_recorded(self):
        report(self.followup, by=self.secretary)
        self.followup.refresh_from_db()
        assert self.followup.frozen_label == "Rapporterad till Kommunstyrelsen 2018-10-03 § 201"
        event = AuditEvent.objects.get(action="followup_report")
        assert event.actor == self.secretary
        assert event.changes["status"] == ["open", "reported"]

    def test_a_reported_followup_cannot_be_reported_again(self):
        report(self.followup)
        with pytest.raises(ValidationError):
            report(self.followup)

    def test_every_write_path_refuses_a_reported_followup(self):
        report(self.followup)
        with pytest.raises(ValidationError, match="rapporterad"):
            services.entry_record(
                entry=self.entry, by=self.owner, execution_status="done", result_text="Sent"
            )
        with pytest.raises(ValidationError, match="rapporterad"):
            services.deviation_register(
                entry=self.entry, by=self.owner, description="Ny", severity="minor"
            )
        with pytest.raises(ValidationError, match="rapporterad"):
            services.followup_update(followup=self.followup, by=self.secretary, summary="Ny")
        assert self.entry.deviations.count() == 1
        self.followup.refresh_from_db()
        assert self.followup.summary == ""

    def test_a_stale_copy_of_the_followup_cannot_slip_a_change_in(self):
        stale = FollowUp.objects.get(pk=self.followup.pk)
        report(self.followup)
        assert stale.is_open
        with pytest.raises(ValidationError):
            services.followup_update(followup=stale, by=self.secretary, summary="Sent")

    def test_actions_can_still_be_followed_up(self):
        report(self.followup)
        services.action_update(action=self.action, by=self.owner, status="in_progress")
        self.action.refresh_from_db()
        assert self.action.status == "in_progress"

    def test_reopening_needs_a_reason_which_the_trail_records(self):
        report(self.followup)
        with pytest.raises(ValidationError):
            services.followup_reopen(followup=self.followup, by=self.secretary, reason="  ")
        services.followup_reopen(followup=self.followup, by=self.secretary, reason="Fel mätvärde")
        self.followup.refresh_from_db()
        assert self.followup.is_open
        event = AuditEvent.objects.get(action="followup_reopen")
        assert event.changes == {"status": ["reported", "open"], "reason": "Fel mätvärde"}

    def test_an_open_followup_cannot_be_reopened(self):
        with pytest.raises(ValidationError, match="inte rapporterad"):
            services.followup_reopen(followup=self.followup, by=self.secretary, reason="x")

    def test_setting_the_status_through_an_update_also_needs_the_decision(self):
        with pytest.raises(ValidationError):
            services.followup_update(followup=self.followup, by=TEST_SETUP, status="reported")


class FreezingViewTests(BaseTestCase):
    def url(self, name, followup=None):
        return reverse(f"followups:{name}", args=[(followup or self.followup).public_id])

    def test_the_secretary_reports_to_the_committee(self):
        self.client.force_login(self.secretary)
        assert (
            "Rapportera och lås"
            in self.client.get(self.url("followup_mark_reported")).content.decode()
        )
        response = self.client.post(
            self.url("followup_mark_reported"),
            {"meeting_date": "2018-10-03", "decision_paragraph": "201", "confirmed": "on"},
            follow=True,
        )
        html = response.content.decode()
        assert "Rapporterad till Kommunstyrelsen 2018-10-03 § 201" in html
        assert "Öppna igen" in html
        assert reverse("followups:entry_edit", args=[self.entry.public_id]) not in html

    def test_unreported_entries_are_named_and_must_be_confirmed(self):
        self.client.force_login(self.secretary)
        page = self.url("followup_mark_reported")
        html = self.client.get(page).content.decode()
        assert "2 av uppföljningens kontrollmoment är inte rapporterade" in html
        assert self.point.process_label in html and self.other_point.process_label in html
        response = self.client.post(page, {"meeting_date": "2018-10-03", "decision_paragraph": "1"})
        assert response.status_code == 422
        assert "Kryssa i rutan" in response.content.decode()
        self.followup.refresh_from_db()
        assert self.followup.is_open

    def test_no_confirmation_is_asked_when_every_entry_is_reported(self):
        self.followup.entries.update(execution_status="done")
        self.client.force_login(self.secretary)
        page = self.url("followup_mark_reported")
        assert "Kryssa" not in self.client.get(page).content.decode()
        response = self.client.post(page, {"meeting_date": "2018-10-03", "decision_paragraph": "1"})
        assert response.status_code == 302

    def test_a_report_without_date_is_refused(self):
        self.client.force_login(self.secretary)
        response = self.client.post(
            self.url("followup_mark_reported"), {"decision_paragraph": "§ 1"}
        )
        assert response.status_code == 422
        self.followup.refresh_from_db()
        assert self.followup.is_open

    def test_report_view_404_403_405(self):
        self.client.force_login(self.stranger)
        assert self.client.get(self.url("followup_mark_reported")).status_code == 404
        for user in (self.owner, self.auditor, self.politician):
            self.client.force_login(user)
            assert self.client.get(self.url("followup_mark_reported")).status_code == 403
        self.client.force_login(self.secretary)
        assert self.client.put(self.url("followup_mark_reported")).status_code == 405
        report(self.followup)
        assert self.client.get(self.url("followup_mark_reported")).status_code == 403

    def test_every_write_page_of_a_reported_followup_is_refused(self):
        report(self.followup)
        self.client.force_login(self.secretary)
        pages = [
            self.url("followup_edit"),
            reverse("followups:entry_edit", args=[self.entry.public_id]),
            reverse("followups:deviation_create", args=[self.entry.public_id]),
        ]
        for page in pages:
            assert self.client.get(page).status_code == 403, page
            assert (
                self.client.post(page, {"description": "x", "severity": "minor"}).status_code == 403
            )
        assert Deviation.objects.filter(entry=self.entry).count() == 1

    def test_reopening_with_a_reason(self):
        report(self.followup)
        self.client.force_login(self.controller)
        response = self.client.post(self.url("followup_reopen"), {"reason": "Nytt underlag"})
        assert response.status_code == 302
        self.followup.refresh_from_db()
        assert self.followup.is_open
        html = self.client.get(self.url("followup_detail")).content.decode()
        assert "Skäl: Nytt underlag" in html

    def test_reopening_without_a_reason_is_refused(self):
        report(self.followup)
        self.client.force_login(self.secretary)
        response = self.client.post(self.url("followup_reopen"), {"reason": ""})
        assert response.status_code == 422
        assert "Ange varför uppföljningen öppnas igen" in response.content.decode()

    def test_only_committee_writers_and_controllers_reopen(self):
        report(self.followup)
        for user in (self.owner, self.auditor, self.politician):
            self.client.force_login(user)
            assert self.client.post(self.url("followup_reopen"), {"reason": "x"}).status_code == 403
        self.client.force_login(self.stranger)
        assert self.client.get(self.url("followup_reopen")).status_code == 404
        self.client.force_login(self.secretary)
        assert self.client.put(self.url("followup_reopen")).status_code == 405
        assert self.client.get(self.url("followup_reopen")).status_code == 200

    def test_an_open_followup_has_nothing_to_reopen(self):
        self.client.force_login(self.secretary)
        assert self.client.get(self.url("followup_reopen")).status_code == 403


class FollowUpHistoryTests(BaseTestCase):
    def test_each_entry_has_a_collapsed_history(self):
        services.entry_record(
            entry=self.entry,
            by=self.owner,
            execution_status="done",
            result_text="OK",
            measured_value=3,
        )
        self.client.force_login(self.auditor)
        html = self.client.get(self.followup.get_absolute_url()).content.decode()
        assert html.count('<details class="history">') == 2
        assert "Genomförande: Ej påbörjad → Genomförd" in html
        assert "Bedömning: – → Grön – utan anmärkning" in html
        # The deviations on an entry belong to its history too.
        assert "Registrerade avvikelse på" in html
        assert "Allvarlighetsgrad: Mindre avvikelse" in html

    def test_the_followup_page_queries_do_not_grow_with_history(self):
        self.client.force_login(self.auditor)
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.followup.get_absolute_url())
        for value in (1, 2, 3, 9):
            services.entry_record(
                entry=self.entry,
                by=self.owner,
                execution_status="done",
                result_text=str(value),
                measured_value=value,
            )
            services.entry_record(
                entry=self.other_entry,
                by=self.secretary,
                execution_status="in_progress",
                result_text=str(value),
            )
        with CaptureQueriesContext(connection) as many:
            self.client.get(self.followup.get_absolute_url())
        assert len(many) == len(few)

    def test_the_action_page_shows_its_history(self):
        self.client.force_login(self.owner)
        response = self.client.get(reverse("followups:action_edit", args=[self.action.public_id]))
        html = response.content.decode()
        assert 'id="action-history-h"' in html
        assert "Beslutad åtgärd: Rutin" in html
