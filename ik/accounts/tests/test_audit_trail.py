import csv
import io
from datetime import date

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ik.followups.services import entry_record
from ik.org.audit import audit_record, histories, history
from ik.org.models import AuditEvent, Membership, Role
from ik.test import BaseTestCase


class AppendOnlyTests(BaseTestCase):
    def event(self):
        return AuditEvent.objects.filter(organisation=self.org).first()

    def test_an_event_cannot_be_changed_or_deleted_through_the_model(self):
        event = self.event()
        event.summary = "Ändrad"
        with pytest.raises(PermissionError):
            event.save()
        with pytest.raises(PermissionError):
            event.delete()

    def test_bulk_changes_through_querysets_are_refused(self):
        events = AuditEvent.objects.filter(organisation=self.org)
        before = list(events.values_list("summary", flat=True))
        with pytest.raises(PermissionError):
            events.update(summary="Ändrad")
        with pytest.raises(PermissionError):
            events.delete()
        with pytest.raises(PermissionError):
            AuditEvent.objects.bulk_update(list(events), ["summary"])
        assert list(events.values_list("summary", flat=True)) == before

    def test_the_database_refuses_raw_changes_on_postgresql(self):
        event = self.event()
        if connection.vendor == "postgresql":
            for sql in (
                "UPDATE org_auditevent SET summary = 'x' WHERE id = %s",
                "DELETE FROM org_auditevent WHERE id = %s",
            ):
                with (
                    pytest.raises(DatabaseError, match="Händelseloggen"),
                    transaction.atomic(),
                    connection.cursor() as cursor,
                ):
                    cursor.execute(sql, [event.pk])
            event.refresh_from_db()
            assert event.summary != "x"
        else:
            # SQLite has no such trigger; the ORM's refusals above are what protect it.
            with pytest.raises(PermissionError):
                AuditEvent.objects.filter(pk=event.pk).update(summary="x")
            event.refresh_from_db()
            assert event.summary != "x"


class HistoryTests(BaseTestCase):
    def test_changes_carry_swedish_labels_and_readable_values(self):
        entry_record(
            entry=self.entry,
            by=self.owner,
            execution_status="done",
            result_text="Klart",
            measured_value=8,
        )
        [item, *_] = history(self.entry)
        assert item.actor == "Owner"
        changes = {c.label: (c.old, c.new) for c in item.changes}
        assert changes["Genomförande"] == ("Ej påbörjad", "Genomförd")
        assert changes["Bedömning"] == ("–", "Röd – väsentlig avvikelse")
        assert changes["Resultat"] == ("–", "Klart")

    def test_histories_of_many_objects_take_one_query(self):
        entries = list(self.followup.entries.all())
        with CaptureQueriesContext(connection) as queries:
            found = histories(entries)
        assert len(queries) == 1
        assert set(found) == {str(e.public_id) for e in entries}

    def test_the_plan_page_shows_its_history(self):
        self.client.force_login(self.auditor)
        html = self.client.get(self.plan.get_absolute_url()).content.decode()
        assert 'id="plan-history-h"' in html

    def test_the_control_point_page_shows_its_history(self):
        self.client.force_login(self.controller)
        url = reverse("plans:control_point_edit", args=[self.point.public_id])
        html = self.client.get(url).content.decode()
        assert 'id="point-history-h"' in html
        assert "Fråga 1?" in html


class AuditLogTests(BaseTestCase):
    def url(self, name="audit_log", org="testkommun"):
        return reverse(f"accounts:{name}", kwargs={"org": org})

    def record(self, summary, **changes):
        return audit_record(
            organisation=self.org,
            actor=self.controller,
            action="test",
            obj=self.plan,
            summary=summary,
            changes=changes,
        )

    def test_auditors_and_controllers_read_the_log(self):
        for user in (self.auditor, self.controller):
            self.client.force_login(user)
            response = self.client.get(self.url())
            assert response.status_code == 200
            assert "Händelselogg" in response.content.decode()

    def test_other_roles_get_403_and_strangers_404(self):
        for user in (self.secretary, self.owner, self.politician):
            self.client.force_login(user)
            assert self.client.get(self.url()).status_code == 403
            assert self.client.get(self.url("audit_log_csv")).status_code == 403
        self.client.force_login(self.stranger)
        assert self.client.get(self.url()).status_code == 404
        assert self.client.get(self.url("audit_log_csv")).status_code == 404

    def test_an_auditor_elsewhere_does_not_read_this_log(self):
        Membership.objects.create(
            user=self.stranger, organisation=self.org, role=Role.SECRETARY, committee=self.ks
        )
        Membership.objects.create(
            user=self.stranger,
            organisation=self.foreign_plan.committee.organisation,
            role=Role.AUDITOR,
        )
        self.client.force_login(self.stranger)
        assert self.client.get(self.url()).status_code == 403

    def test_post_is_not_allowed(self):
        self.client.force_login(self.auditor)
        assert self.client.post(self.url()).status_code == 405
        assert self.client.post(self.url("audit_log_csv")).status_code == 405

    def test_a_script_in_a_summary_is_escaped_on_the_page(self):
        self.record("<script>alert(1)</script>", case_number=["<b>", "<script>x</script>"])
        self.client.force_login(self.auditor)
        html = self.client.get(self.url()).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "&lt;script&gt;x&lt;/script&gt;" in html

    def test_the_page_is_paged_and_its_queries_do_not_grow(self):
        self.client.force_login(self.auditor)
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.url())
        for i in range(60):
            self.record(f"Händelse {i}", case_number=["a", "b"])
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(self.url())
        assert len(many) == len(few)
        html = response.content.decode()
        assert "Händelse 59" in html and "Händelse 0<" not in html
        assert "Äldre händelser" in html
        second = self.client.get(self.url(), {"sida": 2}).content.decode()
        assert "Händelse 0" in second

    def test_filters_by_object_type(self):
        self.client.force_login(self.auditor)
        html = self.client.get(self.url(), {"object_type": "followups.action"}).content.decode()
        assert "Beslutad åtgärd" in html
        assert "Skapade Uppföljning" not in html

    def read_csv(self, **params):
        self.client.force_login(self.auditor)
        response = self.client.get(self.url("audit_log_csv"), params)
        assert response.status_code == 200
        return response, b"".join(response.streaming_content)

    def test_the_csv_is_utf8_with_bom_and_semicolons(self):
        response, body = self.read_csv()
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert "attachment" in response["Content-Disposition"]
        assert body.startswith(b"\xef\xbb\xbf")
        header = body.decode("utf-8-sig").splitlines()[0]
        assert header == "Tidpunkt;Användare;Händelse;Objekttyp;Objekt;Beskrivning;Ändringar"

    def test_a_field_with_semicolon_and_newline_is_quoted(self):
        self.record("Del ett; del två", case_number=["rad 1\nrad 2", "ny; text"])
        _, body = self.read_csv()
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
        row = next(r for r in rows if r[5] == "Del ett; del två")
        assert row[6] == "Diarienummer: rad 1\nrad 2 → ny; text"
        assert '"Del ett; del två"' in body.decode("utf-8-sig")
        assert row[3] == "Internkontrollplan"

    def test_a_formula_is_not_run_by_excel(self):
        self.record('=HYPERLINK("http://x")')
        _, body = self.read_csv()
        assert "'=HYPERLINK" in body.decode("utf-8-sig")

    def test_the_csv_filters_by_date_and_object_type(self):
        _, everything = self.read_csv()
        _, actions = self.read_csv(object_type="followups.action")
        lines = actions.decode("utf-8-sig").splitlines()
        assert 1 < len(lines) < len(everything.decode("utf-8-sig").splitlines())
        _, none = self.read_csv(to_date="2000-01-01")
        assert len(none.decode("utf-8-sig").splitlines()) == 1
        _, today = self.read_csv(from_date=date.today().isoformat())
        assert len(today.decode("utf-8-sig").splitlines()) > 1
