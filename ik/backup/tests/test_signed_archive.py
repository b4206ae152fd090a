"""An import takes only what an IK installation signed, and takes over no one's account.

The attacker rewrites data.json (a forged result, an account made superuser), puts the new
checksum in the manifest and hands the archive over; or drops the signature; or signs with a
key of their own. Another attack needs no forgery: a local account that happens to share a
username with an archived one must not receive the archived person's roles.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from ik.backup.archive import SIGNATURE_NAME, signature_for
from ik.followups.models import FollowUpEntry
from ik.org.models import Membership, Organisation, Role

User = get_user_model()


def export(tmp_path: Path) -> Path:
    call_command("loaddemo", stdout=io.StringIO())
    User.objects.filter(username="revisor").update(email="revisor@mjolby.se")
    User.objects.filter(username="controller").update(
        email="controller@mjolby.se", is_superuser=True, is_staff=True
    )
    archive = tmp_path / "mjolby.zip"
    call_command("exportorg", "mjolby", "--output", str(archive), stdout=io.StringIO())
    call_command("flush", interactive=False, verbosity=0)
    return archive


def rewrite(archive: Path, target: Path, *, data=None, manifest=None, signature=b"keep") -> Path:
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(target, "w") as dst:
        for item in src.infolist():
            content = src.read(item)
            if item.filename == "data.json" and data is not None:
                content = data
            elif item.filename == "manifest.json" and manifest is not None:
                content = manifest
            elif item.filename == SIGNATURE_NAME and signature != b"keep":
                if signature is None:
                    continue
                content = signature
            dst.writestr(item, content)
    return target


def import_archive(path: Path) -> str:
    out = io.StringIO()
    call_command("importorg", str(path), stdout=out)
    return out.getvalue()


def refused(path: Path, message: str) -> None:
    with pytest.raises(CommandError, match=message):
        import_archive(path)
    assert not Organisation.objects.exists()


def forged_data(archive: Path) -> tuple[bytes, bytes]:
    """data.json with a forged result and a superuser, and a manifest with its checksum."""
    with zipfile.ZipFile(archive) as src:
        data = json.loads(src.read("data.json"))
        manifest = json.loads(src.read("manifest.json"))
    for user in data["users"]:
        user["fields"]["is_superuser"] = user["fields"]["is_staff"] = True
    section = next(s for s in data["models"] if s["model"] == "followups.followupentry")
    for row in section["rows"]:
        row["fields"]["assessment"] = "green"
        row["fields"]["result_text"] = "Utan anmärkning"
    data_bytes = json.dumps(data, ensure_ascii=False).encode()
    manifest["data_sha256"] = hashlib.sha256(data_bytes).hexdigest()
    return data_bytes, json.dumps(manifest, ensure_ascii=False).encode()


@pytest.mark.django_db(transaction=True)
def test_a_rewritten_data_json_with_an_updated_checksum_is_refused(tmp_path):
    archive = export(tmp_path)
    data, manifest = forged_data(archive)
    forged = rewrite(archive, tmp_path / "forged.zip", data=data, manifest=manifest)
    refused(forged, "signatur stämmer inte")
    assert not User.objects.filter(is_superuser=True).exists()


@pytest.mark.django_db(transaction=True)
def test_an_archive_without_a_signature_is_refused(tmp_path):
    archive = export(tmp_path)
    data, manifest = forged_data(archive)
    unsigned = rewrite(archive, tmp_path / "u.zip", data=data, manifest=manifest, signature=None)
    refused(unsigned, "inte signerat")


@pytest.mark.django_db(transaction=True)
def test_an_archive_signed_with_another_key_is_refused(tmp_path, settings):
    archive = export(tmp_path)
    data, manifest = forged_data(archive)
    settings.IK_BACKUP_KEY = "the-attackers-own-key-" + "y" * 32
    resigned = rewrite(
        archive, tmp_path / "r.zip", data=data, manifest=manifest, signature=signature_for(manifest)
    )
    settings.IK_BACKUP_KEY = "test-backup-key-" + "x" * 32
    refused(resigned, "signatur stämmer inte")


@pytest.mark.django_db(transaction=True)
def test_without_a_key_nothing_is_exported_or_imported(tmp_path, settings):
    archive = export(tmp_path)
    settings.IK_BACKUP_KEY = ""
    refused(archive, "IK_BACKUP_KEY")
    call_command("loaddemo", stdout=io.StringIO())
    with pytest.raises(CommandError, match="IK_BACKUP_KEY"):
        call_command("exportorg", "mjolby", "--output", str(tmp_path / "x.zip"))
    assert not (tmp_path / "x.zip").exists()
    settings.IK_BACKUP_KEY = "för kort"
    with pytest.raises(CommandError, match="för kort"):
        call_command("exportorg", "mjolby", "--output", str(tmp_path / "x.zip"))


@pytest.mark.django_db(transaction=True)
def test_a_signed_archive_never_makes_anyone_superuser_or_staff(tmp_path):
    archive = export(tmp_path)
    import_archive(archive)
    controller = User.objects.get(username="controller")
    assert not controller.is_superuser and not controller.is_staff
    assert not User.objects.filter(is_superuser=True).exists()
    assert not User.objects.filter(is_staff=True).exists()
    assert FollowUpEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_local_account_with_the_same_username_but_another_email_is_not_taken_over(tmp_path):
    archive = export(tmp_path)
    local = User.objects.create_user("controller", email="annan@example.se", password="eget-lösen")
    colleague = User.objects.create_user("kalle", email="REVISOR@mjolby.se", password="x")
    out = import_archive(archive)
    local.refresh_from_db()
    assert local.check_password("eget-lösen") and local.email == "annan@example.se"
    assert not Membership.objects.filter(user=local).exists()
    moved = User.objects.get(username="controller-2")
    assert moved.email == "controller@mjolby.se"
    assert Membership.objects.filter(user=moved, role=Role.CONTROLLER).exists()
    # The same address is the same person: the auditor's roles go to the local account.
    assert Membership.objects.filter(user=colleague, role=Role.AUDITOR).exists()
    assert not User.objects.filter(username="revisor").exists()
    assert "controller: nytt konto controller-2 (användarnamnet var upptaget)" in out
    assert "revisor: kopplat till befintligt konto kalle (samma e-post)" in out
