"""Filing automated-control results as evidence on follow-up entries, and column mappings.

Running a control is in `ik.controls.running`; this module asks for runs (the worker picks
them up), files results computed elsewhere (`runcontrol --attach`) and keeps the
organisation's saved column mappings.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q

from ik.controls.models import ControlRun, LedgerMapping
from ik.controls.running import apply_to_entry, fill_result
from ik.controls.tasks import run_control
from ik.engine.controls.registry import control_label
from ik.engine.result import ControlResult
from ik.followups.models import FollowUpEntry
from ik.org.actors import RUNCONTROL, Actor, user_or_none
from ik.org.audit import audit_record
from ik.org.models import Organisation


class AttachError(Exception):
    """The follow-up entry a result should be filed on cannot be found or changed."""


@transaction.atomic
def control_run_attach(
    *, entry: FollowUpEntry, result: ControlResult, by: Actor, input_name: str = ""
) -> ControlRun:
    """File a result computed elsewhere (the CLI) as evidence on the entry."""
    run = ControlRun(
        entry=entry,
        control=result.control,
        input_name=input_name,
        created_by=user_or_none(by),
    )
    fill_result(run, result)
    run.save()
    apply_to_entry(run, result, by)
    audit_record(
        organisation=entry.followup.plan.committee.organisation_id,
        actor=by,
        action="control_run_attach",
        obj=run,
        summary=f"Sparade kontrollkörning {control_label(result.control)} på {entry}",
        changes={"input_sha256": result.input_sha256, "verdict": result.verdict.value},
    )
    return run


def store_evidence_file(upload: UploadedFile[bytes] | File[bytes]) -> dict[str, str]:
    """Save an upload under its SHA-256, so stored evidence can never change after the fact."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    sha = digest.hexdigest()
    name = f"evidence/{sha[:2]}/{sha}"
    if not default_storage.exists(name):
        upload.seek(0)
        name = default_storage.save(name, upload)
    return {"name": Path(upload.name or "fil").name, "storage": name, "sha256": sha}


@transaction.atomic
def control_run_request(
    *,
    entry: FollowUpEntry,
    by: Actor,
    control: str,
    uploads: Mapping[str, UploadedFile[bytes]],
    arguments: list[str],
) -> ControlRun:
    """Store the inputs and queue the run for the worker."""
    files = {key: store_evidence_file(upload) for key, upload in uploads.items()}
    run = ControlRun.objects.create(
        entry=entry,
        control=control,
        arguments=arguments,
        files=files,
        input_name=", ".join(f["name"] for f in files.values()),
        progress="Väntar på en arbetsprocess",
        created_by=user_or_none(by),
    )
    audit_record(
        organisation=entry.followup.plan.committee.organisation_id,
        actor=by,
        action="control_run_request",
        obj=run,
        summary=f"Startade kontrollen {control_label(control)} på {entry}",
        changes={"arguments": arguments, "files": {k: f["sha256"] for k, f in files.items()}},
    )
    transaction.on_commit(lambda: run_control.enqueue(run.pk))
    return run


@transaction.atomic
def ledger_mapping_save(
    *,
    organisation: Organisation,
    by: Actor,
    name: str,
    columns: dict[str, str],
    header_row: int | None = None,
) -> LedgerMapping:
    mapping, _ = LedgerMapping.objects.update_or_create(
        organisation=organisation,
        name=name,
        defaults={
            "columns": columns,
            "header_row": header_row,
            "created_by": user_or_none(by),
        },
    )
    audit_record(
        organisation=organisation,
        actor=by,
        action="ledger_mapping_save",
        obj=mapping,
        summary=f"Sparade kolumnmappningen {name}",
        changes={"columns": columns, "header_row": header_row},
    )
    return mapping


@transaction.atomic
def ledger_mapping_delete(*, mapping: LedgerMapping, by: Actor) -> None:
    audit_record(
        organisation=mapping.organisation_id,
        actor=by,
        action="ledger_mapping_delete",
        obj=mapping,
        summary=f"Tog bort kolumnmappningen {mapping.name}",
        changes={"columns": mapping.columns},
    )
    mapping.delete()


def find_entry(path: str, organisation: str | None = None) -> FollowUpEntry:
    """Resolve "<committee>/<year>/<cutoff>/<control point number>" to an entry."""
    parts = [p.strip() for p in path.split("/")]
    if len(parts) != 4:
        raise AttachError(
            "--attach ska ha formen ”<nämnd>/<år>/<brytdatum>/<kontrollmoment>”, "
            "t.ex. ”Kommunstyrelsen/2018/2018-08-31/1”."
        )
    committee, year, cutoff, position = parts
    try:
        cutoff_date = date.fromisoformat(cutoff)
        year_number, position_number = int(year), int(position)
    except ValueError:
        raise AttachError(f"Kunde inte läsa år, brytdatum eller nummer i ”{path}”.") from None
    entries = FollowUpEntry.objects.filter(
        Q(followup__plan__committee__name__iexact=committee)
        | Q(followup__plan__committee__code__iexact=committee),
        followup__plan__year=year_number,
        followup__cutoff=cutoff_date,
        control_point__position=position_number,
    ).select_related("followup__plan__committee__organisation", "control_point")
    if organisation:
        entries = entries.filter(
            Q(followup__plan__committee__organisation__name__iexact=organisation)
            | Q(followup__plan__committee__organisation__code__iexact=organisation)
        )
    found = list(entries[:2])
    if not found:
        raise AttachError(f"Hittade inget kontrollmoment för ”{path}”.")
    if len(found) > 1:
        raise AttachError(f"”{path}” matchar flera organisationer; ange --organisation.")
    if not found[0].followup.is_open:
        raise AttachError("Uppföljningen är rapporterad och kan inte längre ändras.")
    return found[0]


def control_run_attach_by_path(
    *, result: ControlResult, path: str, options: Mapping[str, Any]
) -> ControlRun:
    entry = find_entry(path, options.get("organisation"))
    source = options.get("ledger") or options.get("systems") or options.get("units") or ""
    return control_run_attach(
        entry=entry,
        result=result,
        by=RUNCONTROL,
        input_name=Path(str(source)).name if source else "",
    )
