"""Import an organisation archive written by `archive.export_organisation`."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction

from ik.backup.archive import (
    CHUNK,
    FORMAT,
    SIGNATURE_NAME,
    VERSION,
    ArchiveError,
    _safe_member,
    check_signature,
)
from ik.backup.graph import refers_by_label, user_path
from ik.lib.filelimits import BACKUP, BACKUP_DATA, LimitError, check_zip, read_member
from ik.org.actors import IMPORTORG
from ik.org.audit import audit_record
from ik.org.models import AuditEvent, Organisation

ModelClass = type[models.Model]
Mapping = dict[ModelClass, dict[Any, Any]]


def _read_verified(archive: zipfile.ZipFile) -> tuple[dict[str, Any], dict[str, Any]]:
    try:
        check_zip(archive, BACKUP, what="Arkivet")
        info = archive.getinfo("manifest.json"), archive.getinfo("data.json")
        manifest_bytes = read_member(archive, info[0], BACKUP_DATA, what="Arkivet")
        data_bytes = read_member(archive, info[1], BACKUP_DATA, what="Arkivet")
    except KeyError as missing:
        raise ArchiveError(f"Arkivet saknar {missing}.") from None
    except LimitError as exc:
        raise ArchiveError(str(exc)) from None
    try:
        signature: bytes | None = archive.read(SIGNATURE_NAME)
    except KeyError:
        signature = None
    check_signature(manifest_bytes, signature)
    manifest = json.loads(manifest_bytes)
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise ArchiveError("Arkivet är inte en IK-export i ett format som stöds.")
    if hashlib.sha256(data_bytes).hexdigest() != manifest["data_sha256"]:
        raise ArchiveError("data.json stämmer inte med kontrollsumman i manifest.json.")
    for name, meta in manifest["files"].items():
        digest = hashlib.sha256()
        with archive.open(_safe_member(name)) as member:
            for block in iter(lambda: member.read(CHUNK), b""):
                digest.update(block)
        if digest.hexdigest() != meta["sha256"]:
            raise ArchiveError(f"Filen {name} stämmer inte med sin SHA-256 i manifest.json.")
    return manifest, json.loads(data_bytes)


def _as_pk(value: str) -> Any:
    return int(value) if value.isdigit() else value


class _Importer:
    def __init__(self) -> None:
        self.mapping: Mapping = defaultdict(dict)
        # (model, old pk, attname, target model, old target pk): keys set after all inserts.
        self.deferred: list[tuple[ModelClass, Any, str, ModelClass, Any]] = []
        self.m2m: list[tuple[ModelClass, Any, str, ModelClass, list[Any]]] = []
        self.new_users: set[Any] = set()
        self.accounts: list[str] = []  # how each archived account was placed, for the log

    def users(self, rows: list[dict[str, Any]]) -> None:
        """Each archived account becomes the local account with its e-mail address, or a new one.

        A username alone never joins two accounts: a local `anna` with another address is a
        different person. No imported account is superuser or staff.
        """
        user_model = get_user_model()
        for row in rows:
            fields = dict(row["fields"])
            name = fields["username"]
            local = self._same_email(fields.get("email") or "")
            if local is not None:
                self.mapping[user_model][row["pk"]] = local.pk
                self.accounts.append(
                    f"{name}: kopplat till befintligt konto {local.get_username()} (samma e-post)"
                )
                continue
            fields["username"] = self._free_username(name)
            fields.update(is_superuser=False, is_staff=False, groups=[], user_permissions=[])
            self.new_users.add(self._insert(user_model, {**row, "fields": fields}).pk)
            renamed = "" if fields["username"] == name else " (användarnamnet var upptaget)"
            self.accounts.append(f"{name}: nytt konto {fields['username']}{renamed}")

    @staticmethod
    def _same_email(email: str) -> Any:
        if not email.strip():
            return None
        found = list(get_user_model()._base_manager.filter(email__iexact=email.strip())[:2])
        if len(found) > 1:
            raise ArchiveError(
                f"Flera konton i den här installationen har e-postadressen {email}; "
                "ge dem skilda adresser innan arkivet läses in."
            )
        return found[0] if found else None

    @staticmethod
    def _free_username(name: str) -> str:
        taken = get_user_model()._base_manager.filter
        candidate, number = name, 2
        while taken(username=candidate).exists():
            suffix = f"-{number}"
            candidate, number = name[: 150 - len(suffix)] + suffix, number + 1
        return candidate

    def _remap(self, model: type[models.Model], row: dict[str, Any]) -> dict[str, Any]:
        fields = dict(row["fields"])
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.ForeignKey) or fields.get(field.name) is None:
                continue
            target: ModelClass = field.related_model
            old = fields[field.name]
            if old in self.mapping[target]:
                fields[field.name] = self.mapping[target][old]
            elif field.null:
                fields[field.name] = None
                self.deferred.append((model, row["pk"], field.attname, target, old))
            else:
                raise ArchiveError(
                    f"{model._meta.label}: {field.name}={old} pekar på en rad som saknas."
                )
        for field in model._meta.many_to_many:
            targets = fields.pop(field.name, [])
            if targets:
                related: ModelClass = field.related_model
                self.m2m.append((model, row["pk"], field.name, related, targets))
        return fields

    def _relabel(self, fields: dict[str, Any]) -> None:
        # An event about an object without a public id names it by primary key.
        try:
            target = apps.get_model(fields["object_type"])
        except (LookupError, ValueError):
            return
        if any(f.name == "public_id" for f in target._meta.concrete_fields):
            return
        mapped = self.mapping[target].get(_as_pk(fields["object_id"]))
        if mapped is not None:
            fields["object_id"] = str(mapped)

    def _insert(self, model: type[models.Model], row: dict[str, Any]) -> models.Model:
        fields = self._remap(model, row)
        if refers_by_label(model):
            self._relabel(fields)
        record = {"model": model._meta.label_lower, "fields": fields}
        (obj,) = serializers.deserialize("python", [record])
        if isinstance(obj.object, AuditEvent):
            # Linked onto this installation's chain as it is saved; its time is kept.
            obj.object.save(force_insert=True)
        else:
            # raw=True keeps auto_now values and bypasses save() overrides.
            obj.object.save_base(raw=True, force_insert=True)
        self.mapping[model][row["pk"]] = obj.object.pk
        return obj.object

    def rows(
        self, model: type[models.Model], rows: list[dict[str, Any]], *, per_user: bool
    ) -> None:
        user_model = get_user_model()
        owner = user_path(model) if per_user else None
        for row in rows:
            if owner and self.mapping[user_model].get(row["fields"][owner]) not in self.new_users:
                continue  # an account that already existed keeps its own settings
            self._insert(model, row)

    def finish(self) -> None:
        for model, old_pk, attname, target, old in self.deferred:
            if old not in self.mapping[target]:
                raise ArchiveError(
                    f"{model._meta.label}: {attname}={old} pekar på en rad som saknas."
                )
            model._base_manager.filter(pk=self.mapping[model][old_pk]).update(
                **{attname: self.mapping[target][old]}
            )
        for model, old_pk, name, target, olds in self.m2m:
            obj = model._base_manager.get(pk=self.mapping[model][old_pk])
            getattr(obj, name).set([self.mapping[target][o] for o in olds])


def _write_files(archive: zipfile.ZipFile, manifest: dict[str, Any], written: list[str]) -> None:
    for name, meta in sorted(manifest["files"].items()):
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as existing:
                same = hashlib.sha256(existing.read()).hexdigest() == meta["sha256"]
            if same:
                continue
            raise ArchiveError(f"Filen {name} finns redan med annat innehåll.")
        content = archive.read(_safe_member(name))
        if hashlib.sha256(content).hexdigest() != meta["sha256"]:
            raise ArchiveError(f"Filen {name} stämmer inte med sin SHA-256 i manifest.json.")
        stored = default_storage.save(name, ContentFile(content))
        written.append(stored)
        if stored != name:
            raise ArchiveError(f"Filen {name} kunde inte sparas under sitt namn.")


@dataclass(frozen=True)
class Imported:
    organisation: Organisation
    accounts: list[str]


def import_organisation(source: Any) -> Imported:
    """Import the archive in one transaction; refuses an organisation code already in use."""
    with zipfile.ZipFile(source) as archive:
        manifest, data = _read_verified(archive)
        if Organisation.objects.filter(code=manifest["organisation"]).exists():
            raise ArchiveError(f"Organisationen {manifest['organisation']} finns redan.")
        written: list[str] = []
        try:
            with transaction.atomic():
                importer = _Importer()
                importer.users(data["users"])
                for section in data["models"]:
                    model = apps.get_model(section["model"])
                    importer.rows(model, section["rows"], per_user=section.get("per_user", False))
                importer.finish()
                organisation = Organisation.objects.get(code=manifest["organisation"])
                audit_record(
                    organisation=organisation,
                    actor=IMPORTORG,
                    action="organisation_import",
                    obj=organisation,
                    summary="Organisationen lästes in från en export gjord "
                    f"{manifest['exported_at'][:10]}",
                    changes={
                        "files": len(manifest["files"]),
                        "counts": manifest["counts"],
                        "accounts": importer.accounts,
                    },
                )
                _write_files(archive, manifest, written)
        except BaseException:
            for name in written:
                default_storage.delete(name)
            raise
    return Imported(organisation, importer.accounts)
