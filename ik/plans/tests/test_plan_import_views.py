"""Reading a plan in through the pages: upload, preview with the mapping, confirm."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ik.engine.tests.plan_files import HEADER, municipal_docx, municipal_xlsx
from ik.org.models import AuditEvent
from ik.plans import import_forms
from ik.plans.models import Plan
from ik.test import BaseTestCase


def _url(name, org="testkommun", committee="sn"):
    return reverse(f"plans:{name}", kwargs={"org": org, "committee": committee})


def _upload(data, name="plan.xlsx", **extra):
    return {"year": "2019", "file": SimpleUploadedFile(name, data), **extra}


class PlanImportUploadTests(BaseTestCase):
    def test_upload_shows_every_row_and_the_mapping_and_saves_nothing(self):
        self.client.force_login(self.controller)
        response = self.client.post(_url("plan_import"), _upload(municipal_xlsx()))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Följs tillsynsplanen?" in html and "Tas avgifter ut enligt taxan?" in html
        assert "bladet ”IK-plan 2019”, rubrikrad 4" in html
        form = response.context["form"]
        assert form["map_purpose"].value() == "3"
        assert "Läs in 3 kontrollmoment" in html
        assert not Plan.objects.filter(committee=self.sn, year=2019).exists()
        assert not AuditEvent.objects.filter(action="plan_import").exists()

    def test_confirm_saves_the_rows_as_the_user_and_goes_to_the_plan(self):
        self.client.force_login(self.controller)
        form = self.client.post(_url("plan_import"), _upload(municipal_docx(), "plan.docx"))
        data = _form_data(form)
        response = self.client.post(_url("plan_import_confirm"), data)
        plan = Plan.objects.get(committee=self.sn, year=2019)
        assert response.status_code == 302
        assert response["Location"] == plan.get_absolute_url()
        assert plan.control_points.count() == 2
        event = AuditEvent.objects.get(action="plan_import")
        assert event.actor == self.controller
        again = self.client.post(_url("plan_import_confirm"), data)
        assert again.status_code == 302
        assert plan.control_points.count() == 2  # a resent form reads nothing twice

    def test_changing_the_mapping_updates_the_preview(self):
        self.client.force_login(self.controller)
        data = _form_data(self.client.post(_url("plan_import"), _upload(municipal_xlsx())))
        data["map_question"], data["map_purpose"] = "3", ""  # the purpose column instead
        response = self.client.post(_url("plan_import"), data)
        html = response.content.decode()
        assert response.status_code == 400  # rows without a purpose now lack Kontrollmoment
        assert "Kontrollmoment saknas" in html
        assert "Läs in 3" not in html
        data["map_question"], data["map_purpose"], data["map_method"] = "2", "3", ""
        response = self.client.post(_url("plan_import"), data)
        assert response.status_code == 200
        assert [r.method for r in response.context["rows"]] == ["", "", ""]

    def test_one_column_for_two_fields_is_refused(self):
        self.client.force_login(self.controller)
        data = _form_data(self.client.post(_url("plan_import"), _upload(municipal_xlsx())))
        data["map_scope"] = data["map_purpose"]
        response = self.client.post(_url("plan_import_confirm"), data)
        assert response.status_code == 400
        assert "redan vald" in response.content.decode()
        assert not Plan.objects.filter(committee=self.sn, year=2019).exists()

    def test_a_tampered_preview_is_refused_in_swedish(self):
        self.client.force_login(self.controller)
        data = _form_data(self.client.post(_url("plan_import"), _upload(municipal_xlsx())))
        data["table"] = json.dumps({"where": 1, "rows": "x"})
        response = self.client.post(_url("plan_import_confirm"), data)
        assert response.status_code == 400
        assert "Ladda upp filen igen" in response.content.decode()
        assert not Plan.objects.filter(committee=self.sn, year=2019).exists()

    def test_a_file_without_kontrollmoment_is_refused_naming_the_column(self):
        self.client.force_login(self.controller)
        header = tuple("Vad" if h == "Kontrollmoment" else h for h in HEADER)
        response = self.client.post(_url("plan_import"), _upload(municipal_xlsx(header=header)))
        assert response.status_code == 400
        assert "Kontrollmoment" in str(response.context["form"].errors["file"])

    def test_a_file_over_the_limit_is_refused_before_it_is_read(self):
        self.client.force_login(self.controller)
        original = import_forms.MAX_PLAN_FILE_BYTES
        import_forms.MAX_PLAN_FILE_BYTES = 100
        try:
            response = self.client.post(_url("plan_import"), _upload(municipal_xlsx()))
        finally:
            import_forms.MAX_PLAN_FILE_BYTES = original
        assert response.status_code == 400
        assert "gränsen är 100 byte" in response.content.decode()

    def test_an_adopted_plan_shows_why_it_cannot_take_the_file(self):
        self.plan.status = Plan.Status.ADOPTED
        self.plan.save()
        self.client.force_login(self.controller)
        response = self.client.post(
            _url("plan_import", committee="ks"), {**_upload(municipal_xlsx()), "year": "2018"}
        )
        assert response.status_code == 400
        assert "fastställd och tar inte emot" in response.content.decode()

    def test_stranger_gets_404(self):
        self.client.force_login(self.stranger)
        assert self.client.get(_url("plan_import")).status_code == 404
        assert self.client.post(_url("plan_import_confirm"), {}).status_code == 404

    def test_auditor_gets_403(self):
        self.client.force_login(self.auditor)
        assert self.client.get(_url("plan_import")).status_code == 403
        assert self.client.post(_url("plan_import"), _upload(municipal_xlsx())).status_code == 403
        assert self.client.post(_url("plan_import_confirm"), {}).status_code == 403

    def test_confirm_takes_post_only(self):
        self.client.force_login(self.controller)
        assert self.client.get(_url("plan_import_confirm")).status_code == 405
        assert self.client.put(_url("plan_import")).status_code == 405


def _form_data(response):
    form = response.context["form"]
    data = {name: form[name].value() for name in form.fields}
    return {k: ("" if v is None else str(v)) for k, v in data.items()}
