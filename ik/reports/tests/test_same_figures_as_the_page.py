"""The committee documents print a figure exactly as the page shows it."""

from decimal import Decimal

from django.urls import reverse

from ik.followups.models import FollowUpEntry
from ik.plans.models import ControlPoint
from ik.reports.tests.readback import docx_text, flat, pdf_text
from ik.test import BaseTestCase

NBSP = "\u00a0"


class SameFiguresTests(BaseTestCase):
    def _page_and_documents(self) -> tuple[str, str, str]:
        self.client.force_login(self.auditor)
        page = self.client.get(self.followup.get_absolute_url()).content.decode()
        documents = []
        for fmt in ("docx", "pdf"):
            url = reverse(
                "reports:followup_report",
                kwargs={"followup_id": self.followup.public_id, "fmt": fmt},
            )
            documents.append(self.client.get(url).content)
        return page, docx_text(documents[0]), pdf_text(documents[1])

    def test_measured_value_and_target_read_the_same_on_the_page_and_in_word_and_pdf(self):
        ControlPoint.objects.filter(pk=self.point.pk).update(target=Decimal("1234.5"))
        for measured, shown in (
            (Decimal("0.125"), f"0,125{NBSP}%"),
            (Decimal("8"), f"8{NBSP}%"),
            (Decimal("12345.25"), f"12{NBSP}345,25{NBSP}%"),
        ):
            FollowUpEntry.objects.filter(pk=self.entry.pk).update(measured_value=measured)
            page, word, pdf = self._page_and_documents()
            target = f"1{NBSP}234,5{NBSP}%"
            assert f"{shown} (mål högst {target})" in page
            assert f"{shown} mot målet högst {target}" in word
            assert flat(f"{shown} mot målet högst {target}") in flat(pdf)
