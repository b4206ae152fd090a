"""Filing a control result as evidence on a follow-up entry."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Q

from ik.controls.models import ControlRun
from ik.engine.result import ControlResult, Verdict
from ik.followups.models import Deviation, FollowUpEntry
from ik.followups.services import deviation_register, entry_record
from ik.org.audit import audit_record

# Shares are measured in percent on control points ("8 %"), fractions in the engine.
PERCENT_UNITS = {"%", "procent"}


def measured_value_for(result: ControlResult, entry: FollowUpEntry) -> Decimal | None:
    if result.value is None:
        return None
    value = Decimal(str(result.value))
    if entry.control_point.measure_unit.strip().lower() in PERCENT_UNITS:
        value *= 100
    return round(value, 4)


@transaction.atomic
def control_run_attach(
    *, entry: FollowUpEntry, result: ControlResult, by: Any, input_name: str = ""
) -> ControlRun:
    """Store the run, set the entry's measured value, and on red propose a deviation."""
    run = ControlRun.objects.create(
        entry=entry,
        control=result.control,
        parameters=dict(result.parameters),
        input_sha256=result.input_sha256,
        input_name=input_name,
        rows=result.rows,
        value=result.value,
        verdict=result.verdict.value,
        summary=result.summary,
        result=result.to_json(),
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    measured = measured_value_for(result, entry)
    text = entry.result_text or result.summary
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
        result_text=text,
        measured_value=measured if entry.control_point.is_quantitative else None,
        assessment=entry.assessment
        if entry.control_point.is_quantitative
        else result.verdict.value,
        not_done_reason=entry.not_done_reason,
    )
    if result.verdict is Verdict.RED:
        deviation_register(
            entry=entry,
            by=by,
            severity=Deviation.Severity.SIGNIFICANT,
            description=f"Automatisk kontroll ({result.control}): {result.summary}",
        )
    audit_record(
        organisation=entry.followup.plan.committee.organisation_id,
        actor=by,
        action="control_run_attach",
        obj=run,
        summary=f"Sparade kontrollkörning {result.control} på {entry}",
        changes={"input_sha256": result.input_sha256, "verdict": result.verdict.value},
    )
    return run


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
