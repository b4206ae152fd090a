from django.urls import reverse

from ik.followups.models import FollowUp
from ik.reports.tests.readback import docx_text
from ik.test import BaseTestCase


class ReportDownloadTests(BaseTestCase):
    def test_each_format_downloads_for_a_reader(self):
        self.client.force_login(self.auditor)
        for fmt, magic in (("docx", b"PK"), ("xlsx", b"PK"), ("pdf", b"%PDF")):
            url = reverse(
                "reports:followup_report",
                kwargs={"followup_id": self.followup.public_id, "fmt": fmt},
            )
            response = self.client.get(url)
            assert response.status_code == 200, fmt
            assert response.content.startswith(magic)
            assert "uppfoljning-internkontrollplan-ks-2018-08-31" in response["Content-Disposition"]

    def test_plan_document_downloads(self):
        self.client.force_login(self.politician)
        url = reverse("reports:plan_report", kwargs={"plan_id": self.plan.public_id, "fmt": "docx"})
        assert self.client.get(url).status_code == 200

    def test_unknown_format_is_404_and_stranger_gets_404(self):
        self.client.force_login(self.auditor)
        url = reverse("reports:plan_report", kwargs={"plan_id": self.plan.public_id, "fmt": "odt"})
        assert self.client.get(url).status_code == 404
        self.client.force_login(self.stranger)
        url = reverse("reports:plan_report", kwargs={"plan_id": self.plan.public_id, "fmt": "pdf"})
        assert self.client.get(url).status_code == 404


class WholeItemDownloadTests(BaseTestCase):
    def _url(self, name: str, fmt: str = "pdf") -> str:
        return reverse(
            f"reports:{name}", kwargs={"followup_id": self.followup.public_id, "fmt": fmt}
        )

    def _record_protocol(self) -> None:
        FollowUp.objects.filter(pk=self.followup.pk).update(
            protocol_body=FollowUp.ProtocolBody.WORKING_COMMITTEE,
            decision_paragraph="137",
            protocol_title="Redovisning internkontrollplan",
        )

    def test_the_whole_item_starts_with_the_protocol_extract_once_recorded(self):
        self.client.force_login(self.auditor)
        before = docx_text(self.client.get(self._url("followup_item", "docx")).content)
        assert "Protokollsutdrag" not in before and "Tjänsteskrivelse" in before
        self._record_protocol()
        text = docx_text(self.client.get(self._url("followup_item", "docx")).content)
        assert text.index("Protokollsutdrag") < text.index("§ 137")
        assert text.index("§ 137") < text.index("Tjänsteskrivelse")
        assert "Arbetsutskottets förslag till kommunstyrelsen" in text

    def test_the_protocol_extract_alone_is_404_until_recorded(self):
        self.client.force_login(self.auditor)
        assert self.client.get(self._url("followup_protocol")).status_code == 404
        self._record_protocol()
        response = self.client.get(self._url("followup_protocol"))
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
        assert "protokollsutdrag-ks-2018-08-31.pdf" in response["Content-Disposition"]

    def test_a_stranger_gets_404_and_post_is_405(self):
        self._record_protocol()
        self.client.force_login(self.stranger)
        for name in ("followup_item", "followup_protocol"):
            assert self.client.get(self._url(name)).status_code == 404
        self.client.force_login(self.auditor)
        for name in ("followup_item", "followup_protocol"):
            assert self.client.post(self._url(name)).status_code == 405
