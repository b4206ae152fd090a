"""Running an automated control for a stored run and filing its result on the entry.

The worker calls `control_run_execute` (see `ik.controls.tasks`). The control is found in the
one registry, `ik.engine.controls.registry`, and is given the same arguments `runcontrol`
would get on the command line, with the run's stored files and the organisation's registers.
"""

from __future__ import annotations

import csv
import io
import logging
import tempfile
from argparse import ArgumentError, ArgumentParser
from collections.abc import Mapping
from contextlib import ExitStack
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from ik.contracts.inputs import engine_contracts, procurement_options
from ik.controls.lease import Heartbeat, control_runs_expire
from ik.controls.models import ControlRun
from ik.engine.contracts import contracts_to_csv
from ik.engine.controls.registry import control_label, get_control
from ik.engine.controls.spec import ControlSpec
from ik.engine.errors import InputError
from ik.engine.result import ControlResult, Verdict
from ik.engine.systems import competence_to_csv, systems_to_csv
from ik.followups.models import Action, Deviation, FollowUpEntry
from ik.followups.services import deviation_register, deviation_update, entry_record
from ik.lib.bounded import run_bounded
from ik.lib.filelimits import LimitError
from ik.org.actors import DB_WORKER, Actor
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


def apply_to_entry(run: ControlRun, result: ControlResult, by: Actor) -> None:
    """Set the entry's measured value or colour from a result; on red record a deviation.

    A control raises one deviation per entry: a rerun that is still red brings the open
    deviation of an earlier run up to date instead of adding another.
    """
    entry = run.entry
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
    if result.verdict is not Verdict.RED:
        return
    description = f"Automatisk kontroll ({control_label(result.control)}): {result.summary}"
    severity = Deviation.Severity.SIGNIFICANT
    earlier = open_automatic_deviation(entry, result.control)
    if earlier is None:
        run.deviation = deviation_register(
            entry=entry, by=by, severity=severity, description=description
        )
    else:
        run.deviation = deviation_update(
            deviation=earlier, by=by, severity=earlier.severity, description=description
        )
    ControlRun.objects.filter(pk=run.pk).update(deviation=run.deviation)


def open_automatic_deviation(entry: FollowUpEntry, control: str) -> Deviation | None:
    """The deviation an earlier run of `control` raised on the entry, while still open.

    Open: no action taken on it has been closed after its effect was checked.
    """
    return (
        Deviation.objects.filter(entry=entry, control_runs__control=control)
        .exclude(actions__status=Action.Status.CLOSED)
        .order_by("-created_at", "-id")
        .first()
    )


def fill_result(run: ControlRun, result: ControlResult) -> None:
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


def _progress(run: ControlRun, text: str) -> None:
    run.progress = text
    ControlRun.objects.filter(pk=run.pk).update(progress=text, heartbeat_at=timezone.now())


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


def register_file(stack: ExitStack, kind: str, organisation: Organisation) -> str:
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
    elif kind == "contracts":
        data = contracts_to_csv(engine_contracts(organisation))
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


def organisation_options(
    spec: ControlSpec, options: Mapping[str, Any], organisation: Organisation
) -> dict[str, Any]:
    """The options with those the run left unset taken from the organisation's settings.

    The one place a run's parameters are completed, for the worker and for `runcontrol
    --organisation`: the procurement controls take the compliance target, the window and the
    own direct-procurement limit from the settings page; an option given explicitly wins.
    """
    if "contracts" not in spec.registers:
        return dict(options)
    settings_options = procurement_options(organisation)
    unset = {k: v for k, v in settings_options.items() if k in options and options[k] is None}
    return {**options, **unset}


def _argv(
    run: ControlRun, spec: ControlSpec, stack: ExitStack, labels: dict[str, str]
) -> list[str]:
    """The run's arguments with its input files; `labels` learns what each path stands for."""
    argv = list(run.arguments)
    for upload in spec.uploads:
        if upload.key in run.files:
            path = _local_path(stack, run.files[upload.key]["storage"])
            labels[path] = run.files[upload.key]["name"]
            argv += [upload.option, path]
    organisation = run.entry.followup.plan.committee.organisation
    for kind in spec.registers:
        path = register_file(stack, kind, organisation)
        labels[path] = REGISTER_LABELS[kind]
        argv += [f"--{kind}", path]
    return argv


REGISTER_LABELS = {
    "systems": "systemregistret",
    "competence": "kompetenslistan",
    "units": "förvaltningarna",
    "contracts": "avtalsregistret",
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
    spec = get_control(run.control)
    parser = _Parser(prog=run.control, exit_on_error=False)
    spec.add_arguments(parser)
    labels: dict[str, str] = {}
    with ExitStack() as stack:
        argv = _argv(run, spec, stack, labels)
        try:
            options = vars(parser.parse_args(argv))
        except ArgumentError as exc:
            raise InputError(f"Ogiltiga argument: {exc}") from None
        options = organisation_options(
            spec, options, run.entry.followup.plan.committee.organisation
        )
        _progress(run, "Läser indata och kör kontrollen")
        # In a child process with a memory ceiling: a ledger that needs more than the
        # machine can give fails this run with a message, and the worker lives on.
        result = run_bounded(
            spec.run,
            options,
            memory_mb=settings.IK_CONTROL_MEMORY_MB,
            setting="IK_CONTROL_MEMORY_MB",
        )
    return replace(result, parameters=_relabel(dict(result.parameters), labels))


def control_run_execute(*, run_id: int) -> ControlRun:
    """The worker's part: run the control, then file the result in one transaction."""
    run = ControlRun.objects.select_related(
        "entry__followup__plan__committee__organisation",
        "entry__control_point",
        "created_by",
    ).get(pk=run_id)
    control_runs_expire()
    if run.status != ControlRun.Status.QUEUED or not _claim(run):
        return run
    try:
        with Heartbeat(run.pk):
            result = _compute(run)
        _progress(run, "Sparar resultatet")
        with transaction.atomic():
            if not _still_ours(run):
                return run
            fill_result(run, result)
            run.save()
            if run.entry.followup.is_open:
                apply_to_entry(run, result, run.created_by or DB_WORKER)
    except (InputError, LimitError) as exc:
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
            status=ControlRun.Status.RUNNING, heartbeat_at=timezone.now()
        )
    if claimed:
        run.status = ControlRun.Status.RUNNING
    return claimed == 1


def _still_ours(run: ControlRun) -> bool:
    """False when the run's lease ran out meanwhile and it was failed: file nothing then."""
    status = (
        ControlRun.objects.select_for_update()
        .filter(pk=run.pk)
        .values_list("status", flat=True)
        .get()
    )
    if status != ControlRun.Status.RUNNING:
        run.status = status
        return False
    return True


def _fail(run: ControlRun, message: str) -> None:
    ControlRun.objects.filter(pk=run.pk, status=ControlRun.Status.RUNNING).update(
        status=ControlRun.Status.FAILED, error=message, progress="", finished_at=timezone.now()
    )
    run.status, run.error = ControlRun.Status.FAILED, message
