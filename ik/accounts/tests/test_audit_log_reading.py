"""Reading the audit log: who did it, numbers in Swedish, and no rows for changes that are none."""

from decimal import Decimal

from django.urls import reverse

from ik.followups.services import entry_record
from ik.org.audit import audit_record, describe_changes
from ik.org.models import AuditEvent
from ik.test import BaseTestCase


class AuditLogReadingTests(BaseTestCase):
    url = staticmethod(lambda: reverse("accounts:audit_log", kwargs={"org": "testkommun"}))

    def record(self, actor, summary, **changes):
        audit_record(
            organisation=self.org,
            actor=actor,
            action="test",
            obj=self.point,
            summary=summary,
            changes=changes,
        )

    def test_filters_by_the_person_who_made_the_change(self):
        self.record(self.secretary, "Sekreterarens ändring")
        self.record(self.controller, "Controllerns ändring")
        self.client.force_login(self.auditor)
        page = self.client.get(self.url()).content.decode()
        assert f'<option value="{self.secretary.pk}">' in page
        html = self.client.get(self.url(), {"actor": self.secretary.pk}).content.decode()
        assert "Sekreterarens ändring" in html and "Controllerns ändring" not in html

    def test_an_unknown_person_in_the_filter_is_ignored_not_an_error(self):
        self.client.force_login(self.auditor)
        assert self.client.get(self.url(), {"actor": "x"}).status_code == 200

    def test_numbers_read_in_swedish_and_equal_numbers_are_no_change(self):
        changes = describe_changes(
            "plans.controlpoint",
            {"target": ["5.0000", "7.5"], "warning_limit": ["9.5000", "9.5"]},
        )
        assert [(c.label, c.old, c.new) for c in changes] == [("Mål", "5", "7,5")]

    def test_saving_the_same_measured_value_again_records_nothing(self):
        data = {"execution_status": "done", "result_text": "8 %", "assessment": "red"}
        entry_record(entry=self.entry, by=self.owner, measured_value=Decimal("8.00"), **data)
        self.entry.refresh_from_db()
        before = AuditEvent.objects.count()
        entry_record(entry=self.entry, by=self.owner, measured_value=Decimal("8"), **data)
        assert AuditEvent.objects.count() == before
