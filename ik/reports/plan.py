"""The internal control plan as a document for the committee to adopt."""

from __future__ import annotations

from ik.engine.plan_import import FIELD_LABELS
from ik.engine.result import Direction, Verdict
from ik.lib.swedish import (
    format_date_iso,
    format_date_long,
    format_decimal,
    sort_key,
    verdict_label,
)
from ik.reports.common import (
    basis_lines,
    contact_block,
    decision_reference,
    document_meta,
    fill_wording,
    owner_text,
    paragraph_label,
    process_label,
    question_text,
    short_label,
    target_text,
)
from ik.reports.data import ControlPointRow, PlanData, RiskRow
from ik.reports.document import (
    Block,
    Cell,
    Column,
    DataSheet,
    Document,
    DocumentHeader,
    Heading,
    ItemList,
    ListKind,
    Paragraph,
    Section,
    Table,
)


def wording_values(data: PlanData) -> dict[str, str]:
    """What {år}, {datum} (the decision date, once adopted) and {nämnd} stand for."""
    decided_on = data.plan.decided_on
    return {
        "år": str(data.plan.year),
        "datum": format_date_long(decided_on) if decided_on else "",
        "nämnd": data.committee.name,
    }


def title(data: PlanData) -> str:
    """Gives "Internkontrollplan 2018 för KS-förvaltning", or the organisation's own title."""
    if data.wording.title.strip():
        return fill_wording(data.wording.title.strip(), wording_values(data))
    return f"Internkontrollplan {data.plan.year} för {short_label(data.committee)}"


def wording_blocks(data: PlanData) -> list[Block]:
    """The organisation's beslutsunderlag and, while the plan is a proposal, its proposer
    with the decision to adopt; nothing when the organisation words neither."""
    values = wording_values(data)
    blocks: list[Block] = []
    lines = basis_lines(data.wording.basis, values, title(data))
    if lines:
        blocks += [Heading("Beslutsunderlag"), ItemList(lines)]
    proposer = data.wording.proposer.strip()
    if proposer and not data.plan.adopted:
        decision = f"{data.committee.name} fastställer internkontrollplan för {data.plan.year}."
        blocks += [
            Heading(fill_wording(proposer, values)),
            ItemList((decision,), ListKind.NUMBERED),
        ]
    return blocks


def status_text(data: PlanData) -> str:
    """Fastställd once adopted, otherwise Förslag."""
    return "Fastställd" if data.plan.adopted else "Förslag"


def control_point_table(data: PlanData) -> Table:
    """The plan's control points; a Mål column only when some point has a target."""
    points = sorted(data.control_points, key=lambda p: p.position)
    with_target = any(p.target is not None for p in points)
    columns = [
        Column("Process", 1.2),
        Column("Kontrollmoment", 1.6),
        Column("Kontrollmetod", 1.4),
        Column("Kontrollansvarig", 1.2),
        Column("Tidpunkt/frekvens", 1.0),
    ]
    if with_target:
        columns.append(Column("Mål", 0.8))
    rows = []
    for point in points:
        row = [
            Cell(process_label(point)),
            Cell(question_text(point)),
            Cell(point.method),
            Cell(owner_text(point)),
            Cell(point.frequency),
        ]
        if with_target:
            row.append(Cell(target_text(point)))
        rows.append(tuple(row))
    return Table(title(data), tuple(columns), tuple(rows))


def risk_tone(risk: RiskRow) -> Verdict:
    """The default 4×4 bands: 1–4 green, 5–8 yellow, 9–16 red, unless the row says otherwise."""
    if risk.tone is not None:
        return risk.tone
    if risk.score <= 4:
        return Verdict.GREEN
    return Verdict.YELLOW if risk.score <= 8 else Verdict.RED


def risk_table(data: PlanData) -> Table:
    """Risks by score, highest first; equal scores in Swedish alphabetical order."""
    risks = sorted(data.risks, key=lambda r: sort_key(r.description))
    risks.sort(key=lambda r: r.score, reverse=True)
    columns = (
        Column("Risk", 3.0),
        Column("Sannolikhet", 0.8),
        Column("Konsekvens", 0.8),
        Column("Riskvärde", 0.8),
        Column("Bedömning", 0.8),
    )
    rows = tuple(
        (
            Cell(r.description),
            Cell.count(r.likelihood),
            Cell.count(r.impact),
            Cell.count(r.score),
            Cell(verdict_label(risk_tone(r)), risk_tone(r)),
        )
        for r in risks
    )
    return Table(f"Risksammanfattning {data.plan.year}", columns, rows)


def plan_sections(data: PlanData) -> tuple[Section, ...]:
    """The plan's cover text, its table and, when risks are given, a risk summary."""
    plan = data.plan
    header = DocumentHeader(
        organisation=data.organisation.name,
        committee=data.committee.name,
        kind=f"Internkontrollplan {plan.year}",
        date=format_date_iso(plan.decided_on) if plan.adopted else "",
        case_number=plan.case_number,
        paragraph=paragraph_label(plan.decision_paragraph) if plan.adopted else "",
        status=status_text(data),
    )
    blocks: list[Block] = [header, Heading(title(data), level=1)]
    if data.wording.background_heading.strip():
        blocks.append(Heading(data.wording.background_heading.strip()))
    if plan.adopted and plan.decided_on is not None:
        blocks.append(
            Paragraph(f"Planen fastställdes av {data.committee.name} {decision_reference(plan)}.")
        )
    else:
        blocks.append(Paragraph(f"Förslag till internkontrollplan för {plan.year}."))
    blocks += [*wording_blocks(data), control_point_table(data)]
    if data.risks:
        heading = data.wording.summary_heading.strip() or "Risksammanfattning"
        blocks += [Heading(heading), risk_table(data)]
    return (Section(tuple(blocks), landscape=True),)


# The columns of the spreadsheet-only sheet, headed as `ik.engine.plan_import` reads them.
POINT_SHEET = "Kontrollmoment (alla fält)"
POINT_FIELDS = (
    "code",
    "kind",
    "process",
    "question",
    "purpose",
    "scope",
    "method",
    "owner",
    "owner_person",
    "unit",
    "frequency",
    "common",
    "measure_unit",
    "target",
    "direction",
    "warning_limit",
    "local_note",
)


def point_values(point: ControlPointRow) -> tuple[str, ...]:
    """Every field of a control point as text, in the order of `POINT_FIELDS`."""
    values = {
        "code": point.code,
        "kind": "Direktåtgärd" if point.direct_action else "Kontroll/granskning",
        "process": point.process,
        "question": point.question,
        "purpose": point.purpose,
        "scope": point.scope,
        "method": point.method,
        "owner": point.owner,
        "owner_person": point.person,
        "unit": point.unit,
        "frequency": point.frequency,
        "common": "ja" if point.common else "nej",
        "measure_unit": point.measure_unit,
        "target": format_decimal(point.target),
        "direction": "högst" if point.direction is Direction.AT_MOST else "minst",
        "warning_limit": format_decimal(point.warning_limit),
        "local_note": point.local_note,
    }
    return tuple(values[name] for name in POINT_FIELDS)


def point_sheet(data: PlanData) -> DataSheet:
    """The plan's control points with all their fields, for reading back into IK."""
    points = sorted(data.control_points, key=lambda p: p.position)
    headers = tuple(FIELD_LABELS[name] for name in POINT_FIELDS)
    return DataSheet(POINT_SHEET, headers, tuple(point_values(p) for p in points))


def build_plan(data: PlanData) -> Document:
    """The plan document for adoption (or, once adopted, for the record).

    Its spreadsheet also carries every field of every control point on a sheet of its own,
    which `importplan` reads back unchanged.
    """
    return Document(
        meta=document_meta(title(data), data.organisation, data.committee, data.committee.name),
        sections=plan_sections(data),
        contact=contact_block(data.organisation, data.committee),
        data_sheets=(point_sheet(data),),
    )
