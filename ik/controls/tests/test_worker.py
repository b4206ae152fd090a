"""The queue end to end: a run requested on the page is carried out by `db_worker`."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from ik.controls.models import ControlRun
from ik.controls.services import control_run_request
from ik.followups.services import followup_create
from ik.org.models import Committee, Organisation
from ik.test import TEST_SETUP, make_plan


@pytest.mark.django_db(transaction=True)
def test_db_worker_runs_a_queued_control_and_files_the_result():
    org = Organisation.objects.create(code="k", name="Kommun")
    committee = Committee.objects.create(organisation=org, code="ks", name="KS")
    plan = make_plan(committee)
    followup = followup_create(plan=plan, cutoff=date(2018, 8, 31), by=TEST_SETUP)
    entry = followup.entries.order_by("control_point__position")[0]
    ledger = SimpleUploadedFile(
        "r.csv",
        (
            b"FAKTURANR;LEVERANTOR;ANSVAR;FAKTURADATUM;FORFALLODATUM;BETALDATUM;BELOPP_SEK\n"
            b"1;A;11;2018-01-01;2018-01-31;2018-01-30;100\n"
            b"2;A;11;2018-01-01;2018-01-31;2018-01-29;100\n"
        ),
    )
    run = control_run_request(
        entry=entry,
        by=TEST_SETUP,
        control="late_payments",
        uploads={"ledger": ledger},
        arguments=["--target", "5"],
    )
    assert ControlRun.objects.get(pk=run.pk).status == ControlRun.Status.QUEUED

    call_command(
        "db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO()
    )

    run.refresh_from_db()
    assert run.status == ControlRun.Status.DONE, run.error
    assert run.verdict == "green" and run.value == 0.0
    entry.refresh_from_db()
    assert entry.assessment == "green"
