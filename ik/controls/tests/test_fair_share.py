"""One organisation's runs cannot take every worker: a per-organisation limit on running runs."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ik.controls.models import ControlRun
from ik.controls.services import control_run_request
from ik.followups.services import followup_create
from ik.org.models import Committee, Organisation
from ik.test import TEST_SETUP, make_plan

LEDGER = (
    b"FAKTURANR;LEVERANTOR;ANSVAR;FAKTURADATUM;FORFALLODATUM;BETALDATUM;BELOPP_SEK\n"
    b"1;A;11;2018-01-01;2018-01-31;2018-01-30;100\n"
)


def queued_run(code: str) -> ControlRun:
    org = Organisation.objects.create(code=code, name=code)
    committee = Committee.objects.create(organisation=org, code="ks", name="KS")
    followup = followup_create(plan=make_plan(committee), cutoff=date(2018, 8, 31), by=TEST_SETUP)
    return control_run_request(
        entry=followup.entries.order_by("control_point__position")[0],
        by=TEST_SETUP,
        control="late_payments",
        uploads={"ledger": SimpleUploadedFile("r.csv", LEDGER)},
        arguments=["--target", "5"],
    )


def drain() -> None:
    call_command("worker", "--batch", "--no-startup-delay", stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_a_busy_organisation_waits_while_another_organisation_runs(settings):
    settings.IK_CONTROL_RUNS_PER_ORGANISATION = 1
    heavy = queued_run("tung")
    ControlRun.objects.filter(pk=heavy.pk).update(status=ControlRun.Status.RUNNING)
    waiting = queued_run("tung2")
    ControlRun.objects.filter(pk=waiting.pk).update(entry=heavy.entry)
    other = queued_run("annan")

    drain()

    other.refresh_from_db()
    waiting.refresh_from_db()
    assert other.status == ControlRun.Status.DONE, other.error
    assert waiting.status == ControlRun.Status.QUEUED
    assert not DBTaskResult.objects.ready().exists()  # put back with a delay, not spinning
    assert DBTaskResult.objects.filter(status="READY", args_kwargs__args=[waiting.pk]).exists()


@pytest.mark.django_db(transaction=True)
def test_a_waiting_run_goes_once_its_organisation_has_room(settings):
    settings.IK_CONTROL_RUNS_PER_ORGANISATION = 1
    heavy = queued_run("k")
    ControlRun.objects.filter(pk=heavy.pk).update(status=ControlRun.Status.RUNNING)
    waiting = queued_run("k2")
    ControlRun.objects.filter(pk=waiting.pk).update(entry=heavy.entry)
    drain()
    assert ControlRun.objects.get(pk=waiting.pk).status == ControlRun.Status.QUEUED

    ControlRun.objects.filter(pk=heavy.pk).update(status=ControlRun.Status.FAILED, error="x")
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    drain()

    waiting.refresh_from_db()
    assert waiting.status == ControlRun.Status.DONE, waiting.error
