from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ik.controls.models import ControlRun, LedgerMapping
from ik.controls.running import control_run_execute
from ik.engine.controls.registry import CONTROLS
from ik.followups.models import Action, Deviation
from ik.org.models import Unit
from ik.test import BaseTestCase

HEADER = "FAKTURANR;LEVERANTOR;ORGNR;ANSVAR;FAKTURADATUM;FORFALLODATUM;BETALDATUM;BELOPP_SEK\n"


def ledger(rows: list[str], name: str = "reskontra.csv", header: str = HEADER):
    return SimpleUploadedFile(name, (header + "".join(rows)).encode("cp1252"))


ON_TIME = "1;Åkeri AB;5560360793;11;2018-01-01;2018-01-31;2018-01-30;1 000,00\n"
LATE = "2;Åkeri AB;5560360793;11;2018-01-01;2018-01-31;2018-02-10;2 000,00\n"


class ControlRunCreateTests(BaseTestCase):
    def url(self, entry=None, control=""):
        url = reverse(
            "controls:control_run_create", kwargs={"entry_id": (entry or self.entry).public_id}
        )
        return f"{url}?kontroll={control}" if control else url

    def run_late_payments(self, rows, **extra):
        self.client.force_login(self.owner)
        data = {
            "kontroll": "late_payments",
            "mapping": "auto",
            "target": "5",
            "ledger": ledger(rows),
            **extra,
        }
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            response = self.client.post(self.url(), data)
        assert response.status_code == 302, response.content.decode()[:2000]
        assert len(callbacks) == 1  # the run is queued once the request commits
        run = ControlRun.objects.filter(entry=self.entry, control="late_payments").latest("id")
        assert response["Location"] == reverse(
            "controls:control_run_detail", kwargs={"run_id": run.public_id}
        )
        return control_run_execute(run_id=run.pk)

    def test_choose_page_lists_the_controls(self):
        self.client.force_login(self.owner)
        html = self.client.get(self.url()).content.decode()
        assert "Försent betalda fakturor" in html and "Kompetensöverlapp" in html

    def test_form_proposes_the_control_points_target(self):
        self.client.force_login(self.owner)
        html = self.client.get(self.url(control="late_payments")).content.decode()
        assert 'name="target" value="5"' in html

    def test_a_late_run_sets_the_value_and_proposes_a_deviation(self):
        before = Deviation.objects.filter(entry=self.entry).count()
        run = self.run_late_payments([ON_TIME, LATE])
        assert run.status == ControlRun.Status.DONE, run.error
        assert run.verdict == "red" and run.value == 0.5
        assert len(run.input_sha256) == 64
        assert run.files["ledger"]["sha256"] == run.input_sha256
        self.entry.refresh_from_db()
        assert self.entry.measured_value == Decimal(50)
        assert self.entry.assessment == "red"
        assert Deviation.objects.filter(entry=self.entry).count() == before + 1

    def test_a_rerun_updates_the_open_automatic_deviation_instead_of_adding_one(self):
        before = Deviation.objects.filter(entry=self.entry).count()
        first = self.run_late_payments([ON_TIME, LATE])
        second = self.run_late_payments([LATE])
        assert first.deviation_id == second.deviation_id is not None
        assert Deviation.objects.filter(entry=self.entry).count() == before + 1
        deviation = Deviation.objects.get(pk=second.deviation_id)
        assert deviation.description.startswith("Automatisk kontroll (Försent betalda fakturor)")
        assert "100,0\u00a0% av 1 betald faktura" in deviation.description
        assert "late_payments" not in deviation.description

    def test_a_rerun_after_the_deviation_is_closed_raises_a_new_one(self):
        first = self.run_late_payments([ON_TIME, LATE])
        Action.objects.create(
            deviation_id=first.deviation_id,
            description="Påminnelse om betalrutinen",
            owner_text="Ekonomichef",
            due_date=date(2018, 12, 31),
            status=Action.Status.CLOSED,
            effect_check="Stickprov i mars: inga sena betalningar.",
            closed_on=date(2018, 12, 1),
        )
        second = self.run_late_payments([LATE])
        assert second.deviation_id not in (None, first.deviation_id)

    def test_a_malformed_file_fails_with_row_and_column_and_leaves_no_evidence(self):
        bad = "3;Åkeri AB;5560360793;11;2018-01-01;inte ett datum;2018-02-10;100\n"
        run = self.run_late_payments([ON_TIME, bad])
        assert run.status == ControlRun.Status.FAILED
        assert "rad 3" in run.error.lower() or "Rad 3" in run.error
        assert run.result is None
        self.entry.refresh_from_db()
        assert self.entry.measured_value is None
        self.client.force_login(self.owner)
        page = self.client.get(
            reverse("controls:control_run_detail", kwargs={"run_id": run.public_id})
        ).content.decode()
        assert "Kontrollen kunde inte köras" in page
        assert "Ingenting sparades" in page

    def test_a_saved_mapping_reads_an_export_with_its_own_headers(self):
        mapping = LedgerMapping.objects.create(
            organisation=self.org,
            name="Vår export",
            columns={
                "invoice_no": "Fakt",
                "supplier": "Lev",
                "unit": "Enh",
                "due_date": "Förfaller",
                "paid_date": "Betald",
                "amount": "Summa",
                "invoice_date": "Datum",
            },
        )
        header = "Fakt;Lev;Enh;Datum;Förfaller;Betald;Summa\n"
        rows = [
            "1;A;11;2018-01-01;2018-01-31;2018-02-03;100\n",
            "2;A;11;2018-01-01;2018-01-31;2018-01-20;100\n",
            "3;A;11;2018-01-01;2018-01-31;2018-01-21;100\n",
            "4;A;11;2018-01-01;2018-01-31;2018-01-22;100\n",
        ]
        self.client.force_login(self.owner)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                self.url(),
                {
                    "kontroll": "late_payments",
                    "mapping": f"saved:{mapping.public_id}",
                    "target": "5",
                    "ledger": ledger(rows, header=header),
                },
            )
        run = control_run_execute(run_id=ControlRun.objects.latest("id").pk)
        assert run.status == ControlRun.Status.DONE, run.error
        assert run.value == 0.25

    def test_a_saved_mapping_remembers_the_header_row_below_title_rows(self):
        mapping = LedgerMapping.objects.create(
            organisation=self.org, name="Rapport med titel", columns={}, header_row=3
        )
        titled = "Leverantörsreskontra;;;;;;;\nUtdrag 2018;;;;;;;\n" + HEADER
        self.client.force_login(self.owner)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                self.url(),
                {
                    "kontroll": "late_payments",
                    "mapping": f"saved:{mapping.public_id}",
                    "target": "5",
                    "ledger": ledger([ON_TIME, LATE], header=titled),
                },
            )
        run = control_run_execute(run_id=ControlRun.objects.latest("id").pk)
        assert run.status == ControlRun.Status.DONE, run.error
        assert "--header-row" in run.arguments and run.rows == 2
        assert run.result["details"]["header_row"] == 3

    def test_a_file_over_the_size_limit_is_refused(self):
        self.client.force_login(self.owner)
        before = ControlRun.objects.count()
        with self.settings(IK_MAX_UPLOAD_BYTES=10):
            response = self.client.post(
                self.url(),
                {
                    "kontroll": "late_payments",
                    "mapping": "auto",
                    "target": "5",
                    "ledger": ledger([ON_TIME]),
                },
            )
        assert "Filen är för stor" in response.content.decode()
        assert ControlRun.objects.count() == before

    def test_participation_compares_with_the_organisations_administrations(self):
        for name in ("Socialförvaltningen", "Utbildningsförvaltningen"):
            Unit.objects.create(committee=self.sn, name=name, kind=Unit.Kind.ADMINISTRATION)
        self.client.force_login(self.owner)
        participants = SimpleUploadedFile(
            "deltagare.csv", "enhet;namn\nSocialförvaltningen;Anna\n".encode()
        )
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                self.url(), {"kontroll": "participation", "participants": participants}
            )
        run = control_run_execute(run_id=ControlRun.objects.latest("id").pk)
        assert run.status == ControlRun.Status.DONE, run.error
        assert run.value == 0.5
        assert any(f["kind"] == "missing_participant" for f in run.result["findings"])

    def test_owner_of_another_point_gets_403_auditor_403_stranger_404(self):
        self.client.force_login(self.owner)
        assert self.client.get(self.url(self.other_entry)).status_code == 403
        self.client.force_login(self.auditor)
        assert self.client.get(self.url()).status_code == 403
        self.client.force_login(self.stranger)
        assert self.client.get(self.url()).status_code == 404

    def test_unknown_control_is_404(self):
        self.client.force_login(self.owner)
        assert self.client.get(self.url(control="nonsense")).status_code == 404


class ControlRunDetailTests(BaseTestCase):
    def test_pending_run_polls_and_readers_see_the_result_page(self):
        run = ControlRun.objects.create(
            entry=self.entry, control="late_payments", progress="Väntar på en arbetsprocess"
        )
        url = reverse("controls:control_run_detail", kwargs={"run_id": run.public_id})
        self.client.force_login(self.auditor)
        html = self.client.get(url).content.decode()
        assert 'hx-trigger="every 2s"' in html and "Väntar på en arbetsprocess" in html
        partial = self.client.get(url, headers={"HX-Request": "true"}).content.decode()
        assert "<html" not in partial and 'id="run-status"' in partial
        self.client.force_login(self.stranger)
        assert self.client.get(url).status_code == 404
        json_url = reverse("controls:control_run_json", kwargs={"run_id": run.public_id})
        self.client.force_login(self.auditor)
        assert self.client.get(json_url).status_code == 404  # no result yet


class LedgerMappingViewTests(BaseTestCase):
    def url(self):
        return reverse("controls:ledger_mapping_list", kwargs={"org": "testkommun"})

    def test_owner_saves_and_deletes_a_mapping(self):
        self.client.force_login(self.owner)
        response = self.client.post(
            self.url(), {"name": "Visma", "col_due_date": "Förfaller", "col_paid_date": "Betald"}
        )
        assert response.status_code == 302
        mapping = LedgerMapping.objects.get(organisation=self.org, name="Visma")
        assert mapping.columns == {"due_date": "Förfaller", "paid_date": "Betald"}
        delete = reverse("controls:ledger_mapping_delete", kwargs={"mapping_id": mapping.public_id})
        assert self.client.get(delete).status_code == 405
        assert self.client.post(delete).status_code == 302
        assert not LedgerMapping.objects.filter(name="Visma").exists()

    def test_a_mapping_can_store_the_header_row(self):
        self.client.force_login(self.owner)
        response = self.client.post(self.url(), {"name": "Titlar", "header_row": "4"})
        assert response.status_code == 302
        assert LedgerMapping.objects.get(name="Titlar").header_row == 4
        assert "rubrikrad 4" in self.client.get(self.url()).content.decode()

    def test_an_empty_mapping_is_refused(self):
        self.client.force_login(self.owner)
        response = self.client.post(self.url(), {"name": "Tom"})
        assert "Ange rubriken för minst ett fält" in response.content.decode()

    def test_auditor_reads_but_cannot_save_and_stranger_gets_404(self):
        self.client.force_login(self.auditor)
        assert self.client.get(self.url()).status_code == 200
        assert self.client.post(self.url(), {"name": "X", "col_amount": "B"}).status_code == 403
        self.client.force_login(self.stranger)
        assert self.client.get(self.url()).status_code == 404


class ExampleFileTests(BaseTestCase):
    def test_signed_in_users_download_listed_examples_only(self):
        self.client.force_login(self.auditor)
        url = reverse("controls:example_file", kwargs={"name": "exempel_uppstartsovning.csv"})
        response = self.client.get(url)
        assert response.status_code == 200
        assert b"system" in b"".join(response.streaming_content).lower()
        bad = reverse("controls:example_file", kwargs={"name": "..%2Fsettings.py"})
        assert self.client.get(bad).status_code == 404
        other = reverse("controls:example_file", kwargs={"name": "exempel_system.csv"})
        assert self.client.get(other).status_code == 404

    def test_each_ledger_control_offers_an_example_file_on_its_run_form(self):
        self.client.force_login(self.owner)
        for name in ("late_payments", "duplicate_payments", "missing_orgnr", "account_review"):
            url = reverse("controls:control_run_create", kwargs={"entry_id": self.entry.public_id})
            html = self.client.get(f"{url}?kontroll={name}").content.decode()
            example = CONTROLS[name].examples[0]
            assert reverse("controls:example_file", kwargs={"name": example}) in html
            download = self.client.get(reverse("controls:example_file", kwargs={"name": example}))
            assert download.status_code == 200
