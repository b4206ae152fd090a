"""The procurement controls from the command line and from a follow-up entry through the worker."""

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from ik.contracts import services as contracts
from ik.controls.models import ControlRun
from ik.controls.running import control_run_execute
from ik.controls.services import control_run_request
from ik.engine.controls.registry import CONTROLS
from ik.followups.models import Deviation
from ik.test import TEST_SETUP, BaseTestCase

EXAMPLES = Path(__file__).resolve().parents[2] / "engine" / "examples"
LEDGER = str(EXAMPLES / "exempel_reskontra_betalningar.csv")
CONTRACTS = str(EXAMPLES / "exempel_avtalsregister.csv")


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    call_command("runcontrol", *args, "--json")
    return json.loads(capsys.readouterr().out)


def test_contract_compliance_from_the_command_line_finds_the_expired_contracts(capsys):
    result = run_json(capsys, "contract_compliance", "--ledger", LEDGER, "--contracts", CONTRACTS)
    assert result["verdict"] == "red" and 0.5 < result["value"] < 0.52
    assert result["target"] == 0.9
    kinds = {f["supplier"]: f["kind"] for f in result["findings"]}
    assert kinds["Östgöta Städ AB"] == "expired_contract"
    assert kinds["Mjölby Taxi HB"] == "outside_contract"
    assert result["findings"][0]["supplier"] == "Mjölby Taxi HB"  # largest first
    assert {c["category"] for c in result["details"]["by_category"]} >= {"Energi", "IT"}


def test_framework_agreements_are_reported_apart_in_both_controls(capsys):
    compliance = run_json(
        capsys, "contract_compliance", "--ledger", LEDGER, "--contracts", CONTRACTS
    )
    details = compliance["details"]
    # Nordisk Kontorsmaterial's contract is Adda's framework agreement; the rest are not.
    assert details["framework_amount"] == pytest.approx(460_698.92)
    assert details["framework_invoices"] == 8 and details["other_contract_invoices"] == 21
    covered = details["framework_amount"] + details["other_contract_amount"]
    assert covered == pytest.approx(details["covered_amount"])
    office = next(c for c in details["by_category"] if c["category"] == "Kontor")
    assert office["framework_share"] == 1.0
    assert all("framework_share" in unit for unit in compliance["by_unit"])
    assert "under ramavtal" in compliance["summary"]
    direct = run_json(capsys, "direct_procurement", "--ledger", LEDGER, "--contracts", CONTRACTS)
    assert direct["details"]["suppliers_under_framework"] == 1
    suppliers = {f["supplier"] for f in direct["findings"]}
    assert "Nordisk Kontorsmaterial AB" not in suppliers


def test_direct_procurement_from_the_command_line_with_a_rolling_window(capsys):
    result = run_json(
        capsys,
        "direct_procurement",
        "--ledger",
        LEDGER,
        "--contracts",
        CONTRACTS,
        "--window",
        "rolling",
        "--period",
        "2018-01-01:2018-12-31",
    )
    over = {f["supplier"] for f in result["findings"] if f["kind"] == "over_limit"}
    near = {f["supplier"] for f in result["findings"] if f["kind"] == "near_limit"}
    assert over == {"Mjölby Taxi HB", "Östgöta Städ AB"} and near == {"Dansk Software ApS"}
    assert result["details"]["window"] == "rullande tolv månader"
    assert result["value"] == 2.0 and result["verdict"] == "red"


def test_an_own_limit_and_the_text_output(capsys):
    call_command(
        "runcontrol",
        "direct_procurement",
        "--ledger",
        LEDGER,
        "--contracts",
        CONTRACTS,
        "--limit",
        "2 000 000",
    )
    out = capsys.readouterr().out
    assert "Direktupphandling över gränsen (direct_procurement): Grön" in out


def test_without_a_register_the_command_says_how_to_give_one():
    with pytest.raises(CommandError, match="ange --contracts FIL"):
        call_command("runcontrol", "contract_compliance", "--ledger", LEDGER)
    with pytest.raises(CommandError, match="Luhn|inte giltigt|saknas"):
        call_command("runcontrol", "direct_procurement", "--ledger", LEDGER, "--contracts", LEDGER)


@pytest.mark.django_db
def test_the_organisations_register_is_read_with_organisation(capsys):
    call_command("loaddemo", stdout=io.StringIO())
    result = run_json(capsys, "contract_compliance", "--ledger", LEDGER, "--organisation", "mjolby")
    assert result["details"]["contracts"] == 5
    assert 0.5 < result["value"] < 0.52


class ProcurementRunTests(BaseTestCase):
    def url(self, control=""):
        url = reverse("controls:control_run_create", kwargs={"entry_id": self.entry.public_id})
        return f"{url}?kontroll={control}" if control else url

    def setUp(self):
        contracts.contract_register_import(
            organisation=self.org, by=TEST_SETUP, file=Path(CONTRACTS).read_bytes()
        )

    def post(self, control: str, **data):
        self.client.force_login(self.owner)
        ledger = SimpleUploadedFile("reskontra.csv", Path(LEDGER).read_bytes())
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                self.url(), {"kontroll": control, "mapping": "auto", "ledger": ledger, **data}
            )
        assert response.status_code == 302, response.content.decode()[:3000]
        return control_run_execute(run_id=ControlRun.objects.latest("id").pk)

    def test_compliance_reads_the_register_and_files_its_share_on_the_entry(self):
        run = self.post("contract_compliance", target_at_least="90")
        assert run.status == ControlRun.Status.DONE, run.error
        assert run.verdict == "red" and 0.5 < run.value < 0.52
        assert len(run.parameters["contracts"]) == 64  # the register used, by its SHA-256
        self.entry.refresh_from_db()
        assert 50 < self.entry.measured_value < 52  # the point is measured in %
        assert Deviation.objects.filter(entry=self.entry, control_runs=run).exists()
        assert "under ramavtal" in self.entry.result_text  # what the documents print
        html = self.client.get(
            reverse("controls:control_run_detail", kwargs={"run_id": run.public_id})
        ).content.decode()
        assert '<th scope="col">Andel ramavtal</th>' in html
        assert "Andel av inköpen under ramavtal" in html and "Andel fakturor, ramavtal" in html

    def test_direct_procurement_uses_the_window_and_limit_chosen_on_the_form(self):
        run = self.post("direct_procurement", window="rolling", limit="2 000 000")
        assert run.status == ControlRun.Status.DONE, run.error
        assert run.verdict == "green" and run.parameters["limit"] == 2_000_000.0
        assert run.parameters["window"] == "rolling"

    def test_the_form_starts_from_the_organisations_settings_and_offers_the_examples(self):
        contracts.procurement_settings_update(
            organisation=self.org,
            by=TEST_SETUP,
            window="rolling",
            direct_procurement_limit=500_000,
            compliance_target=95,
        )
        self.client.force_login(self.owner)
        html = self.client.get(self.url("direct_procurement")).content.decode()
        assert 'value="rolling" checked' in html or 'value="rolling" selected' in html
        assert 'value="500 000"' in html
        for example in CONTROLS["direct_procurement"].examples:
            assert reverse("controls:example_file", kwargs={"name": example}) in html
        html = self.client.get(self.url("contract_compliance")).content.decode()
        assert "Mål: minst (%)" in html


class OrganisationSettingsTests(BaseTestCase):
    """`runcontrol --organisation` and the worker complete a run's options the same way."""

    def setUp(self):
        contracts.contract_register_import(
            organisation=self.org, by=TEST_SETUP, file=Path(CONTRACTS).read_bytes()
        )
        contracts.procurement_settings_update(
            organisation=self.org,
            by=TEST_SETUP,
            window="rolling",
            direct_procurement_limit=Decimal(500_000),
            compliance_target=Decimal(95),
        )

    def cli(self, *args: str) -> dict:
        out = io.StringIO()
        call_command(
            "runcontrol",
            *args,
            "--ledger",
            LEDGER,
            "--organisation",
            self.org.code,
            "--json",
            stdout=out,
        )
        return json.loads(out.getvalue())

    def worker(self, control: str, arguments: list[str]) -> ControlRun:
        ledger = SimpleUploadedFile("reskontra.csv", Path(LEDGER).read_bytes())
        run = control_run_request(
            entry=self.entry,
            by=TEST_SETUP,
            control=control,
            uploads={"ledger": ledger},
            arguments=["--mapping", "auto", *arguments],
        )
        return control_run_execute(run_id=run.pk)

    def test_the_command_line_uses_the_organisations_target_window_and_limit(self):
        compliance = self.cli("contract_compliance")
        assert compliance["target"] == 0.95 and compliance["parameters"]["target"] == 0.95
        direct = self.cli("direct_procurement")
        assert direct["parameters"]["window"] == "rolling"
        assert direct["parameters"]["limit"] == 500_000.0
        assert direct["details"]["window"] == "rullande tolv månader"

    def test_options_given_on_the_command_line_win_over_the_settings(self):
        compliance = self.cli("contract_compliance", "--target", "50")
        assert compliance["target"] == 0.5
        direct = self.cli("direct_procurement", "--window", "calendar", "--limit", "lou")
        assert direct["parameters"]["window"] == "calendar"
        assert direct["parameters"]["limit"] is None
        assert direct["details"]["limit"] == "LOU:s gräns vid varje datum"

    def test_the_worker_and_the_command_line_resolve_the_same_parameters(self):
        for control in ("contract_compliance", "direct_procurement"):
            run = self.worker(control, [])
            assert run.status == ControlRun.Status.DONE, run.error
            cli = self.cli(control)
            for key in ("target", "window", "limit"):
                assert run.parameters.get(key) == cli["parameters"].get(key), (control, key)

    def test_a_limit_left_empty_on_the_form_means_the_laws_limit(self):
        self.client.force_login(self.owner)
        url = reverse("controls:control_run_create", kwargs={"entry_id": self.entry.public_id})
        ledger = SimpleUploadedFile("reskontra.csv", Path(LEDGER).read_bytes())
        data = {
            "kontroll": "direct_procurement",
            "mapping": "auto",
            "ledger": ledger,
            "window": "calendar",
            "limit": "",
        }
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(url, data)
        assert response.status_code == 302
        run = control_run_execute(run_id=ControlRun.objects.latest("id").pk)
        assert run.status == ControlRun.Status.DONE, run.error
        assert run.parameters["limit"] is None and run.parameters["window"] == "calendar"
        assert "--limit" in run.arguments and "lou" in run.arguments

    def test_an_unknown_limit_word_is_refused_in_swedish(self):
        with pytest.raises(CommandError, match="--limit ska vara ett belopp i kronor"):
            self.cli("direct_procurement", "--limit", "sjuhundra")
