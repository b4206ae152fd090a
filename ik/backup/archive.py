"""Export one organisation to a zip, and import such a zip into another instance.

The zip holds `manifest.json` (format version, organisation, row counts, SHA-256 of the data
and of every file), `data.json` (rows as Django's serializer writes them, with their old
primary keys) and `files/<storage name>` for every uploaded or evidence file the rows name.
Importing inserts the rows in foreign-key order under new primary keys, keeps public ids,
and writes the files back after checking their SHA-256.

`signature.json` signs the manifest (which names the SHA-256 of everything else) with
HMAC-SHA256 under a key the installations that exchange archives share (`IK_BACKUP_KEY` or
`IK_BACKUP_KEY_FILE`): without the key nobody writes an archive that an import accepts, even
one whose checksums all match.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, time
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from ik.backup.graph import organisation_querysets, user_owned_models
from ik.org.models import Organisation

FORMAT = "ik-organisation"
VERSION = 1
CHUNK = 1024 * 1024


class ArchiveError(Exception):
    """The archive cannot be written or read; the message is for the user."""


class ExactEncoder(DjangoJSONEncoder):
    """Django's encoder, but keeping microseconds (it cuts times to milliseconds)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, (datetime, time)):
            return o.isoformat()
        return super().default(o)


SIGNATURE_NAME = "signature.json"
ALGORITHM = "HMAC-SHA256"
MIN_KEY_LENGTH = 32


def _key() -> bytes:
    key = str(getattr(settings, "IK_BACKUP_KEY", "") or "")
    if not key:
        raise ArchiveError(
            "Ingen nyckel för säkerhetskopior: sätt IK_BACKUP_KEY (eller IK_BACKUP_KEY_FILE). "
            "Arkiv signeras och kontrolleras med den nyckeln."
        )
    if len(key) < MIN_KEY_LENGTH:
        raise ArchiveError(
            f"IK_BACKUP_KEY är för kort ({len(key)} tecken); den ska ha minst "
            f"{MIN_KEY_LENGTH} slumpmässiga tecken."
        )
    return key.encode()


def key_ready() -> None:
    """Refuse at once, before any work, when no usable key is set."""
    _key()


def signature_for(manifest: bytes) -> bytes:
    """The signature file's content for the manifest's exact bytes."""
    mac = hmac.new(_key(), manifest, hashlib.sha256).hexdigest()
    return json.dumps({"algorithm": ALGORITHM, "signature": mac}).encode()


def check_signature(manifest: bytes, signature: bytes | None) -> None:
    """Refuse an archive that is unsigned, or whose manifest the key did not sign."""
    key = _key()
    if signature is None:
        raise ArchiveError(
            "Arkivet är inte signerat och läses inte in. Exportera det på nytt med exportorg "
            "från en installation som har samma IK_BACKUP_KEY."
        )
    try:
        meta = json.loads(signature)
        given = str(meta["signature"])
        algorithm = meta["algorithm"]
    except (ValueError, KeyError, TypeError):
        raise ArchiveError("Arkivets signatur (signature.json) kan inte läsas.") from None
    expected = hmac.new(key, manifest, hashlib.sha256).hexdigest()
    if algorithm != ALGORITHM or not hmac.compare_digest(given, expected):
        raise ArchiveError(
            "Arkivets signatur stämmer inte: arkivet har ändrats efter exporten, eller "
            "signerats med en annan IK_BACKUP_KEY. Inget har lästs in."
        )


def sha256_of(stream: Any) -> str:
    digest = hashlib.sha256()
    for block in iter(lambda: stream.read(CHUNK), b""):
        digest.update(block)
    return digest.hexdigest()


def _stored_names(value: Any) -> Iterator[str]:
    # Evidence files are named inside JSON as {"storage": name, "sha256": ...}.
    if isinstance(value, dict):
        if isinstance(value.get("storage"), str):
            yield value["storage"]
        for item in value.values():
            yield from _stored_names(item)
    elif isinstance(value, list):
        for item in value:
            yield from _stored_names(item)


def file_names(obj: models.Model) -> set[str]:
    """Storage names of every file a row refers to, through file fields or JSON."""
    names: set[str] = set()
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname)
        if isinstance(field, models.FileField) and value:
            names.add(str(value))
        elif isinstance(field, models.JSONField):
            names.update(_stored_names(value))
    return names


def _safe_member(name: str) -> str:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not name:
        raise ArchiveError(f"Otillåtet filnamn i arkivet: {name}")
    return f"files/{path}"


def collect(organisation: Organisation) -> tuple[dict[str, Any], set[str]]:
    """The organisation's rows (serialized) and the storage names of its files."""
    user_model = get_user_model()
    sections = []
    user_ids: set[int] = set()
    names: set[str] = set()
    for model, queryset in organisation_querysets(organisation):
        objects = list(queryset)
        for obj in objects:
            names |= file_names(obj)
            for field in obj._meta.concrete_fields:
                value = getattr(obj, field.attname)
                if field.is_relation and field.related_model is user_model and value is not None:
                    user_ids.add(value)
        sections.append(
            {"model": model._meta.label_lower, "rows": serializers.serialize("python", objects)}
        )
    users = list(user_model._base_manager.filter(pk__in=user_ids).order_by("pk"))
    for model, path in user_owned_models():
        rows = list(model._base_manager.filter(**{f"{path}__in": user_ids}).order_by("pk"))
        sections.append(
            {
                "model": model._meta.label_lower,
                "rows": serializers.serialize("python", rows),
                "per_user": True,
            }
        )
    user_rows = serializers.serialize("python", users)
    for row in user_rows:
        row["fields"].pop("groups", None)
        row["fields"].pop("user_permissions", None)
    return {"users": user_rows, "models": sections}, names


def export_organisation(organisation: Organisation, output: Any) -> dict[str, Any]:
    """Write the organisation's signed zip to `output` (a path or a binary file).

    Returns the manifest.
    """
    key_ready()
    data, names = collect(organisation)
    data_bytes = json.dumps(data, cls=ExactEncoder, ensure_ascii=False, indent=1).encode()
    files = {}
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(names):
            if not default_storage.exists(name):
                raise ArchiveError(f"Filen {name} saknas i lagringen.")
            with (
                default_storage.open(name, "rb") as src,
                archive.open(_safe_member(name), "w") as dst,
            ):
                digest = hashlib.sha256()
                size = 0
                for block in iter(lambda: src.read(CHUNK), b""):
                    digest.update(block)
                    dst.write(block)
                    size += len(block)
            files[name] = {"sha256": digest.hexdigest(), "size": size}
        archive.writestr("data.json", data_bytes)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "organisation": organisation.code,
            "exported_at": datetime.now(UTC).isoformat(),
            "counts": {
                "auth.user": len(data["users"]),
                **{s["model"]: len(s["rows"]) for s in data["models"]},
            },
            "data_sha256": hashlib.sha256(data_bytes).hexdigest(),
            "files": files,
        }
        manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
        archive.writestr("manifest.json", manifest_bytes)
        archive.writestr(SIGNATURE_NAME, signature_for(manifest_bytes))
    return manifest
