"""The whole committee item: protocol extract, tjänsteskrivelse and appendix, in that order.

The protocol extract is the paragraph the committee (or its working committee) records on
the follow-up. Its texts default to the tjänsteskrivelse's, and the secretary may reword
them, as the reference item's protocol rewords the Sammanfattning.
"""

from __future__ import annotations

from ik.lib.swedish import format_date_iso, genitive, lower_first
from ik.reports.common import contact_block, document_meta, paragraph_label
from ik.reports.data import DecidingBody, FollowUpData, ProtocolInfo
from ik.reports.document import (
    Block,
    Document,
    DocumentHeader,
    Heading,
    ItemList,
    ListKind,
    Paragraph,
    Section,
    TextStyle,
)
from ik.reports.followup import (
    background_text,
    basis_blocks,
    case_number,
    distribution_blocks,
    followup_sections,
    officer_blocks,
    proposed_decisions,
    text_blocks,
    title,
)


def body_name(data: FollowUpData, protocol: ProtocolInfo) -> str:
    """Gives "Kommunstyrelsen" or "Kommunstyrelsens arbetsutskott"."""
    if protocol.body is DecidingBody.WORKING_COMMITTEE:
        return f"{genitive(data.committee.name)} arbetsutskott"
    return data.committee.name


def decision_heading(data: FollowUpData, protocol: ProtocolInfo) -> str:
    """Gives "Arbetsutskottets förslag till kommunstyrelsen" or "Kommunstyrelsen beslutar"."""
    if protocol.body is DecidingBody.WORKING_COMMITTEE:
        return f"Arbetsutskottets förslag till {lower_first(data.committee.name)}"
    return f"{data.committee.name} beslutar"


def protocol_title(data: FollowUpData, protocol: ProtocolInfo) -> str:
    """The paragraph's title, by default the tjänsteskrivelse's."""
    return protocol.title.strip() or title(data)


def protocol_blocks(data: FollowUpData, protocol: ProtocolInfo) -> list[Block]:
    """The protocol extract: §, case, title, the texts, the decision and who handled it."""
    header = DocumentHeader(
        organisation=data.organisation.name,
        committee=body_name(data, protocol),
        kind="Protokollsutdrag",
        date=format_date_iso(protocol.meeting_date),
    )
    return [
        header,
        Paragraph(paragraph_label(protocol.paragraph), TextStyle.STRONG),
        Paragraph(case_number(data)),
        Heading(protocol_title(data, protocol), level=1),
        *text_blocks(
            data,
            protocol.background.strip() or background_text(data),
            protocol.summary or data.summary,
        ),
        *basis_blocks(data),
        Heading(decision_heading(data, protocol)),
        ItemList(protocol.decisions or proposed_decisions(data), ListKind.NUMBERED),
        *distribution_blocks(protocol.distribution or data.distribution),
        *officer_blocks(protocol.officer),
    ]


def _document(data: FollowUpData, sections: tuple[Section, ...], name: str) -> Document:
    return Document(
        meta=document_meta(name, data.organisation, data.committee, data.committee.name),
        sections=sections,
        contact=contact_block(data.organisation, data.committee),
    )


def build_protocol(data: FollowUpData) -> Document:
    """The protocol extract alone; ValueError while no paragraph is recorded."""
    if data.protocol is None:
        raise ValueError(
            "Uppföljningen har inget protokollsutdrag: ange beslutande organ och paragraf "
            "under Ärendeuppgifter."
        )
    name = f"Protokollsutdrag {paragraph_label(data.protocol.paragraph)}, {title(data)}"
    return _document(data, (Section(tuple(protocol_blocks(data, data.protocol))),), name)


def build_item(data: FollowUpData) -> Document:
    """Protocol extract (once recorded), tjänsteskrivelse and appendix, in that order."""
    sections: tuple[Section, ...] = followup_sections(data)
    if data.protocol is not None:
        sections = (Section(tuple(protocol_blocks(data, data.protocol))), *sections)
    return _document(data, sections, title(data))
