from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ik.reports.queries import followup_document
from ik.reports.render import render
from ik.test import BaseTestCase


def docx_bytes(followup) -> bytes:
    return render(followup_document(followup), "docx")


class OrganisationSettingsTests(BaseTestCase):
    def url(self, org="testkommun"):
        return reverse("web:organisation_settings", kwargs={"org": org})

    def data(self, **extra):
        return {"name": "Testkommun", "postal_address": "Box 1\n123 45 TESTSTAD", **extra}

    def test_controller_uploads_a_word_template_used_by_downloads(self):
        self.client.force_login(self.controller)
        template = SimpleUploadedFile("mall.docx", docx_bytes(self.followup))
        response = self.client.post(self.url(), self.data(word_template=template))
        assert response.status_code == 302
        self.org.refresh_from_db()
        assert self.org.word_template.name.endswith(".docx")
        url = reverse(
            "reports:followup_report",
            kwargs={"followup_id": self.followup.public_id, "fmt": "docx"},
        )
        assert self.client.get(url).content.startswith(b"PK")

    def test_a_file_that_is_not_a_docx_is_refused_with_a_clear_message(self):
        self.client.force_login(self.controller)
        fake = SimpleUploadedFile("mall.docx", b"%PDF-1.7 not a word file")
        response = self.client.post(self.url(), self.data(word_template=fake))
        assert response.status_code == 200
        assert "Filen är inte en Word-fil" in response.content.decode()
        self.org.refresh_from_db()
        assert not self.org.word_template

    def test_only_the_controller_may_change_settings(self):
        for user in (self.secretary, self.auditor):
            self.client.force_login(user)
            assert self.client.post(self.url(), self.data()).status_code == 403
        self.client.force_login(self.stranger)
        assert self.client.get(self.url()).status_code == 404


class OrganisationPageLinksTests(BaseTestCase):
    def test_only_the_controller_sees_the_settings_link(self):
        url = reverse("web:organisation_detail", kwargs={"org": "testkommun"})
        settings_url = reverse("web:organisation_settings", kwargs={"org": "testkommun"})
        self.client.force_login(self.controller)
        assert settings_url in self.client.get(url).content.decode()
        self.client.force_login(self.auditor)
        assert settings_url not in self.client.get(url).content.decode()
