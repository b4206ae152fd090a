"""Controls that read the organisation's own registers, run on the Mjölby demo."""

import io

import pytest
from django.core.management import call_command

from ik.controls.models import ControlRun
from ik.controls.running import control_run_execute
from ik.controls.services import control_run_request
from ik.followups.models import FollowUpEntry
from ik.test import TEST_SETUP


def demo_entry(position: int) -> FollowUpEntry:
    return FollowUpEntry.objects.get(
        followup__plan__committee__organisation__code="mjolby",
        followup__cutoff="2018-08-31",
        control_point__position=position,
    )


def run(entry: FollowUpEntry, control: str, arguments=()) -> ControlRun:
    requested = control_run_request(
        entry=entry, by=TEST_SETUP, control=control, uploads={}, arguments=list(arguments)
    )
    return control_run_execute(run_id=requested.pk)


@pytest.mark.django_db
def test_startup_order_reads_the_system_register_and_finds_the_example_violation():
    call_command("loaddemo", stdout=io.StringIO())
    done = run(demo_entry(2), "startup_order")
    assert done.status == ControlRun.Status.DONE, done.error
    kinds = {f["kind"] for f in done.result["findings"]}
    assert "priority_before_dependency" in kinds
    assert done.result["details"]["proposed_order"]
    assert done.rows >= 10


@pytest.mark.django_db
def test_competence_overlap_samples_two_systems_reproducibly():
    call_command("loaddemo", stdout=io.StringIO())
    first = run(demo_entry(4), "competence_overlap", ["--sample", "2", "--seed", "2018"])
    second = run(demo_entry(4), "competence_overlap", ["--sample", "2", "--seed", "2018"])
    assert first.status == ControlRun.Status.DONE, first.error
    assert first.parameters == second.parameters
    assert first.input_sha256 == second.input_sha256
    assert first.result["findings"] == second.result["findings"]


@pytest.mark.django_db
def test_participation_uses_the_administrations_of_the_organisation(tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    call_command("loaddemo", stdout=io.StringIO())
    participants = SimpleUploadedFile(
        "deltagare.csv", "enhet\nKommunstyrelsens förvaltning\nSocialförvaltningen\n".encode()
    )
    requested = control_run_request(
        entry=demo_entry(3),
        by=TEST_SETUP,
        control="participation",
        uploads={"participants": participants},
        arguments=[],
    )
    done = control_run_execute(run_id=requested.pk)
    assert done.status == ControlRun.Status.DONE, done.error
    missing = {f["message"] for f in done.result["findings"]}
    assert any("Utbildningsförvaltningen" in m for m in missing)
