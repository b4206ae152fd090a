"""Running automated controls and filing their results as evidence on follow-up entries."""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import tempfile
from argparse import ArgumentError, ArgumentParser
from collections.abc import Mapping
from contextlib import ExitStack
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ik.controls import catalog
from ik.controls.models import ControlRun, LedgerMapping
from ik.engine.errors import InputError
from ik.engine.result import ControlResult, Verdict
from ik.engine.systems import competence_to_csv, systems_to_csv
from ik.followups.models import Deviation, FollowUpEntry
from ik.followups.services import deviation_register, entry_record
from ik.org.audit import audit_record
from ik.org.models import Organisation, Unit
from ik.systems.inputs import engine_competence, engine_systems

logger = logging.getLogger(__name__)

# Shares are measured in percent on control points ("8 %"), fractions in the engine.
PERCENT_UNITS = {"%", "procent"}


def measured_value_for(result: ControlResult, entry: FollowUpEntry) -> Decimal | None:
    if result.value is None:
        return None
    value = Decimal(str(result.value))
    if entry.control_point.measure_unit.strip().lower() in PERCENT_UNITS:
        value *= 100
    return round(value, 4)


def _apply_to_entry(entry: FollowUpEntry, result: ControlResult, by: Any) -> None:
    """Set the entry's measured value or colour from a result; on red propose a deviation."""
    point = entry.control_point
    quantitative = point.is_quantitative and result.value is not None
    entry_record(
        entry=entry,
        by=by,
        # Running the control is part of carrying it out; whether it is complete is for
        # the person to say, so a started entry keeps its status.
        execution_status=(
            FollowUpEntry.Execution.IN_PROGRESS
            if entry.execution_status == FollowUpEntry.Execution.NOT_STARTED
            else entry.execution_status
        ),
        result_text=entry.result_text or result.summary,
        measured_value=measured_value_for(result, entry) if quantitative else entry.measured_value,
        assessment=entry.assessment if quantitative else result.verdict.value,
        not_done_reason=entry.not_done_reason,
    )
    if result.verdict is Verdict.RED:
        deviation_register(
            entry=entry,
            by=by,
            severity=Deviation.Severity.SIGNIFICANT,
            description=f"Automatisk kontroll ({result.control}): {result.summary}",
        )


def _fill_result(run: ControlRun, result: ControlResult) -> None:
    run.status = ControlRun.Status.DONE
    run.progress = ""
    run.parameters = dict(result.parameters)
    run.input_sha256 = result.input_sha256
    run.rows = result.rows
    run.value = result.value
    run.verdict = result.verdict.value
    run.summary = result.summary
    run.result = result.to_json()
    run.finished_at = timezone.now()


@transaction.atomic
def control_run_attach(
    *, entry: FollowUpEntry, result: ControlResult, by: Any, input_name: str = ""
) -> ControlRun:
    """File a result computed elsewhere (the CLI) as evidence on the entry."""
    run = ControlRun(
        entry=entry,
        control=result.control,
        input_name=input_name,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    _fill_result(run, result)
    run.save()
    _apply_to_entry(entry, result, by)
    audit_record(
        organisation=entry.followup.plan.committee.organisation_id,
        actor=by,
        action="control_run_attach",
        obj=run,
        summary=f"Sparade kontrollkörning {result.control} på {entry}",
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
    by: Any,
    control: str,
    uploads: Mapping[str, UploadedFile[bytes]],
    arguments: list[str],
) -> ControlRun:
    """Store the inputs and queue the run for the worker."""
    from ik.controls.tasks import run_control

    files = {key: store_evidence_file(upload) for key, upload in uploads.items()}
    run = ControlRun.objects.create(
        entry=entry,
        control=control,
        arguments=arguments,
        files=files,
        input_name=", ".join(f["name"] for f in files.values()),
        progress="Väntar på en arbetsprocess",
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit_record(
        organisation=entry.followup.plan.committee.organisation_id,
        actor=by,
        action="control_run_request",
        obj=run,
        summary=f"Startade kontrollen {control} på {entry}",
        changes={"arguments": arguments, "files": {k: f["sha256"] for k, f in files.items()}},
    )
    transaction.on_commit(lambda: run_control.enqueue(run.pk))
    return run


def _progress(run: ControlRun, text: str) -> None:
    run.progress = text
    ControlRun.objects.filter(pk=run.pk).update(progress=text)


def _local_path(stack: ExitStack, storage_name: str) -> str:
    try:
        return str(default_storage.path(storage_name))
    except NotImplementedError:
        # Remote storage: the engine reads files, so copy to a temporary one.
        suffix = Path(storage_name).suffix
        tmp = stack.enter_context(tempfile.NamedTemporaryFile(suffix=suffix))  # noqa: SIM115
        with default_storage.open(storage_name, "rb") as src:
            for chunk in iter(lambda: src.read(1 << 20), b""):
                tmp.write(chunk)
        tmp.flush()
        return tmp.name


def _register_file(stack: ExitStack, kind: str, organisation: Organisation) -> str:
    """Write one of the organisation's registers to a temporary CSV for the adapter."""
    if kind == "units":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(["enhet"])
        units = Unit.objects.filter(
            committee__organisation=organisation, kind=Unit.Kind.ADMINISTRATION
        ).order_by("name")
        for unit in units:
            writer.writerow([unit.name])
        data = buffer.getvalue().encode("utf-8")
    else:
        data = (
            systems_to_csv(engine_systems(organisation))
            if kind == "systems"
            else competence_to_csv(engine_competence(organisation))
        )
    tmp = stack.enter_context(tempfile.NamedTemporaryFile(suffix=f"-{kind}.csv"))  # noqa: SIM115
    tmp.write(data)
    tmp.flush()
    return tmp.name


def _argv(run: ControlRun, stack: ExitStack, labels: dict[str, str]) -> list[str]:
    """The run's arguments with its input files; `labels` learns what each path stands for."""
    from ik.controls.runnable import CONTROLS

    spec = CONTROLS[run.control]
    argv = list(run.arguments)
    for upload in spec.uploads:
        if upload.key in run.files:
            path = _local_path(stack, run.files[upload.key]["storage"])
            labels[path] = run.files[upload.key]["name"]
            argv += [upload.option, path]
    organisation = run.entry.followup.plan.committee.organisation
    for kind in spec.registers:
        path = _register_file(stack, kind, organisation)
        labels[path] = REGISTER_LABELS[kind]
        argv += [f"--{kind}", path]
    return argv


REGISTER_LABELS = {
    "systems": "systemregistret",
    "competence": "kompetenslistan",
    "units": "förvaltningarna",
}


def _relabel(value: Any, labels: Mapping[str, str]) -> Any:
    """Replace temporary file paths in recorded parameters with what the files were."""
    if isinstance(value, str):
        return labels.get(value, value)
    if isinstance(value, Mapping):
        return {k: _relabel(v, labels) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_relabel(v, labels) for v in value]
    return value


class _Parser(ArgumentParser):
    def error(self, message: str) -> Any:  # argparse would exit the worker
        raise InputError(f"Ogiltiga argument: {message}")


def _compute(run: ControlRun) -> ControlResult:
    command = catalog.get(run.control)
    parser = _Parser(prog=run.control, exit_on_error=False)
    command.add_arguments(parser)
    labels: dict[str, str] = {}
    with ExitStack() as stack:
        argv = _argv(run, stack, labels)
        try:
            options = vars(parser.parse_args(argv))
        except ArgumentError as exc:
            raise InputError(f"Ogiltiga argument: {exc}") from None
        _progress(run, "Läser indata och kör kontrollen")
        result = command.run(options)
    return replace(result, parameters=_relabel(dict(result.parameters), labels))


def control_run_execute(*, run_id: int) -> ControlRun:
    """The worker's part: run the control, then file the result in one transaction."""
    run = ControlRun.objects.select_related(
        "entry__followup__plan__committee__organisation",
        "entry__control_point",
        "created_by",
    ).get(pk=run_id)
    if run.status != ControlRun.Status.QUEUED or not _claim(run):
        return run
    try:
        result = _compute(run)
        _progress(run, "Sparar resultatet")
        with transaction.atomic():
            _fill_result(run, result)
            run.save()
            if run.entry.followup.is_open:
                _apply_to_entry(run.entry, result, run.created_by)
    except (InputError, CommandError) as exc:
        _fail(run, str(exc))
    except Exception:
        logger.exception("Control run %s failed", run.public_id)
        _fail(
            run,
            "Ett oväntat fel inträffade i kontrollen. Försök igen eller kontakta "
            "systemförvaltningen.",
        )
    return run


def _claim(run: ControlRun) -> bool:
    """Mark the run running unless its organisation already has its share running.

    One organisation's heavy runs must not take every worker from the others: at most
    IK_CONTROL_RUNS_PER_ORGANISATION run at once per organisation. The organisation's row is
    locked while counting (PostgreSQL), so two workers cannot both take the last place. A
    run that is not claimed stays queued and the task tries again later.
    """
    organisation_id = run.entry.followup.plan.committee.organisation_id
    with transaction.atomic():
        list(Organisation.objects.select_for_update().filter(pk=organisation_id).values("pk"))
        running = ControlRun.objects.filter(
            status=ControlRun.Status.RUNNING,
            entry__followup__plan__committee__organisation_id=organisation_id,
        ).count()
        if running >= settings.IK_CONTROL_RUNS_PER_ORGANISATION:
            return False
        claimed = ControlRun.objects.filter(pk=run.pk, status=ControlRun.Status.QUEUED).update(
            status=ControlRun.Status.RUNNING
        )
    if claimed:
        run.status = ControlRun.Status.RUNNING
    return claimed == 1


def _fail(run: ControlRun, message: str) -> None:
    ControlRun.objects.filter(pk=run.pk).update(
        status=ControlRun.Status.FAILED, error=message, progress="", finished_at=timezone.now()
    )
    run.status, run.error = ControlRun.Status.FAILED, message


@transaction.atomic
def ledger_mapping_save(
    *, organisation: Organisation, by: Any, name: str, columns: dict[str, str]
) -> LedgerMapping:
    mapping, _ = LedgerMapping.objects.update_or_create(
        organisation=organisation,
        name=name,
        defaults={
            "columns": columns,
            "created_by": by if getattr(by, "is_authenticated", False) else None,
        },
    )
    audit_record(
        organisation=organisation,
        actor=by,
        action="ledger_mapping_save",
        obj=mapping,
        summary=f"Sparade kolumnmappningen {name}",
        changes={"columns": columns},
    )
    return mapping


@transaction.atomic
def ledger_mapping_delete(*, mapping: LedgerMapping, by: Any) -> None:
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
        raise CommandError(
            "--attach ska ha formen ”<nämnd>/<år>/<brytdatum>/<kontrollmoment>”, "
            "t.ex. ”Kommunstyrelsen/2018/2018-08-31/1”."
        )
    committee, year, cutoff, position = parts
    try:
        cutoff_date = date.fromisoformat(cutoff)
        year_number, position_number = int(year), int(position)
    except ValueError:
        raise CommandError(f"Kunde inte läsa år, brytdatum eller nummer i ”{path}”.") from None
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
        raise CommandError(f"Hittade inget kontrollmoment för ”{path}”.")
    if len(found) > 1:
        raise CommandError(f"”{path}” matchar flera organisationer; ange --organisation.")
    if not found[0].followup.is_open:
        raise CommandError("Uppföljningen är rapporterad och kan inte längre ändras.")
    return found[0]


def control_run_attach_by_path(
    *, result: ControlResult, path: str, options: Mapping[str, Any]
) -> ControlRun:
    entry = find_entry(path, options.get("organisation"))
    source = options.get("ledger") or options.get("systems") or options.get("units") or ""
    return control_run_attach(
        entry=entry, result=result, by=None, input_name=Path(str(source)).name if source else ""
    )
