"""Reading a filled-in result sheet into a follow-up's entries, in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from ik.engine.headers import normalise_header
from ik.engine.result_sheet import ResultRow
from ik.followups.models import FollowUp, FollowUpEntry
from ik.followups.services import _refuse_if_reported, entry_record
from ik.org.actors import Actor
from ik.org.audit import audit_record


@dataclass(slots=True)
class ResultsImport:
    """What an import changed (or, as a dry run, would change)."""

    followup: FollowUp
    recorded: list[tuple[ResultRow, FollowUpEntry]] = field(default_factory=list)
    skipped: int = 0


class _Matcher:
    """Finds a row's entry: by Id, else by Nr (code or position), else by the wording."""

    def __init__(self, followup: FollowUp) -> None:
        self.entries = list(
            followup.entries.select_related("control_point__process", "followup__plan")
        )
        self.by_id = {str(e.public_id): e for e in self.entries}
        self.by_number = {e.control_point.number.casefold(): e for e in self.entries}
        self.by_question = {normalise_header(e.control_point.question): e for e in self.entries}

    def find(self, row: ResultRow) -> FollowUpEntry | None:
        if row.id:
            return self.by_id.get(row.id)
        if row.number and row.number.casefold() in self.by_number:
            return self.by_number[row.number.casefold()]
        return self.by_question.get(normalise_header(row.question))


def _record(entry: FollowUpEntry, row: ResultRow, by: Actor) -> None:
    reason = row.reason or (entry.not_done_reason if row.status == "not_done" else "")
    entry_record(
        entry=entry,
        by=by,
        execution_status=row.status or entry.execution_status,
        result_text=row.result or entry.result_text,
        measured_value=row.measured_value
        if row.measured_value is not None
        else entry.measured_value,
        assessment=row.assessment or entry.assessment,
        not_done_reason=reason,
    )


@transaction.atomic
def results_import(
    *,
    followup: FollowUp,
    rows: Sequence[ResultRow],
    by: Actor,
    source: str,
    dry_run: bool = False,
) -> ResultsImport:
    """Record each filled-in row on its entry; a reported follow-up refuses.

    A row that leaves a column empty keeps what the entry already says. Every row is tried
    before anything is kept: one bad row refuses the file with every row's errors. A dry run
    checks the same way and rolls back.
    """
    _refuse_if_reported(followup)
    matcher = _Matcher(followup)
    result = ResultsImport(followup=followup)
    errors: list[str] = []
    for row in rows:
        if not row.is_filled:
            result.skipped += 1
            continue
        entry = matcher.find(row)
        if entry is None:
            errors.append(
                f"Rad {row.row}: kontrollmomentet ”{row.question}” finns inte i uppföljningen."
            )
            continue
        try:
            with transaction.atomic():
                _record(entry, row, by)
        except ValidationError as exc:
            errors += [f"Rad {row.row}: {message}" for message in exc.messages]
            continue
        result.recorded.append((row, entry))
    if errors:
        raise ValidationError(errors)
    if not result.recorded:
        raise ValidationError("Filen innehåller inga ifyllda resultat.")
    audit_record(
        organisation=followup.plan.committee.organisation_id,
        actor=by,
        action="results_import",
        obj=followup,
        summary=f"Läste in {len(result.recorded)} resultat i {followup} från {source}"[:300],
        changes={"source": source, "recorded": len(result.recorded)},
    )
    if dry_run:
        transaction.set_rollback(True)
    return result
