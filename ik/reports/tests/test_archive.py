"""Reporting a follow-up archives its whole item; later downloads return those bytes."""

import hashlib
from datetime import date

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from ik.followups import services as followups
from ik.followups.models import FollowUp
from ik.org.models import Role
from ik.reports.models import ArchivedItem, ArchivedItemError
from ik.reports.tests.readback import docx_text, flat, pdf_text
from ik.reports.tests.test_trends import record
from ik.test import BaseTestCase, make_user, mark_adopted


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class ArchiveCase(BaseTestCase):
    def _report_on_the_page(self):
        self.client.force_login(self.secretary)
        return self.client.post(
            reverse("followups:followup_mark_reported", args=[self.followup.public_id]),
            {"meeting_date": "2018-10-03", "decision_paragraph": "201", "confirmed": "on"},
            follow=True,
        )

    def _item(self, fmt, query="", view="followup_item"):
        url = reverse(
            f"reports:{view}", kwargs={"followup_id": self.followup.public_id, "fmt": fmt}
        )
        return self.client.get(url + query)


class ArchiveTests(ArchiveCase):
    def test_reporting_stores_the_item_as_pdfa_and_docx_with_its_hash(self):
        html = self._report_on_the_page().content.decode()
        archived = {a.format: a for a in ArchivedItem.objects.filter(followup=self.followup)}
        assert set(archived) == {"pdf", "docx", "xlsx"}
        pdf = archived["pdf"].read()
        assert pdf.startswith(b"%PDF") and b"pdfaid" in pdf
        for item in archived.values():
            assert item.sha256 == hashlib.sha256(item.read()).hexdigest()
            assert item.size == len(item.read())
            assert item.archived_by == self.secretary
            assert item.sha256 in html
        assert "Arkiverat vid beslut" in html

    def test_later_downloads_return_the_archived_bytes_though_the_data_changed(self):
        self._report_on_the_page()
        archived = ArchivedItem.objects.get(followup=self.followup, format="docx").read()
        # The plan's diarienummer changes later; the decided item keeps the old one.
        self.plan.case_number = "KS/2099:9"
        self.plan.save()
        response = self._item("docx")
        assert response.content == archived
        assert "-arkiverat.docx" in response["Content-Disposition"]
        current = self._item("docx", "?aktuellt=1")
        assert current.content != archived
        assert "aktuella-uppgifter" in current["Content-Disposition"]
        assert "KS/2099:9" in docx_text(current.content)
        assert "KS/2099:9" not in docx_text(archived)

    def test_an_archived_item_cannot_be_changed_or_removed(self):
        self._report_on_the_page()
        item = ArchivedItem.objects.filter(followup=self.followup).first()
        item.sha256 = "0" * 64
        with pytest.raises(ArchivedItemError):
            item.save()
        with pytest.raises(ArchivedItemError):
            item.delete()
        assert ArchivedItem.objects.filter(followup=self.followup).count() == 3

    def test_a_failing_archive_leaves_the_follow_up_open(self):
        def broken(**kwargs):
            raise OSError("disken är full")

        with pytest.raises(OSError):
            followups.followup_report(
                followup=self.followup,
                by=self.secretary,
                meeting_date=self.followup.cutoff,
                decision_paragraph="201",
                on_reported=broken,
            )
        assert FollowUp.objects.get(pk=self.followup.pk).is_open


class ArchivedTrendTests(ArchiveCase):
    def test_the_archived_item_shows_its_measured_points_trends_as_at_the_cut_off(self):
        record(self.plan, date(2018, 4, 30), self.point, "8")
        record(self.plan, self.followup.cutoff, self.point, "4.5")
        record(self.plan, date(2018, 11, 30), self.point, "3")
        self._report_on_the_page()
        for fmt, read in (("docx", docx_text), ("pdf", pdf_text)):
            text = flat(read(ArchivedItem.objects.get(followup=self.followup, format=fmt).read()))
            assert flat("Mätvärden över tid") in text, fmt
            assert "2018-04-308%" in text and "2018-08-314,5%" in text, fmt
            assert "2018-11-30" not in text, fmt  # measured after the cut-off


class ArchiveSemanticsTests(ArchiveCase):
    def test_a_plan_adopted_after_reporting_does_not_change_the_archived_downloads(self):
        self._report_on_the_page()
        archived = {a.format: a.sha256 for a in ArchivedItem.objects.filter(followup=self.followup)}
        before = {
            "pdf": _sha(self._item("pdf").content),
            "docx": _sha(self._item("docx").content),
            "xlsx": _sha(self._item("xlsx", view="followup_report").content),
        }
        assert before == archived
        mark_adopted(self.plan)
        after = {
            "pdf": _sha(self._item("pdf").content),
            "docx": _sha(self._item("docx").content),
            "xlsx": _sha(self._item("xlsx", view="followup_report").content),
        }
        assert after == archived
        archived_text = flat(pdf_text(self._item("pdf").content))
        current_text = flat(pdf_text(self._item("pdf", "?aktuellt=1").content))
        assert flat("ännu inte fastställt") in archived_text
        assert flat("ännu inte fastställt") not in current_text
        assert flat("beslutade vid sitt sammanträde") in current_text

    def test_memo_and_protocol_of_a_reported_follow_up_are_named_and_shown_as_todays_data(self):
        FollowUp.objects.filter(pk=self.followup.pk).update(protocol_body="committee")
        self._report_on_the_page()
        for fmt in ("docx", "pdf"):
            memo = self._item(fmt, view="followup_report")
            assert "-aktuella-uppgifter." in memo["Content-Disposition"], fmt
            protocol = self._item(fmt, view="followup_protocol")
            assert protocol.status_code == 200
            assert "-aktuella-uppgifter." in protocol["Content-Disposition"], fmt
        sheet = self._item("xlsx", view="followup_report")
        assert "-arkiverat.xlsx" in sheet["Content-Disposition"]
        current = self._item("xlsx", "?aktuellt=1", view="followup_report")
        assert "-aktuella-uppgifter.xlsx" in current["Content-Disposition"]
        page = self.client.get(self.followup.get_absolute_url()).content.decode()
        assert "Tjänsteskrivelse och bilaga med dagens uppgifter" in page
        assert "Protokollsutdraget med dagens uppgifter" in page

    def test_an_open_follow_up_downloads_carry_no_label(self):
        self.client.force_login(self.secretary)
        memo = self._item("docx", view="followup_report")
        assert "aktuella-uppgifter" not in memo["Content-Disposition"]
        assert (
            "dagens uppgifter"
            not in self.client.get(self.followup.get_absolute_url()).content.decode()
        )

    def test_every_archived_version_is_listed_and_downloadable(self):
        self._report_on_the_page()
        followups.followup_reopen(followup=self.followup, by=self.secretary, reason="Fel värde.")
        self.followup.refresh_from_db()
        self._report_on_the_page()
        versions = list(ArchivedItem.objects.filter(followup=self.followup))
        assert len(versions) == 6
        page = self.client.get(self.followup.get_absolute_url()).content.decode()
        for version in versions:
            url = reverse("reports:archived_item", args=[version.public_id])
            assert url in page
            response = self.client.get(url)
            assert _sha(response.content) == version.sha256
            assert "-arkiverat-" in response["Content-Disposition"]
            assert response["Content-Disposition"].endswith(f'.{version.format}"')

    def test_a_user_of_another_organisation_cannot_fetch_an_archive_by_id(self):
        self._report_on_the_page()
        version = ArchivedItem.objects.filter(followup=self.followup).first()
        url = reverse("reports:archived_item", args=[version.public_id])
        self.client.force_login(self.stranger)
        assert self.client.get(url).status_code == 404
        # A politician of another committee, in the same organisation, does not see KS's.
        sn_politician = make_user(
            "sn-politician", organisation=self.org, role=Role.POLITICIAN, committee=self.sn
        )
        self.client.force_login(sn_politician)
        assert self.client.get(url).status_code == 404
        self.client.force_login(self.politician)
        assert self.client.get(url).status_code == 200
        self.client.force_login(self.auditor)
        assert self.client.get(url).status_code == 200
        assert self.client.post(url).status_code == 405
        self.client.logout()
        assert self.client.get(url).status_code == 302


class ChangedFileTests(ArchiveCase):
    def test_an_archived_file_changed_on_disk_is_refused_not_served(self):
        self._report_on_the_page()
        item = ArchivedItem.objects.get(followup=self.followup, format="pdf")
        with open(item.file.path, "r+b") as fh:
            fh.seek(-8, 2)
            fh.write(b"ANDRAT\n\n")
        for url in (
            reverse("reports:archived_item", args=[item.public_id]),
            reverse("reports:followup_item", args=[self.followup.public_id, "pdf"]),
        ):
            with self.assertLogs("ik.reports.views", "ERROR"):
                response = self.client.get(url)
            assert response.status_code == 500
            assert "stämmer inte längre med sin SHA-256" in response.content.decode()
        docx = ArchivedItem.objects.get(followup=self.followup, format="docx")
        assert (
            self.client.get(reverse("reports:archived_item", args=[docx.public_id])).status_code
            == 200
        )


class DatabaseGuardTests(ArchiveCase):
    """The database itself refuses changes that bypass the model (migration 0006)."""

    def _raw(self, sql, params):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)

    def test_raw_sql_and_queryset_writes_cannot_change_or_remove_an_archived_item(self):
        self._report_on_the_page()
        item = ArchivedItem.objects.filter(followup=self.followup).first()
        sha = item.sha256
        with pytest.raises(DatabaseError):
            self._raw(
                "UPDATE reports_archiveditem SET sha256 = %s WHERE id = %s", ["0" * 64, item.pk]
            )
        with pytest.raises(DatabaseError), transaction.atomic():
            ArchivedItem.objects.filter(pk=item.pk).update(size=1)
        with pytest.raises(DatabaseError):
            self._raw("DELETE FROM reports_archiveditem WHERE id = %s", [item.pk])
        with pytest.raises(DatabaseError), transaction.atomic():
            ArchivedItem.objects.filter(followup=self.followup).delete()
        item.refresh_from_db()
        assert item.sha256 == sha and item.size == len(item.read())
        assert ArchivedItem.objects.filter(followup=self.followup).count() == 3

    def test_naming_another_follow_up_for_removal_does_not_release_this_ones_items(self):
        self._report_on_the_page()
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO reports_archiveditem_removal (followup_id) VALUES (%s)",
                [self.foreign_followup.pk],
            )
            cursor.execute(
                "DELETE FROM reports_archiveditem WHERE followup_id = %s", [self.followup.pk]
            )
        assert ArchivedItem.objects.filter(followup=self.followup).count() == 3
