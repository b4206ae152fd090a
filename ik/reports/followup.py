"""The follow-up committee item: tjänsteskrivelse plus the appendix table, as a `Document`."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from ik.engine.assessment import assess
from ik.engine.result import Verdict
from ik.lib.swedish import (
    format_date_compact,
    format_date_iso,
    format_date_long,
    format_date_short,
    format_measure,
    genitive,
    join_swedish,
    lower_first,
    verdict_label,
)
from ik.reports.common import (
    administration_label,
    basis_lines,
    contact_block,
    decision_reference,
    document_meta,
    fill_wording,
    owner_text,
    process_label,
    question_text,
    short_label,
    target_text,
)
from ik.reports.data import EntryRow, Execution, FollowUpData, PersonInfo, ProposalSource
from ik.reports.document import (
    Block,
    Cell,
    Column,
    Document,
    DocumentHeader,
    Heading,
    ItemList,
    ListKind,
    Paragraph,
    Section,
    Table,
    TextStyle,
)
from ik.reports.trends import trends_blocks

DEFAULT_DISTRIBUTION = ("Kommunstyrelsen", "Akten")
# The rule committee documents print above the distribution list.
RULE = "—"


def wording_values(data: FollowUpData) -> dict[str, str]:
    """What {år}, {datum} and {nämnd} stand for in the follow-up's wording."""
    return {
        "år": str(data.plan.year),
        "datum": format_date_long(data.cutoff),
        "nämnd": data.committee.name,
    }


def fill(template: str, data: FollowUpData) -> str:
    """The organisation's wording with {år}, {datum} and {nämnd} filled in."""
    return fill_wording(template, wording_values(data))


def title(data: FollowUpData) -> str:
    """Gives "Uppföljning av internkontrollplan per 31 augusti 2018", or the organisation's
    own title for the document."""
    if data.wording.title.strip():
        return fill(data.wording.title.strip(), data)
    return f"Uppföljning av internkontrollplan per {format_date_long(data.cutoff)}"


def case_number(data: FollowUpData) -> str:
    """The follow-up's own diarienummer, or the plan's when it has none."""
    return data.case_number.strip() or data.plan.case_number


def entry_verdict(entry: EntryRow) -> Verdict | None:
    """The recorded assessment, or for a measured control the one its numbers give."""
    if entry.assessment is not None:
        return entry.assessment
    point = entry.control_point
    if entry.measured_value is None or point.target is None:
        return None
    return assess(entry.measured_value, point.target, point.direction, point.warning_limit)


def background_text(data: FollowUpData) -> str:
    """The Bakgrund sentence, generated from the plan's adoption decision."""
    owner = lower_first(genitive(administration_label(data.committee)))
    year = data.plan.year
    if data.plan.decided_on is None:
        return f"Förslaget till {owner} internkontrollplan för {year} är ännu inte fastställt."
    return (
        f"{data.committee.name} beslutade vid sitt sammanträde {decision_reference(data.plan)} "
        f"om {owner} internkontrollplan för {year}."
    )


def _status_sentence(entries: tuple[EntryRow, ...]) -> str:
    counts = Counter(e.execution for e in entries)
    wording = (
        (Execution.DONE, "är genomfört", "är genomförda"),
        (Execution.IN_PROGRESS, "pågår", "pågår"),
        (Execution.NOT_STARTED, "har ännu inte påbörjats", "har ännu inte påbörjats"),
        (Execution.NOT_DONE, "har inte genomförts", "har inte genomförts"),
    )
    parts: list[str] = []
    for status, one, many in wording:
        n = counts[status]
        if n:
            noun = "" if parts else " kontrollmoment"
            parts.append(f"{n}{noun} {one if n == 1 else many}")
    return f"{join_swedish(parts)}." if parts else ""


def _deviation_sentence(entries: tuple[EntryRow, ...]) -> str:
    deviations = [d for e in entries for d in e.deviations]
    if not deviations:
        return "Inga avvikelser har rapporterats."
    severities = Counter(d.severity.strip().lower() for d in deviations if d.severity.strip())
    noun = "avvikelse" if len(deviations) == 1 else "avvikelser"
    sentence = f"{len(deviations)} {noun} har rapporterats"
    if severities:
        sentence += ": " + join_swedish([f"{n} {label}" for label, n in severities.items()])
    actions = sum(len(d.actions) for d in deviations)
    if actions:
        decided = "åtgärd är beslutad" if actions == 1 else "åtgärder är beslutade"
        sentence += f". {actions} {decided}"
    return sentence + "."


def _measure_sentences(entries: tuple[EntryRow, ...]) -> list[str]:
    sentences = []
    for entry in entries:
        point = entry.control_point
        if entry.measured_value is None or point.target is None:
            continue
        verdict = entry_verdict(entry)
        measured = format_measure(entry.measured_value, point.measure_unit)
        colour = f" ({verdict.label.lower()})" if verdict is not None else ""
        sentences.append(f"{point.process}: {measured} mot målet {target_text(point)}{colour}.")
    return sentences


def _assessment_sentence(entries: tuple[EntryRow, ...]) -> str:
    verdicts = Counter(v for e in entries if (v := entry_verdict(e)) is not None)
    if not verdicts:
        return ""
    parts = [f"{v.label.lower()} för {verdicts[v]}" for v in Verdict if verdicts[v]]
    return f"Bedömningen är {join_swedish(parts)} kontrollmoment."


def draft_summary(data: FollowUpData) -> str:
    """A Sammanfattning drafted from the entries, for the secretary to start from."""
    entries = data.entries
    common = sum(1 for e in entries if e.control_point.common)
    opening = (
        f"Uppföljningen per {format_date_long(data.cutoff)} omfattar {len(entries)} kontrollmoment"
    )
    opening += f", varav {common} kommungemensamma." if common else "."
    sentences = [opening, _status_sentence(entries), _deviation_sentence(entries)]
    sentences += _measure_sentences(entries)
    sentences.append(_assessment_sentence(entries))
    return " ".join(s for s in sentences if s)


def proposal_heading(data: FollowUpData) -> str:
    """Who proposes the decision: the administration or the working committee, or the
    organisation's own wording."""
    if data.wording.proposer.strip():
        return fill(data.wording.proposer.strip(), data)
    if data.proposal_source is ProposalSource.WORKING_COMMITTEE:
        return f"Arbetsutskottets förslag till {lower_first(data.committee.name)}"
    if not data.committee.administration_name.strip():
        # "Överförmyndarnämndens förslag till beslut" would have the committee propose to
        # itself.
        return "Förvaltningens förslag till beslut"
    return f"{genitive(administration_label(data.committee))} förslag till beslut"


def proposed_decisions(data: FollowUpData) -> tuple[str, ...]:
    """The decision points, defaulting to approving the follow-up."""
    if data.proposed_decisions:
        return data.proposed_decisions
    return (
        f"{data.committee.name} godkänner uppföljning av internkontrollplanen per "
        f"{format_date_long(data.cutoff)}.",
    )


def _person_lines(person: PersonInfo, with_phone: bool) -> str:
    lines = [person.name]
    if not with_phone and person.title:
        lines.append(person.title)
    if with_phone and person.phone:
        lines.append(f"Tfn {person.phone}")
    if with_phone and person.email:
        lines.append(person.email)
    return "\n".join(lines)


def summary_paragraphs(summary: str, data: FollowUpData) -> list[Paragraph]:
    """The Sammanfattning as paragraphs; a blank one is drafted from the entries."""
    text = summary.strip() or draft_summary(data)
    chunks = [c.strip() for c in text.replace("\r\n", "\n").split("\n\n") if c.strip()]
    return [Paragraph(chunk) for chunk in chunks]


def basis_blocks(data: FollowUpData) -> list[Block]:
    """The Beslutsunderlag heading and list, the same in memo and protocol."""
    lines = basis_lines(data.wording.basis, wording_values(data), title(data))
    return [Heading("Beslutsunderlag"), ItemList(lines or ("Missiv", f"{title(data)}."))]


def text_blocks(data: FollowUpData, background: str, summary: str) -> list[Block]:
    """Bakgrund and Sammanfattning, or the organisation's headings; under one heading
    when both are the same, as Örebro's "Ärendebeskrivning"."""
    first = data.wording.background_heading.strip() or "Bakgrund"
    second = data.wording.summary_heading.strip() or "Sammanfattning"
    summary_blocks = summary_paragraphs(summary, data)
    if first == second:
        return [Heading(first), Paragraph(background), *summary_blocks]
    return [Heading(first), Paragraph(background), Heading(second), *summary_blocks]


def distribution_blocks(distribution: tuple[str, ...]) -> list[Block]:
    """The rule and "Beslutet skickas till:" with its recipients."""
    return [
        Paragraph(RULE),
        Paragraph("Beslutet skickas till:", TextStyle.STRONG),
        ItemList(distribution or DEFAULT_DISTRIBUTION),
    ]


def officer_blocks(person: PersonInfo | None) -> list[Block]:
    """ "Handläggare" with the person's name and phone; nothing when no one is named."""
    if person is None:
        return []
    return [
        Paragraph("Handläggare", TextStyle.STRONG),
        Paragraph(_person_lines(person, with_phone=True)),
    ]


def _letter_blocks(data: FollowUpData) -> list[Block]:
    header = DocumentHeader(
        organisation=data.organisation.name,
        committee=data.committee.name,
        kind="Tjänsteskrivelse",
        date=format_date_iso(data.document_date),
        case_number=case_number(data),
    )
    blocks: list[Block] = [
        header,
        Heading(title(data), level=1),
        *text_blocks(data, background_text(data), data.summary),
        *basis_blocks(data),
        Heading(proposal_heading(data)),
        ItemList(proposed_decisions(data), ListKind.NUMBERED),
        *distribution_blocks(data.distribution),
    ]
    if data.signatory is not None:
        blocks.append(Paragraph(administration_label(data.committee)))
        blocks.append(Paragraph(_person_lines(data.signatory, with_phone=False)))
    return blocks + officer_blocks(data.case_officer)


def _result_text(entry: EntryRow) -> str:
    if entry.result_text.strip():
        return entry.result_text.strip()
    if entry.execution is Execution.NOT_DONE and entry.not_done_reason.strip():
        return f"{entry.execution.label}: {entry.not_done_reason.strip()}"
    return entry.execution.label


def appendix_title(data: FollowUpData) -> str:
    """Gives "Uppföljning av internkontrollplan för KS-förvaltning per 31 aug 2018"."""
    return (
        f"Uppföljning av internkontrollplan för {short_label(data.committee)} "
        f"per {format_date_short(data.cutoff)}"
    )


def appendix_table(data: FollowUpData) -> Table:
    """One row per control point, with the follow-up text and the assessment."""
    columns = (
        Column("Process", 1.2),
        Column("Kontrollmoment", 1.5),
        Column("Kontrollmetod", 1.3),
        Column("Kontrollansvarig", 1.1),
        Column("Tidpunkt/frekvens", 0.9),
        Column(f"Uppföljning {format_date_compact(data.cutoff)}", 2.6),
        Column("Bedömning", 0.8),
    )
    rows = []
    for entry in data.entries:
        point = entry.control_point
        verdict = entry_verdict(entry)
        rows.append(
            (
                Cell(process_label(point)),
                Cell(question_text(point)),
                Cell(point.method),
                Cell(owner_text(point)),
                Cell(point.frequency),
                Cell(_result_text(entry)),
                Cell(verdict_label(verdict), verdict),
            )
        )
    return Table(appendix_title(data), columns, tuple(rows))


def deviation_blocks(data: FollowUpData) -> list[Block]:
    """Deviations and their actions after the appendix table."""
    rows = []
    for entry in data.entries:
        label = process_label(entry.control_point)
        for deviation in entry.deviations:
            base = (Cell(label), Cell(deviation.description), Cell(deviation.severity))
            if not deviation.actions:
                rows.append((*base, Cell("Ingen åtgärd beslutad"), Cell(""), Cell(""), Cell("")))
            for action in deviation.actions:
                rows.append(
                    (
                        *base,
                        Cell(action.description),
                        Cell(action.owner),
                        Cell.date(action.due_date),
                        Cell(action.status),
                    )
                )
    heading = Heading("Avvikelser och åtgärder")
    if not rows:
        none = f"Inga avvikelser har rapporterats per {format_date_long(data.cutoff)}."
        return [heading, Paragraph(none)]
    columns = (
        Column("Kontrollmoment", 1.2),
        Column("Avvikelse", 2.0),
        Column("Allvarlighetsgrad", 1.0),
        Column("Åtgärd", 2.0),
        Column("Ansvarig", 1.1),
        Column("Klart senast", 0.8),
        Column("Status", 0.9),
    )
    table = Table(f"Avvikelser och åtgärder {short_label(data.committee)}", columns, tuple(rows))
    return [heading, table]


def followup_sections(data: FollowUpData) -> tuple[Section, Section]:
    """The letter and its appendix; used alone or merged across committees."""
    data = _sorted(data)
    appendix: list[Block] = [
        Paragraph(data.committee.name, TextStyle.STRONG),
        Heading(appendix_title(data), level=1),
        appendix_table(data),
        *deviation_blocks(data),
        *trends_blocks(data.trends),
    ]
    return Section(tuple(_letter_blocks(data))), Section(tuple(appendix), landscape=True)


def build_followup(data: FollowUpData) -> Document:
    """The complete follow-up committee item for one committee and cut-off date."""
    return Document(
        meta=document_meta(title(data), data.organisation, data.committee, data.committee.name),
        sections=followup_sections(data),
        contact=contact_block(data.organisation, data.committee),
    )


def _sorted(data: FollowUpData) -> FollowUpData:
    entries = tuple(sorted(data.entries, key=lambda e: e.control_point.position))
    return replace(data, entries=entries)
