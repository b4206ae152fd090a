"""Reminders go to the right people, once per item and date, and respect opt-outs."""

import io
from datetime import date
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from ik.followups.models import FollowUpEntry
from ik.notifications.models import (
    ReminderKind,
    ReminderPreference,
    ReminderSettings,
    SentReminder,
)
from ik.notifications.reminders import send_reminders
from ik.test import BaseTestCase

# The test follow-up is due 2018-09-10; 14 days before is 2018-08-27.
IN_WINDOW = date(2018, 9, 1)


class ReminderTests(BaseTestCase):
    def setUp(self):
        for user in (self.owner, self.secretary, self.controller, self.auditor):
            user.email = f"{user.username}@kommun.se"
            user.save()

    def _sent(self, user, kind):
        return SentReminder.objects.filter(user=user, kind=kind)

    def test_the_control_owner_is_reminded_of_unreported_entries_within_the_window(self):
        send_reminders(today=IN_WINDOW)
        assert self._sent(self.owner, ReminderKind.ENTRY_DUE).get().object_id == (
            self.entry.public_id
        )
        (message,) = [m for m in mail.outbox if m.to == ["owner@kommun.se"]]
        assert "Rapportera senast 2018-09-10" in message.body
        assert "Fråga 1?" in message.body

    def test_nothing_is_sent_before_the_window_opens(self):
        assert send_reminders(today=date(2018, 8, 26)) == 0
        assert mail.outbox == []

    def test_the_organisation_chooses_how_many_days_before(self):
        ReminderSettings.objects.create(organisation=self.org, days_before=20)
        send_reminders(today=date(2018, 8, 26))
        assert self._sent(self.owner, ReminderKind.ENTRY_DUE).exists()

    def test_running_twice_sends_each_reminder_once(self):
        first = send_reminders(today=IN_WINDOW)
        outbox = len(mail.outbox)
        second = send_reminders(today=date(2018, 9, 2))
        assert first >= 2 and second == 0
        assert len(mail.outbox) == outbox
        assert SentReminder.objects.count() == first

    def test_a_new_due_date_is_a_new_occasion(self):
        send_reminders(today=IN_WINDOW)
        self.followup.due_on = date(2018, 9, 20)
        self.followup.save()
        send_reminders(today=date(2018, 9, 15))
        assert self._sent(self.owner, ReminderKind.ENTRY_DUE).count() == 2

    def test_reported_entries_are_not_reminded_of(self):
        FollowUpEntry.objects.filter(pk=self.entry.pk).update(execution_status="done")
        send_reminders(today=IN_WINDOW)
        assert not self._sent(self.owner, ReminderKind.ENTRY_DUE).exists()

    def test_a_user_who_opted_out_gets_nothing(self):
        ReminderPreference.objects.create(user=self.owner, entries_due=False)
        send_reminders(today=IN_WINDOW)
        assert not self._sent(self.owner, ReminderKind.ENTRY_DUE).exists()
        assert not [m for m in mail.outbox if m.to == ["owner@kommun.se"]]

    def test_secretaries_are_reminded_of_their_committees_followups(self):
        send_reminders(today=IN_WINDOW)
        assert self._sent(self.secretary, ReminderKind.FOLLOWUP_DUE).get().object_id == (
            self.followup.public_id
        )
        assert not SentReminder.objects.filter(user__in=[self.auditor, self.controller]).exists()

    def test_the_owner_of_an_overdue_action_is_reminded_once_it_is_late(self):
        self.action.owner_person = self.owner.person
        self.action.save()
        send_reminders(today=date(2018, 12, 31))
        assert not self._sent(self.owner, ReminderKind.ACTION_OVERDUE).exists()
        send_reminders(today=date(2019, 1, 1))
        send_reminders(today=date(2019, 1, 2))
        assert self._sent(self.owner, ReminderKind.ACTION_OVERDUE).count() == 1
        assert any("Åtgärden skulle vara klar 2018-12-31" in m.body for m in mail.outbox)

    def test_closed_actions_are_not_reminded_of(self):
        self.action.owner_person = self.owner.person
        self.action.status = "done"
        self.action.save()
        send_reminders(today=date(2019, 1, 1))
        assert not self._sent(self.owner, ReminderKind.ACTION_OVERDUE).exists()

    def test_users_without_email_are_skipped(self):
        self.owner.email = ""
        self.owner.save()
        send_reminders(today=IN_WINDOW)
        assert not self._sent(self.owner, ReminderKind.ENTRY_DUE).exists()


class SendRemindersCommandTests(BaseTestCase):
    def test_the_command_sends_once_however_often_it_runs(self):
        self.owner.email = "owner@kommun.se"
        self.owner.save()
        out = io.StringIO()
        call_command("sendreminders", "--today", "2018-09-01", stdout=out)
        call_command("sendreminders", "--today", "2018-09-01", stdout=out)
        assert len(mail.outbox) == 1
        assert out.getvalue().splitlines()[-1] == "2018-09-01: 0 påminnelser skickade."

    def test_a_bad_date_is_refused_in_swedish(self):
        with pytest.raises(CommandError, match="ska vara ett datum"):
            call_command("sendreminders", "--today", "31/8", stdout=io.StringIO())


class LoopTests(BaseTestCase):
    def test_the_loop_survives_a_failing_round_and_waits_the_interval(self):
        calls = []

        def flaky(*, today):
            calls.append(today)
            if len(calls) == 1:
                raise ConnectionRefusedError("SMTP-servern svarar inte")
            return 0

        waits = []

        def sleep(seconds):
            waits.append(seconds)
            if len(waits) == 2:
                raise KeyboardInterrupt

        out = io.StringIO()
        with (
            mock.patch("ik.notifications.management.commands.sendreminders.send_reminders", flaky),
            mock.patch("time.sleep", sleep),
            self.assertLogs("ik.notifications", level="ERROR"),
            pytest.raises(KeyboardInterrupt),
        ):
            call_command(
                "sendreminders", "--loop", "--interval", "60", "--today", "2018-09-01", stdout=out
            )
        assert calls == [date(2018, 9, 1), date(2018, 9, 1)]
        assert waits == [60, 60]
        assert out.getvalue() == "2018-09-01: 0 påminnelser skickade.\n"
