"""A follow-up reported to the committee says so in its documents."""

import io
import zipfile
from datetime import date

from ik.followups.models import FollowUp
from ik.reports.queries import followup_document
from ik.reports.render import render
from ik.test import BaseTestCase


def docx_text(followup: FollowUp) -> str:
    data = render(followup_document(followup), "docx")
    with zipfile.ZipFile(io.BytesIO(data)) as docx:
        return docx.read("word/document.xml").decode()


class FrozenDocumentTests(BaseTestCase):
    def test_an_open_follow_up_has_no_frozen_notice(self):
        assert "låst för ändringar" not in docx_text(self.followup)

    def test_a_reported_follow_up_names_the_meeting_and_paragraph(self):
        FollowUp.objects.filter(pk=self.followup.pk).update(
            status=FollowUp.Status.REPORTED,
            meeting_date=date(2018, 10, 3),
            decision_paragraph="201",
        )
        self.followup.refresh_from_db()
        text = docx_text(self.followup)
        assert (
            "Uppföljningen är rapporterad till Kommunstyrelsen 2018-10-03, § 201 "
            "och låst för ändringar." in text
        )
        pdf = render(followup_document(self.followup), "pdf")
        assert pdf.startswith(b"%PDF")
