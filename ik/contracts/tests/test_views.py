from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ik.contracts import forms, services
from ik.contracts.inputs import procurement_settings
from ik.contracts.models import Contract
from ik.contracts.tests.test_services import GOOD, contracts_csv
from ik.test import TEST_SETUP, BaseTestCase


def upload(data: bytes, name: str = "avtal.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


class ContractListTests(BaseTestCase):
    def url(self, org="testkommun"):
        return reverse("contracts:contract_list", kwargs={"org": org})

    def test_lists_the_contracts_with_their_status_for_a_reader(self):
        services.contract_register_import(organisation=self.org, by=TEST_SETUP, file=GOOD)
        self.client.force_login(self.auditor)
        html = self.client.get(self.url()).content.decode()
        assert "Vätterns El AB" in html and "556475-6467" in html and "Upphört" in html
        assert "2 avtalsrader" in html and "Exportera CSV" in html
        assert "Importera" not in html and "Ändra inställningar" not in html

    def test_search_narrows_the_list(self):
        services.contract_register_import(organisation=self.org, by=TEST_SETUP, file=GOOD)
        self.client.force_login(self.controller)
        html = self.client.get(self.url(), {"q": "städ"}).content.decode()
        assert "Östgöta Städ AB" in html and "Vätterns El AB" not in html

    def test_the_organisation_page_links_to_the_register(self):
        self.client.force_login(self.politician)
        html = self.client.get(reverse("web:organisation_detail", args=["testkommun"])).content
        assert self.url().encode() in html

    def test_stranger_gets_404_and_post_is_not_allowed(self):
        self.client.force_login(self.stranger)
        assert self.client.get(self.url()).status_code == 404
        self.client.force_login(self.controller)
        assert self.client.post(self.url()).status_code == 405

    def test_query_count_does_not_grow_with_the_register(self):
        self.client.force_login(self.controller)
        services.contract_register_import(organisation=self.org, by=TEST_SETUP, file=GOOD)
        with CaptureQueriesContext(connection) as small:
            self.client.get(self.url())
        rows = [f"Lev {i} AB;;A-{i};;;2018-01-01;;nej" for i in range(40)]
        services.contract_register_import(
            organisation=self.org, by=TEST_SETUP, file=contracts_csv(*rows)
        )
        with CaptureQueriesContext(connection) as large:
            response = self.client.get(self.url())
        assert response.content.decode().count("Lev ") >= 40
        assert len(large) == len(small)


class ContractImportViewTests(BaseTestCase):
    def url(self, org="testkommun"):
        return reverse("contracts:contract_import", kwargs={"org": org})

    def test_controller_imports_a_file(self):
        self.client.force_login(self.controller)
        assert self.client.get(self.url()).status_code == 200
        response = self.client.post(self.url(), {"file": upload(GOOD)})
        assert response.status_code == 302
        assert Contract.objects.filter(organisation=self.org).count() == 2

    def test_a_bad_file_is_shown_on_the_form_naming_row_and_column(self):
        self.client.force_login(self.controller)
        bad = contracts_csv("A AB;556012-5791;A-1;;;2018-01-01;;nej")
        response = self.client.post(self.url(), {"file": upload(bad)})
        assert response.status_code == 200
        html = response.content.decode()
        assert "Organisationsnumret är inte giltigt" in html and "rad 2, kolumn orgnr" in html
        assert not Contract.objects.filter(organisation=self.org).exists()

    def test_an_upload_over_the_limit_is_refused_unread(self):
        self.client.force_login(self.controller)
        original = forms.MAX_IMPORT_BYTES
        forms.MAX_IMPORT_BYTES = 10
        try:
            response = self.client.post(self.url(), {"file": upload(GOOD)})
        finally:
            forms.MAX_IMPORT_BYTES = original
        assert "gränsen är" in response.content.decode()
        assert not Contract.objects.filter(organisation=self.org).exists()

    def test_read_only_users_get_403_strangers_404_and_other_methods_405(self):
        for user in (self.auditor, self.owner, self.secretary):
            self.client.force_login(user)
            assert self.client.get(self.url()).status_code == 403
            assert self.client.post(self.url(), {"file": upload(GOOD)}).status_code == 403
        self.client.force_login(self.stranger)
        assert self.client.get(self.url()).status_code == 404
        self.client.force_login(self.controller)
        assert self.client.put(self.url()).status_code == 405


class ContractExportTests(BaseTestCase):
    def test_export_downloads_csv_and_xlsx_and_refuses_other_formats(self):
        services.contract_register_import(organisation=self.org, by=TEST_SETUP, file=GOOD)
        self.client.force_login(self.auditor)
        url = reverse("contracts:contract_export", args=["testkommun", "csv"])
        response = self.client.get(url)
        assert response.status_code == 200 and "Vätterns El AB".encode() in response.content
        assert 'filename="avtalsregister-testkommun.csv"' in response["Content-Disposition"]
        xlsx = self.client.get(reverse("contracts:contract_export", args=["testkommun", "xlsx"]))
        assert xlsx.content[:2] == b"PK"
        assert (
            self.client.get(reverse("contracts:contract_export", args=["testkommun", "pdf"]))
        ).status_code == 404
        assert self.client.post(url).status_code == 405
        self.client.force_login(self.stranger)
        assert self.client.get(url).status_code == 404


class ProcurementSettingsViewTests(BaseTestCase):
    def url(self, org="testkommun"):
        return reverse("contracts:procurement_settings_edit", kwargs={"org": org})

    def test_controller_sets_a_limit_with_a_swedish_number(self):
        self.client.force_login(self.controller)
        assert self.client.get(self.url()).status_code == 200
        data = {
            "window": "rolling",
            "direct_procurement_limit": "500 000",
            "compliance_target": "85",
        }
        assert self.client.post(self.url(), data).status_code == 302
        settings = procurement_settings(self.org)
        assert (settings.window, settings.direct_procurement_limit) == ("rolling", 500000)

    def test_a_target_over_100_is_refused(self):
        self.client.force_login(self.controller)
        data = {"window": "calendar", "compliance_target": "120"}
        response = self.client.post(self.url(), data)
        assert "mellan 0 och 100" in response.content.decode()

    def test_read_only_403_stranger_404_wrong_method_405(self):
        self.client.force_login(self.auditor)
        assert self.client.get(self.url()).status_code == 403
        self.client.force_login(self.stranger)
        assert self.client.get(self.url()).status_code == 404
        self.client.force_login(self.controller)
        assert self.client.delete(self.url()).status_code == 405
