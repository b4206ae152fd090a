"""Reporting a follow-up archives its whole item; later downloads return those bytes."""

import hashlib

import pytest
from django.urls import reverse

from ik.followups import services as followups
from ik.followups.models import FollowUp
from ik.reports.models import ArchivedItem, ArchivedItemError
from ik.reports.tests.readback import docx_text
from ik.test import BaseTestCase


class ArchiveTests(BaseTestCase):
    def _report_on_the_page(self):
        self.client.force_login(self.secretary)
        return self.client.post(
            reverse("followups:followup_mark_reported", args=[self.followup.public_id]),
            {"meeting_date": "2018-10-03", "decision_paragraph": "201", "confirmed": "on"},
            follow=True,
        )

    def _item(self, fmt, query=""):
        url = reverse(
            "reports:followup_item", kwargs={"followup_id": self.followup.public_id, "fmt": fmt}
        )
        return self.client.get(url + query)

    def test_reporting_stores_the_item_as_pdfa_and_docx_with_its_hash(self):
        html = self._report_on_the_page().content.decode()
        archived = {a.format: a for a in ArchivedItem.objects.filter(followup=self.followup)}
        assert set(archived) == {"pdf", "docx"}
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
        assert ArchivedItem.objects.filter(followup=self.followup).count() == 2

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
