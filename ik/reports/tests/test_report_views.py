from django.urls import reverse

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
