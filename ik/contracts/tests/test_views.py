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

    def preview(self, data: bytes, mode: str = "replace", **extra: str):
        response = self.client.post(self.url(), {"file": upload(data), "mode": mode, **extra})
        assert response.status_code == 200, response.content.decode()[:2000]
        return response.context["form"].initial, response.content.decode()

    def confirm(self, fields: dict, org: str = "testkommun"):
        url = reverse("contracts:contract_import_confirm", kwargs={"org": org})
        data = {k: ("" if v is None else v) for k, v in fields.items()}
        return self.client.post(url, data)

    def test_controller_previews_then_imports_a_file(self):
        self.client.force_login(self.controller)
        assert self.client.get(self.url()).status_code == 200
        fields, html = self.preview(GOOD)
        assert "Så ändras avtalsregistret" in html and "E-1 Vätterns El AB" in html
        assert not Contract.objects.filter(organisation=self.org).exists()
        response = self.confirm(fields)
        assert response.status_code == 302
        assert Contract.objects.filter(organisation=self.org).count() == 2

    def test_an_update_that_ends_what_is_missing_needs_a_date(self):
        self.client.force_login(self.controller)
        response = self.client.post(self.url(), {"file": upload(GOOD), "mode": "update_end"})
        assert "Ange den dag då avtalen som saknas i filen upphör" in response.content.decode()

    def test_data_changed_on_the_way_back_is_read_again_and_refused(self):
        self.client.force_login(self.controller)
        fields, _ = self.preview(GOOD)
        tampered = fields["register"].replace("2016-01-01", "1 jan 2016")
        response = self.confirm({**fields, "register": tampered})
        assert response.status_code == 302 and response["Location"] == self.url()
        assert not Contract.objects.filter(organisation=self.org).exists()
        page = self.client.get(self.url()).content.decode()
        assert "Datumet kan inte läsas" in page

    def test_a_register_changed_since_the_preview_is_shown_again_unsaved(self):
        self.client.force_login(self.controller)
        fields, _ = self.preview(GOOD)
        services.contract_register_import(
            organisation=self.org, by=TEST_SETUP, file=contracts_csv("X AB;;X-1;;;2018-01-01;;nej")
        )
        response = self.confirm(fields)
        assert response.status_code == 200
        assert "Registret har ändrats sedan förhandsvisningen" in response.content.decode()
        assert list(Contract.objects.values_list("contract_id", flat=True)) == ["X-1"]
        assert self.confirm(response.context["form"].initial).status_code == 302
        assert Contract.objects.filter(organisation=self.org).count() == 2

    def test_a_user_of_another_organisation_cannot_confirm_into_this_register(self):
        self.client.force_login(self.controller)
        fields, _ = self.preview(GOOD)
        self.client.force_login(self.stranger)
        assert self.confirm(fields).status_code == 404
        self.client.force_login(self.auditor)
        assert self.confirm(fields).status_code == 403
        assert not Contract.objects.filter(organisation=self.org).exists()
        self.client.force_login(self.controller)
        url = reverse("contracts:contract_import_confirm", kwargs={"org": "testkommun"})
        assert self.client.get(url).status_code == 405

    def test_a_bad_file_is_shown_on_the_form_naming_row_and_column(self):
        self.client.force_login(self.controller)
        bad = contracts_csv("A AB;556012-5791;A-1;;;2018-01-01;;nej")
        response = self.client.post(self.url(), {"file": upload(bad), "mode": "replace"})
        assert response.status_code == 400
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


class SingleContractViewTests(BaseTestCase):
    def setUp(self):
        services.contract_register_import(organisation=self.org, by=TEST_SETUP, file=GOOD)
        self.contract = Contract.objects.get(contract_id="E-1")

    def edit_url(self, name="contract_edit"):
        return reverse(f"contracts:{name}", kwargs={"contract_id": self.contract.public_id})

    def form_data(self, **changes):
        data = {
            "supplier": "Vätterns El AB",
            "orgnr": "556475-6467",
            "contract_id": "E-1",
            "title": "El",
            "category": "Energi",
            "valid_from": "2016-01-01",
            "valid_to": "2019-12-31",
            "framework": "",
            "version": self.contract.version,
        }
        return {**data, **changes}

    def test_controller_adds_a_contract_and_a_bad_number_is_named(self):
        self.client.force_login(self.controller)
        url = reverse("contracts:contract_create", kwargs={"org": "testkommun"})
        assert self.client.get(url).status_code == 200
        data = self.form_data(contract_id="E-2", orgnr="556475-6468")
        data.pop("version")
        html = self.client.post(url, data).content.decode()
        assert "Organisationsnumret är inte giltigt" in html
        data["orgnr"] = "5564756467"
        assert self.client.post(url, data).status_code == 302
        assert Contract.objects.get(contract_id="E-2").orgnr == "5564756467"

    def test_controller_edits_with_the_version_and_a_stale_form_saves_nothing(self):
        self.client.force_login(self.controller)
        html = self.client.get(self.edit_url()).content.decode()
        assert 'value="556475-6467"' in html and 'name="version"' in html
        assert self.client.post(self.edit_url(), self.form_data(category="El")).status_code == 302
        self.contract.refresh_from_db()
        assert self.contract.category == "El" and self.contract.version == 2
        stale = self.form_data(category="Energi", version=1)
        response = self.client.post(self.edit_url(), stale)
        assert "Någon annan har sparat här" in response.content.decode()
        missing = self.form_data(category="Energi", version="")
        response = self.client.post(self.edit_url(), missing)
        assert "saknar uppgift om vilken version" in response.content.decode()
        self.contract.refresh_from_db()
        assert self.contract.category == "El"

    def test_controller_ends_a_contract(self):
        self.client.force_login(self.controller)
        data = {"on": "2018-06-30", "version": self.contract.version}
        assert self.client.post(self.edit_url("contract_end"), data).status_code == 302
        self.contract.refresh_from_db()
        assert self.contract.valid_to.isoformat() == "2018-06-30"
        html = self.client.post(
            self.edit_url("contract_end"),
            {**data, "on": "2015-01-01", "version": self.contract.version},
        ).content.decode()
        assert "Avtalet börjar 2016-01-01" in html

    def test_readers_get_403_strangers_404_and_other_methods_405(self):
        for name in ("contract_edit", "contract_end"):
            url = self.edit_url(name)
            self.client.force_login(self.auditor)
            assert self.client.get(url).status_code == 403
            assert self.client.post(url, self.form_data()).status_code == 403
            self.client.force_login(self.stranger)
            assert self.client.get(url).status_code == 404
            assert self.client.post(url, self.form_data()).status_code == 404
            self.client.force_login(self.controller)
            assert self.client.put(url).status_code == 405
        self.contract.refresh_from_db()
        assert self.contract.valid_to.isoformat() == "2019-12-31"

    def test_the_list_offers_editing_only_to_those_who_may(self):
        self.client.force_login(self.controller)
        list_url = reverse("contracts:contract_list", kwargs={"org": "testkommun"})
        assert self.edit_url() in self.client.get(list_url).content.decode()
        self.client.force_login(self.auditor)
        assert self.edit_url() not in self.client.get(list_url).content.decode()
