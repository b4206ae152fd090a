import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from ik.controls.models import ControlRun
from ik.controls.services import (
    AttachError,
    control_run_attach,
    control_run_attach_by_path,
    find_entry,
)
from ik.engine.result import ControlResult, Direction, Verdict
from ik.followups.models import Deviation
from ik.org.models import AuditEvent
from ik.test import TEST_SETUP, BaseTestCase


def result(value: float, verdict: Verdict) -> ControlResult:
    return ControlResult(
        control="late_payments",
        value=value,
        target=0.05,
        direction=Direction.AT_MOST,
        verdict=verdict,
        summary=f"{value:.0%} betalades sent.",
        rows=100,
        parameters={"target": 0.05},
        input_sha256="a" * 64,
    )


class AttachTests(BaseTestCase):
    def test_a_red_run_sets_the_measured_value_in_percent_and_proposes_a_deviation(self):
        before = Deviation.objects.filter(entry=self.entry).count()
        run = control_run_attach(
            entry=self.entry,
            result=result(0.08, Verdict.RED),
            by=self.owner,
            input_name="reskontra.csv",
        )
        self.entry.refresh_from_db()
        assert self.entry.measured_value == Decimal(8)
        assert self.entry.assessment == "red"
        assert self.entry.execution_status == "in_progress"
        assert Deviation.objects.filter(entry=self.entry).count() == before + 1
        assert run.result["input_sha256"] == "a" * 64
        assert AuditEvent.objects.filter(action="control_run_attach").exists()

    def test_a_green_run_proposes_no_deviation(self):
        before = Deviation.objects.count()
        control_run_attach(entry=self.entry, result=result(0.03, Verdict.GREEN), by=TEST_SETUP)
        self.entry.refresh_from_db()
        assert self.entry.assessment == "green"
        assert Deviation.objects.count() == before

    def test_runcontrol_is_named_in_the_trail_for_the_run_and_the_deviation_it_proposes(self):
        control_run_attach_by_path(
            result=result(0.08, Verdict.RED),
            path="Kommunstyrelsen/2018/2018-08-31/1",
            options={"organisation": "testkommun"},
        )
        for action in ("control_run_attach", "deviation_register"):
            event = AuditEvent.objects.filter(action=action).latest("id")
            assert (event.actor, event.system_actor) == (None, "runcontrol"), action

    def test_path_names_committee_year_cutoff_and_number(self):
        assert find_entry("Kommunstyrelsen/2018/2018-08-31/1", "testkommun") == self.entry
        assert find_entry("ks/2018/2018-08-31/2", "Testkommun") == self.other_entry

    def test_an_unknown_or_malformed_path_is_refused(self):
        with pytest.raises(AttachError, match="formen"):
            find_entry("Kommunstyrelsen/2018")
        with pytest.raises(AttachError, match="Hittade inget"):
            find_entry("Kommunstyrelsen/2018/2018-08-31/9", "testkommun")
        with pytest.raises(AttachError, match="flera organisationer"):
            find_entry("Kommunstyrelsen/2018/2018-08-31/1")


@pytest.mark.django_db
def test_runcontrol_attach_files_the_result_on_the_demo_entry(tmp_path):
    call_command("loaddemo", stdout=io.StringIO())
    ledger = tmp_path / "reskontra.csv"
    ledger.write_text(
        "FAKTURANR;LEVERANTOR;ORGNR;ANSVAR;FAKTURADATUM;FORFALLODATUM;BETALDATUM;BELOPP_SEK\n"
        "1;A;5560000001;11;2018-01-01;2018-01-31;2018-01-30;100,00\n"
        "2;A;5560000001;11;2018-01-01;2018-01-31;2018-02-05;100,00\n",
        encoding="utf-8",
    )
    call_command(
        "runcontrol",
        "late_payments",
        "--ledger",
        str(ledger),
        "--attach",
        "Kommunstyrelsen/2018/2018-08-31/1",
        "--organisation",
        "mjolby",
        stdout=io.StringIO(),
    )
    run = ControlRun.objects.get()
    assert run.entry.control_point.position == 1
    assert run.value == pytest.approx(0.5)
    run.entry.refresh_from_db()
    assert run.entry.measured_value == Decimal(50)
