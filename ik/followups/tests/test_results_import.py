"""Result sheets: download a follow-up for units, read the filled-in sheet back."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from ik.followups.models import FollowUpEntry
from ik.followups.services import followup_report
from ik.org.models import AuditEvent
from ik.reports.result_sheet import RESULT_SHEET
from ik.test import TEST_SETUP, BaseTestCase

STATUS, REASON, RESULT, VALUE, ID = 5, 6, 7, 8, 10


def _sheet_url(followup):
    return reverse("reports:result_sheet", kwargs={"followup_id": followup.public_id})


def _url(name, followup):
    return reverse(f"followups:{name}", kwargs={"followup_id": followup.public_id})


class ResultSheetTests(BaseTestCase):
    def download(self):
        self.client.force_login(self.controller)
        response = self.client.get(_sheet_url(self.followup))
        assert response.status_code == 200
        return load_workbook(io.BytesIO(response.content))

    def filled(self, edit):
        book = self.download()
        sheet = book[RESULT_SHEET]
        edit(sheet)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    def test_the_sheet_has_one_row_per_point_with_code_question_owner_and_id(self):
        sheet = self.download()[RESULT_SHEET]
        header = [c.value for c in sheet[1]]
        assert header[:8] == [
            "Nr",
            "Process",
            "Kontrollmoment",
            "Kontrollansvarig",
            "Genomförande",
            "Skäl om ej genomförd",
            "Resultat",
            "Mätvärde",
        ]
        assert sheet.max_row == 3
        assert sheet.cell(row=2, column=3).value == "Fråga 1?"
        assert sheet.cell(row=2, column=4).value == "Ekonomichef, Olle Ägare"
        assert sheet.cell(row=2, column=ID).value == str(self.entry.public_id)

    def test_a_filled_in_sheet_is_previewed_then_saved_as_the_uploader(self):
        def fill(sheet):
            sheet.cell(row=2, column=STATUS, value="Genomförd")
            sheet.cell(row=2, column=RESULT, value="6 % betalades sent")
            sheet.cell(row=2, column=VALUE, value=6)
            sheet.cell(row=3, column=STATUS, value="Ej genomförd")
            sheet.cell(row=3, column=REASON, value="Sjukdom")

        data = self.filled(fill)
        upload = {"file": SimpleUploadedFile("resultat.xlsx", data)}
        preview = self.client.post(_url("results_import", self.followup), upload)
        assert preview.status_code == 200
        assert "Spara 2 resultat" in preview.content.decode()
        self.entry.refresh_from_db()
        assert self.entry.execution_status == "not_started"  # the preview saved nothing
        form = preview.context["form"]
        post = {name: form[name].value() for name in form.fields}
        response = self.client.post(_url("results_import_confirm", self.followup), post)
        assert response.status_code == 302
        self.entry.refresh_from_db()
        self.other_entry.refresh_from_db()
        assert self.entry.execution_status == "done"
        assert self.entry.measured_value == Decimal(6)
        assert self.entry.assessment == "red"  # 6 % against at most 5 %, no yellow band
        assert self.entry.result_text == "6 % betalades sent"
        assert self.other_entry.not_done_reason == "Sjukdom"
        events = AuditEvent.objects.filter(action__in=["entry_record", "results_import"])
        assert {e.actor for e in events} == {self.controller}

    def test_a_bad_row_refuses_the_whole_sheet(self):
        def fill(sheet):
            sheet.cell(row=2, column=STATUS, value="Genomförd")
            sheet.cell(row=3, column=STATUS, value="Ej genomförd")  # no reason

        self.client.force_login(self.controller)
        data = self.filled(fill)
        response = self.client.post(
            _url("results_import", self.followup),
            {"file": SimpleUploadedFile("r.xlsx", data)},
        )
        assert response.status_code == 400
        assert "Rad 3" in response.content.decode()
        self.entry.refresh_from_db()
        assert self.entry.execution_status == "not_started"

    def test_an_unknown_status_is_named_by_row_and_column(self):
        data = self.filled(lambda sheet: sheet.cell(row=2, column=STATUS, value="Kanske"))
        response = self.client.post(
            _url("results_import", self.followup),
            {"file": SimpleUploadedFile("r.xlsx", data)},
        )
        assert response.status_code == 400
        assert "Rad 2, kolumn E (”Genomförande”)" in response.content.decode()

    def test_a_reported_followup_refuses(self):
        data = self.filled(lambda sheet: sheet.cell(row=2, column=STATUS, value="Genomförd"))
        followup_report(
            followup=self.followup,
            by=TEST_SETUP,
            meeting_date=date(2018, 9, 20),
            decision_paragraph="§ 5",
        )
        response = self.client.post(
            _url("results_import", self.followup),
            {"file": SimpleUploadedFile("r.xlsx", data)},
        )
        assert response.status_code == 403
        assert self.client.get(_url("results_import", self.followup)).status_code == 403

    def test_stranger_gets_404(self):
        self.client.force_login(self.stranger)
        assert self.client.get(_sheet_url(self.followup)).status_code == 404
        assert self.client.get(_url("results_import", self.followup)).status_code == 404
        assert self.client.post(_url("results_import_confirm", self.followup)).status_code == 404

    def test_auditor_may_download_but_not_read_in(self):
        self.client.force_login(self.auditor)
        assert self.client.get(_sheet_url(self.followup)).status_code == 200
        assert self.client.get(_url("results_import", self.followup)).status_code == 403
        assert self.client.post(_url("results_import_confirm", self.followup)).status_code == 403

    def test_wrong_methods(self):
        self.client.force_login(self.controller)
        assert self.client.post(_sheet_url(self.followup)).status_code == 405
        assert self.client.get(_url("results_import_confirm", self.followup)).status_code == 405


class ImportResultsCommandTests(BaseTestCase):
    @pytest.fixture(autouse=True)
    def _tmp(self, tmp_path):
        self.tmp = tmp_path

    def run_command(self, path, *args):
        out = io.StringIO()
        call_command(
            "importresults",
            str(path),
            "--organisation",
            "testkommun",
            "--committee",
            "ks",
            "--year",
            "2018",
            "--cutoff",
            "2018-08-31",
            *args,
            stdout=out,
        )
        return out.getvalue()

    def test_a_csv_without_ids_is_matched_by_number_and_saved_by_the_command(self):
        text = (
            "Resultat från enheterna\n"
            "Nr;Kontrollmoment;Status;Resultat\n"
            "2;Fråga 2?;Pågår;Halvvägs\n"
        )
        path = self.tmp / "resultat.csv"
        path.write_bytes(text.encode("cp1252"))
        output = self.run_command(path, "--dry-run")
        assert "Skulle läsa in 1 resultat" in output
        assert FollowUpEntry.objects.get(pk=self.other_entry.pk).execution_status == "not_started"
        self.run_command(path)
        self.other_entry.refresh_from_db()
        assert (self.other_entry.execution_status, self.other_entry.result_text) == (
            "in_progress",
            "Halvvägs",
        )
        event = AuditEvent.objects.get(action="results_import")
        assert event.system_actor == "importresults"

    def test_an_unknown_control_point_refuses_with_exit_code(self):
        path = self.tmp / "resultat.csv"
        path.write_text("Kontrollmoment;Status\nFinns inte?;Genomförd\n", encoding="utf-8")
        with pytest.raises(CommandError, match="Rad 2"):
            self.run_command(path)
