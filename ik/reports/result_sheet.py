"""A follow-up as a result sheet: sent to units in Excel, filled in, and read back by IK."""

from __future__ import annotations

from ik.engine.result_sheet import ASSESSMENT_LABELS, RESULT_LABELS, STATUS_LABELS
from ik.lib.swedish import format_date_iso, format_decimal
from ik.reports.common import document_meta, point_number, short_label
from ik.reports.data import EntryRow, FollowUpData
from ik.reports.document import DataSheet, Document, Heading, Paragraph, Section

RESULT_SHEET = "Resultat"
COLUMNS = (
    "number",
    "process",
    "question",
    "owner",
    "status",
    "reason",
    "result",
    "measured_value",
    "assessment",
    "id",
)


def _values(entry: EntryRow) -> tuple[str, ...]:
    point = entry.control_point
    owner = ", ".join(part for part in (point.owner, point.unit, point.person) if part)
    values = {
        "number": point_number(point),
        "process": point.process,
        "question": point.question,
        "owner": owner,
        "status": STATUS_LABELS[entry.execution.value],
        "reason": entry.not_done_reason,
        "result": entry.result_text,
        "measured_value": format_decimal(entry.measured_value),
        "assessment": ASSESSMENT_LABELS.get(entry.assessment.value, "") if entry.assessment else "",
        "id": entry.id,
    }
    return tuple(values[name] for name in COLUMNS)


def build_result_sheet(data: FollowUpData) -> Document:
    """One row per control point with what is reported so far; the text sheet says how."""
    title = (
        f"Resultat per {format_date_iso(data.cutoff)}, internkontrollplan {data.plan.year} "
        f"för {short_label(data.committee)}"
    )
    guidance = (
        f"Fyll i kolumnerna {RESULT_LABELS['status']}, {RESULT_LABELS['result']} och, för "
        f"kontroller med mål, {RESULT_LABELS['measured_value']} på bladet ”{RESULT_SHEET}”. "
        f"{RESULT_LABELS['status']} är {', '.join(STATUS_LABELS.values())}; ange skäl när "
        "kontrollen inte genomförts. Ändra inte kolumnen Id: den knyter raden till "
        "kontrollmomentet när filen läses in igen."
    )
    sheet = DataSheet(
        RESULT_SHEET,
        tuple(RESULT_LABELS[name] for name in COLUMNS),
        tuple(_values(entry) for entry in data.entries),
    )
    return Document(
        meta=document_meta(title, data.organisation, data.committee, data.committee.name),
        sections=(Section((Heading(title, level=1), Paragraph(guidance))),),
        data_sheets=(sheet,),
    )
