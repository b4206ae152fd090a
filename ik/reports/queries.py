"""Load the builders' plain input from the database, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import replace

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone

from ik.engine.result import Direction, Verdict
from ik.followups.models import Deviation, FollowUp, FollowUpEntry
from ik.org.models import Committee, Organisation, Person
from ik.plans.models import ControlPoint, Plan
from ik.reports.data import (
    ActionRow,
    CommitteeInfo,
    ControlPointRow,
    DecidingBody,
    DeviationRow,
    EntryRow,
    Execution,
    FollowUpData,
    OrganisationInfo,
    PersonInfo,
    PlanData,
    PlanInfo,
    ProposalSource,
    ProtocolInfo,
    RiskRow,
    Wording,
)
from ik.reports.document import Document
from ik.reports.followup import build_followup
from ik.reports.item import build_item, build_protocol
from ik.reports.models import DocumentWording
from ik.reports.plan import build_plan
from ik.reports.result_sheet import build_result_sheet
from ik.reports.trend_queries import followup_trends
from ik.risks.matrix import default_scale
from ik.risks.models import Risk


def _logo(organisation: Organisation) -> bytes | None:
    if not organisation.logo:
        return None
    try:
        with organisation.logo.open("rb") as fh:
            return bytes(fh.read())
    except OSError:
        # A logo missing from storage must not stop the committee's document.
        return None


def word_template(organisation: Organisation) -> bytes | None:
    """The organisation's uploaded Word template, which every DOCX it prints is built on."""
    if not organisation.word_template:
        return None
    try:
        with organisation.word_template.open("rb") as fh:
            return bytes(fh.read())
    except OSError:
        # A template missing from storage must not stop the committee's document.
        return None


def organisation_info(organisation: Organisation) -> OrganisationInfo:
    """The organisation's name, contact block fields and logo."""
    return OrganisationInfo(
        name=organisation.name,
        code=organisation.code,
        postal_address=organisation.postal_address,
        visiting_address=organisation.visiting_address,
        phone=organisation.phone,
        fax=organisation.fax,
        website=organisation.website,
        email=organisation.email,
        bankgiro=organisation.bankgiro,
        logo=_logo(organisation),
    )


def committee_info(committee: Committee) -> CommitteeInfo:
    """The committee's names as documents print them."""
    return CommitteeInfo(
        name=committee.name,
        code=committee.code,
        short_name=committee.short_name,
        administration_name=committee.administration_name,
        is_executive_board=committee.is_executive_board,
    )


def person_info(person: Person | None) -> PersonInfo | None:
    """A named person, or None when the field is not set."""
    if person is None:
        return None
    return PersonInfo(name=person.name, title=person.title, phone=person.phone, email=person.email)


def plan_info(plan: Plan) -> PlanInfo:
    """The plan's year and adoption decision."""
    return PlanInfo(
        year=plan.year,
        adopted=plan.is_adopted,
        decided_on=plan.decided_on,
        decision_paragraph=plan.decision_paragraph,
        case_number=plan.case_number,
    )


def control_point_row(point: ControlPoint) -> ControlPointRow:
    """One plan row; needs `process`, `owner_person` and `unit` loaded with the point."""
    return ControlPointRow(
        position=point.position,
        process=point.process.name,
        question=point.question,
        method=point.method,
        owner=point.owner_text,
        frequency=point.frequency,
        common=point.common_id is not None,
        measure_unit=point.measure_unit,
        target=point.target,
        direction=Direction(point.direction),
        warning_limit=point.warning_limit,
        code=point.code,
        direct_action=point.is_direct_action,
        purpose=point.purpose,
        scope=point.scope,
        unit=point.unit_label,
        person=point.owner_person.name if point.owner_person else "",
        local_note=point.local_note,
    )


def _control_points(plan: Plan) -> list[ControlPoint]:
    return list(
        ControlPoint.objects.filter(plan=plan)
        .select_related("process", "owner_person", "unit")
        .order_by("position", "id")
    )


def _deviation_row(deviation: Deviation) -> DeviationRow:
    actions = tuple(
        ActionRow(
            description=a.description,
            owner=a.owner_text,
            due_date=a.due_date,
            status=a.get_status_display(),
        )
        for a in deviation.actions.all()
    )
    return DeviationRow(
        description=deviation.description,
        severity=deviation.get_severity_display(),
        actions=actions,
    )


def _entry_row(point: ControlPointRow, entry: FollowUpEntry | None) -> EntryRow:
    if entry is None:
        return EntryRow(control_point=point)
    return EntryRow(
        control_point=point,
        execution=Execution(entry.execution_status),
        not_done_reason=entry.not_done_reason,
        result_text=entry.result_text,
        measured_value=entry.measured_value,
        assessment=Verdict(entry.assessment) if entry.assessment else None,
        deviations=tuple(_deviation_row(d) for d in entry.deviations.all()),
        id=str(entry.public_id),
    )


def load_followup(followup: FollowUp) -> FollowUpData:
    """Everything the follow-up document shows, in the organisation's wording; six queries
    whatever the plan's size."""
    followup = FollowUp.objects.select_related(
        "plan__committee__organisation", "case_officer", "signatory", "minutes_officer"
    ).get(pk=followup.pk)
    plan = followup.plan
    entries = FollowUpEntry.objects.filter(followup=followup).prefetch_related(
        Prefetch(
            "deviations",
            queryset=Deviation.objects.order_by("created_at", "id").prefetch_related("actions"),
        )
    )
    by_point = {e.control_point_id: e for e in entries}
    rows = tuple(
        _entry_row(control_point_row(p), by_point.get(p.pk)) for p in _control_points(plan)
    )
    return FollowUpData(
        organisation=organisation_info(plan.committee.organisation),
        committee=committee_info(plan.committee),
        plan=plan_info(plan),
        cutoff=followup.cutoff,
        entries=rows,
        summary=followup.summary,
        proposal_source=ProposalSource(followup.proposal_source),
        decision_paragraph=followup.decision_paragraph,
        meeting_date=followup.meeting_date,
        proposed_decisions=tuple(followup.proposed_decision_lines()),
        distribution=tuple(followup.distribution_lines()),
        case_officer=person_info(followup.case_officer),
        signatory=person_info(followup.signatory),
        document_date=followup.document_date or timezone.localdate(),
        case_number=followup.case_number,
        protocol=protocol_info(followup),
        wording=wording(plan.committee.organisation, DocumentWording.Kind.FOLLOWUP),
    )


def wording(organisation: Organisation, kind: str) -> Wording:
    """The organisation's own words for a kind of document; the standard ones if none."""
    found = DocumentWording.objects.filter(organisation=organisation, kind=kind).first()
    if found is None:
        return Wording()
    return Wording(
        title=found.title,
        background_heading=found.background_heading,
        summary_heading=found.summary_heading,
        basis=found.basis_lines(),
        proposer=found.proposer,
    )


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def protocol_info(followup: FollowUp) -> ProtocolInfo | None:
    """The protocol paragraph on the follow-up, or None until one is recorded; needs
    `minutes_officer` loaded with the follow-up."""
    if not followup.has_protocol:
        return None
    return ProtocolInfo(
        body=DecidingBody(followup.protocol_body),
        paragraph=followup.decision_paragraph,
        meeting_date=followup.meeting_date,
        title=followup.protocol_title,
        background=followup.protocol_background,
        summary=followup.protocol_summary,
        decisions=_lines(followup.protocol_decisions),
        distribution=_lines(followup.protocol_distribution),
        officer=person_info(followup.minutes_officer),
    )


def _load_plan_with_risk_scale(plan: Plan) -> Plan:
    return (
        Plan.objects.select_related("committee__organisation__risk_scale")
        .annotate(has_risks=Exists(Risk.objects.filter(plan=OuterRef("pk"))))
        .get(pk=plan.pk)
    )


def _risk_rows(plan: Plan) -> tuple[RiskRow, ...]:
    """The plan's risk analysis, coloured by the organisation's own scale; needs the plan
    from `_load_plan_with_risk_scale`, and costs a query only when there are risks."""
    if not getattr(plan, "has_risks", False):
        return ()
    try:
        scale = plan.committee.organisation.risk_scale.as_scale()
    except ObjectDoesNotExist:
        scale = default_scale()
    rows = []
    for risk in plan.risks.order_by("id"):
        risk.use_scale(scale)
        rows.append(
            RiskRow(
                description=risk.description,
                likelihood=risk.likelihood,
                impact=risk.impact,
                score=risk.score,
                tone=Verdict(risk.tone.value),
            )
        )
    return tuple(rows)


def load_plan(plan: Plan) -> PlanData:
    """Everything the plan document shows; three queries whatever the plan's size, and a
    fourth when the plan has a risk analysis."""
    plan = _load_plan_with_risk_scale(plan)
    return PlanData(
        organisation=organisation_info(plan.committee.organisation),
        committee=committee_info(plan.committee),
        plan=plan_info(plan),
        control_points=tuple(control_point_row(p) for p in _control_points(plan)),
        risks=_risk_rows(plan),
        wording=wording(plan.committee.organisation, DocumentWording.Kind.PLAN),
    )


def result_sheet_document(followup: FollowUp) -> Document:
    """The follow-up as a sheet for units to fill in, ready for the XLSX renderer."""
    return build_result_sheet(load_followup(followup))


def _with_trends(followup: FollowUp) -> FollowUpData:
    """The follow-up's data with its measured points' trends as at the cut-off."""
    return replace(load_followup(followup), trends=followup_trends(followup))


def followup_document(followup: FollowUp) -> Document:
    """The follow-up committee item for `followup`, ready for a renderer."""
    return build_followup(_with_trends(followup))


def item_document(followup: FollowUp) -> Document:
    """The whole committee item: protocol extract (once recorded), memo and appendix, the
    appendix with the same trends as the follow-up document, so the archived item has them."""
    return build_item(_with_trends(followup))


def protocol_document(followup: FollowUp) -> Document:
    """The protocol extract alone; ValueError while the follow-up has none."""
    return build_protocol(load_followup(followup))


def plan_document(plan: Plan) -> Document:
    """The plan document for `plan`, ready for a renderer."""
    return build_plan(load_plan(plan))
