"""An organisation exported, the database emptied, and the archive imported gives it back."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from ik.backup.archive import SIGNATURE_NAME, sha256_of, signature_for
from ik.backup.graph import INSTANCE_WIDE, ik_models, organisation_path, user_owned_models
from ik.backup.tests.snapshot import Snapshot, organisation_snapshot
from ik.controls.models import ControlRun
from ik.controls.running import control_run_execute
from ik.controls.services import control_run_request
from ik.followups.models import FollowUpEntry
from ik.lib.tests import hostile
from ik.notifications.models import ReminderPreference
from ik.org.models import AuditEvent, Organisation
from ik.reports.models import ArchivedItem
from ik.reports.services import item_archive
from ik.reports.tests.archives import remove_archived_items
from ik.test import TEST_SETUP

LEDGER = (
    b"FAKTURANR;LEVERANTOR;ANSVAR;FAKTURADATUM;FORFALLODATUM;BETALDATUM;BELOPP_SEK\n"
    b"1;A;11;2018-01-01;2018-01-31;2018-02-10;100\n"
    b"2;A;11;2018-01-01;2018-01-31;2018-01-29;100\n"
)


def _demo_with_evidence() -> ControlRun:
    call_command("loaddemo", stdout=io.StringIO())
    organisation = Organisation.objects.get(code="mjolby")
    organisation.logo.save("mjolby.png", ContentFile(b"\x89PNG logotyp"))
    entry = FollowUpEntry.objects.filter(
        followup__plan__committee__organisation=organisation
    ).order_by("control_point__position")[0]
    run = control_run_request(
        entry=entry,
        by=TEST_SETUP,
        control="late_payments",
        uploads={"ledger": SimpleUploadedFile("reskontra.csv", LEDGER)},
        arguments=["--target", "5", "--period", "2018-01-01:2018-12-31"],
    )
    run = control_run_execute(run_id=run.pk)
    assert run.status == ControlRun.Status.DONE, run.error
    item_archive(followup=entry.followup, by=TEST_SETUP)
    return run


def _flush() -> None:
    """Empty the database as a fresh installation is; archived items go first, the one way
    their guard allows."""
    remove_archived_items()
    call_command("flush", interactive=False, verbosity=0)


def _files(manifest_names: list[str]) -> dict[str, bytes]:
    return {name: default_storage.open(name, "rb").read() for name in manifest_names}


def _export(path: Path) -> dict:
    call_command("exportorg", "mjolby", "--output", str(path), stdout=io.StringIO())
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json"))


def test_every_ik_model_is_reached_from_the_organisation_or_a_user():
    per_user = {m for m, _ in user_owned_models()}
    unreached = {
        m._meta.label_lower for m in ik_models() if not organisation_path(m) and m not in per_user
    }
    assert unreached == INSTANCE_WIDE


@pytest.mark.django_db(transaction=True)
def test_export_flush_import_gives_back_every_row_and_every_file(tmp_path, settings):
    run = _demo_with_evidence()
    ReminderPreference.objects.create(user=run.entry.control_point.owner_person.user)
    before = organisation_snapshot("mjolby")
    archive = tmp_path / "mjolby.zip"
    manifest = _export(archive)
    files = _files(list(manifest["files"]))
    assert run.files["ledger"]["storage"] in files and "logos/mjolby.png" in files
    assert manifest["version"] == 1 and manifest["counts"]["controls.controlrun"] == 1
    assert all(
        meta["sha256"] == sha256_of(io.BytesIO(files[n])) for n, meta in manifest["files"].items()
    )

    archived = {a.sha256 for a in ArchivedItem.objects.all()}
    assert len(archived) == 3 and manifest["counts"]["reports.archiveditem"] == 3
    _flush()
    shutil.rmtree(settings.MEDIA_ROOT)
    assert not Organisation.objects.exists()
    call_command("importorg", str(archive), stdout=io.StringIO())

    after = organisation_snapshot("mjolby")
    imported = AuditEvent.objects.get(action="organisation_import")
    assert before - after == Counter()
    assert after - before == Counter({Snapshot().row(imported): 1})
    assert _files(list(manifest["files"])) == files
    assert {a.sha256 for a in ArchivedItem.objects.all()} == archived
    out = io.StringIO()
    call_command("verifytrail", "--organisation", "mjolby", stdout=out)
    assert "kedjan är hel" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_import_refuses_an_organisation_that_exists(tmp_path):
    call_command("loaddemo", stdout=io.StringIO())
    archive = tmp_path / "mjolby.zip"
    _export(archive)
    count = AuditEvent.objects.count()
    with pytest.raises(CommandError, match="finns redan"):
        call_command("importorg", str(archive), stdout=io.StringIO())
    assert AuditEvent.objects.count() == count


@pytest.mark.django_db(transaction=True)
def test_a_file_that_does_not_match_its_checksum_stops_the_import(tmp_path):
    _demo_with_evidence()
    archive = tmp_path / "mjolby.zip"
    manifest = _export(archive)
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(tampered, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "files/logos/mjolby.png":
                data = b"something else"
            dst.writestr(item, data)
    _flush()
    with pytest.raises(CommandError, match="SHA-256"):
        call_command("importorg", str(tampered), stdout=io.StringIO())
    assert not Organisation.objects.exists()
    assert "logos/mjolby.png" in manifest["files"]


@pytest.mark.django_db
def test_an_unknown_organisation_cannot_be_exported(tmp_path):
    with pytest.raises(CommandError, match="finns inte"):
        call_command("exportorg", "ingen", "--output", str(tmp_path / "x.zip"))


@pytest.mark.django_db(transaction=True)
def test_a_failing_import_leaves_nothing_behind(tmp_path):
    call_command("loaddemo", stdout=io.StringIO())
    archive = tmp_path / "mjolby.zip"
    _export(archive)
    with zipfile.ZipFile(archive) as src:
        manifest = json.loads(src.read("manifest.json"))
        data = json.loads(src.read("data.json"))
    section = next(s for s in data["models"] if s["model"] == "followups.followup")
    section["rows"][0]["fields"]["plan"] = 999999  # a plan that is not in the archive
    data_bytes = json.dumps(data).encode()
    manifest["data_sha256"] = hashlib.sha256(data_bytes).hexdigest()
    broken = tmp_path / "broken.zip"
    manifest_bytes = json.dumps(manifest).encode()
    with zipfile.ZipFile(broken, "w") as dst:
        # Signed with the installation's key: inconsistent data is refused even then.
        dst.writestr("manifest.json", manifest_bytes)
        dst.writestr("data.json", data_bytes)
        dst.writestr(SIGNATURE_NAME, signature_for(manifest_bytes))
    _flush()
    with pytest.raises(CommandError, match="saknas"):
        call_command("importorg", str(broken), stdout=io.StringIO())
    assert not Organisation.objects.exists()
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_a_file_that_is_not_an_archive_is_refused_in_swedish(tmp_path):
    path = tmp_path / "inte.zip"
    path.write_text("hej")
    with pytest.raises(CommandError, match="ingen zip-fil"):
        call_command("importorg", str(path))


@pytest.mark.django_db
def test_an_archive_whose_data_unpacks_past_the_limit_is_refused_before_it_is_read(tmp_path):
    manifest = json.dumps({"format": "ik-organisation", "version": 1, "files": {}}).encode()
    archive = tmp_path / "bomb.zip"
    archive.write_bytes(
        hostile.zip_package(
            {
                "manifest.json": manifest,
                "data.json": hostile.Repeated(b"[", b" ", (1 << 30) + 1, b"]"),
            }
        )
    )
    assert archive.stat().st_size < 8 << 20
    with pytest.raises(CommandError, match="Arkivet packas upp till mer än 1 GB"):
        call_command("importorg", str(archive))
    assert not Organisation.objects.exists()
