"""The tjänsteskrivelse carries its own date and diarienummer, and no system notice."""

from datetime import date

from django.utils import timezone

from ik.followups.models import FollowUp
from ik.reports.queries import followup_document, load_followup
from ik.reports.render import render
from ik.reports.tests.readback import docx_text, pdf_text
from ik.test import BaseTestCase


class DocumentDateTests(BaseTestCase):
    def _report(self, **fields):
        FollowUp.objects.filter(pk=self.followup.pk).update(
            status=FollowUp.Status.REPORTED,
            meeting_date=date(2018, 10, 3),
            decision_paragraph="201",
            **fields,
        )
        self.followup.refresh_from_db()

    def test_a_reported_follow_up_prints_no_system_notice_in_any_format(self):
        self._report()
        document = followup_document(self.followup)
        for text in (docx_text(render(document, "docx")), pdf_text(render(document, "pdf"))):
            assert "låst" not in text
            assert "rapporterad till" not in text.lower()

    def test_the_date_is_the_document_date_not_the_meeting_date(self):
        self._report(document_date=date(2018, 9, 12))
        text = docx_text(render(followup_document(self.followup), "docx"))
        assert "Datum: 2018-09-12" in text
        assert "2018-10-03" not in text

    def test_an_open_follow_up_without_a_document_date_is_dated_today(self):
        data = load_followup(self.followup)
        assert data.document_date == timezone.localdate()
        text = docx_text(render(followup_document(self.followup), "docx"))
        assert f"Datum: {timezone.localdate():%Y-%m-%d}" in text

    def test_the_follow_ups_own_diarienummer_replaces_the_plans(self):
        FollowUp.objects.filter(pk=self.followup.pk).update(case_number="KS/2018:412")
        self.followup.refresh_from_db()
        text = docx_text(render(followup_document(self.followup), "docx"))
        assert "Diarienummer: KS/2018:412" in text
