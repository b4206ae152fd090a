"""CSRF is enforced, and user text cannot inject markup into pages or documents."""

import io
import zipfile

from django.test import Client
from django.urls import reverse

from ik.followups.services import entry_record
from ik.reports.queries import followup_document
from ik.reports.render import render
from ik.test import PASSWORD, TEST_SETUP, BaseTestCase

PAYLOAD = '<script>alert("x")</script> & <b>fet</b>'


class CsrfTests(BaseTestCase):
    def test_a_post_without_the_csrf_token_is_refused(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.secretary)
        url = reverse("followups:followup_create", kwargs={"plan_id": self.plan.public_id})
        response = client.post(url, {"cutoff": "2018-12-31"})
        assert response.status_code == 403
        assert not self.plan.followups.filter(cutoff="2018-12-31").exists()

    def test_the_login_form_needs_the_token_too(self):
        client = Client(enforce_csrf_checks=True)
        response = client.post(reverse("login"), {"username": "controller", "password": PASSWORD})
        assert response.status_code == 403


class EscapingTests(BaseTestCase):
    def setUp(self):
        entry_record(entry=self.entry, by=TEST_SETUP, execution_status="done", result_text=PAYLOAD)

    def test_script_in_a_result_is_escaped_on_the_pages(self):
        self.client.force_login(self.auditor)
        for url in (self.followup.get_absolute_url(), self.plan.get_absolute_url()):
            html = self.client.get(url).content.decode()
            assert "<script>alert" not in html
            assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html

    def test_script_in_a_result_is_plain_text_in_the_word_document(self):
        data = render(followup_document(self.followup), "docx")
        with zipfile.ZipFile(io.BytesIO(data)) as docx:
            xml = docx.read("word/document.xml").decode()
        assert "<script>" not in xml
        assert "&lt;script&gt;alert(" in xml
