"""Pieces shared by the follow-up and plan builders."""

from __future__ import annotations

from collections.abc import Mapping

from ik.engine.result import Direction
from ik.lib.swedish import format_date_iso, format_measure
from ik.reports.data import CommitteeInfo, ControlPointRow, OrganisationInfo, PlanInfo
from ik.reports.document import ContactItem, Meta


class _AsWritten(dict[str, str]):
    def __missing__(self, key: str) -> str:
        # An unknown {name} in the organisation's wording prints as written.
        return "{" + key + "}"


def fill_wording(template: str, values: Mapping[str, str]) -> str:
    """The organisation's wording with its {names} filled in from `values`."""
    try:
        return template.format_map(_AsWritten(values))
    except (ValueError, IndexError):
        # A stray brace is text, not a mistake to stop the committee's document for.
        return template


def basis_lines(lines: tuple[str, ...], values: Mapping[str, str], title: str) -> tuple[str, ...]:
    """The organisation's beslutsunderlag, with {rubrik} as the document's title."""
    return tuple(fill_wording(line, {**values, "rubrik": title}) for line in lines)


def paragraph_label(paragraph: str) -> str:
    """Normalise "276" or "§ 276" to "§ 276"; blank stays blank."""
    paragraph = paragraph.strip()
    if paragraph and not paragraph.startswith("§"):
        return f"§ {paragraph}"
    return paragraph


def decision_reference(plan: PlanInfo) -> str:
    """Gives "§ 276/2017-12-06", as committee documents cite a decision."""
    if plan.decided_on is None:
        return paragraph_label(plan.decision_paragraph)
    paragraph = paragraph_label(plan.decision_paragraph)
    date = format_date_iso(plan.decided_on)
    return f"{paragraph}/{date}" if paragraph else date


def point_number(point: ControlPointRow) -> str:
    """The plan's own code (V1, P) where the point has one, else its position."""
    return point.code.strip() or str(point.position)


def process_label(point: ControlPointRow) -> str:
    """Gives "1. Försent betalda fakturor (kommungemensamt)", the Process column's text."""
    suffix = " (kommungemensamt)" if point.common else ""
    return f"{point_number(point)}. {point.process}{suffix}"


def question_text(point: ControlPointRow) -> str:
    """The Kontrollmoment column: the question, marked when it is a direct action, with the
    purpose and scope below it when the plan states them."""
    lines = [f"Direktåtgärd: {point.question}" if point.direct_action else point.question]
    if point.purpose.strip():
        lines.append(f"Syfte: {point.purpose.strip()}")
    if point.scope.strip():
        lines.append(f"Omfattning: {point.scope.strip()}")
    return "\n".join(lines)


def owner_text(point: ControlPointRow) -> str:
    """The Kontrollansvarig column: the role, and the responsible unit on a line of its own."""
    return "\n".join(part for part in (point.owner, point.unit.strip()) if part)


def target_text(point: ControlPointRow) -> str:
    """Gives "högst 5 %"; blank for a control without a quantitative target."""
    if point.target is None:
        return ""
    word = "högst" if point.direction is Direction.AT_MOST else "minst"
    return f"{word} {format_measure(point.target, point.measure_unit)}"


def administration_label(committee: CommitteeInfo) -> str:
    """The administration's name, falling back to the committee's."""
    return committee.administration_name.strip() or committee.name


def short_label(committee: CommitteeInfo) -> str:
    """Gives "KS-förvaltning": the short name used in table titles."""
    return committee.short_name.strip() or administration_label(committee)


def _postal_lines(organisation: OrganisationInfo, committee: CommitteeInfo) -> str:
    # The reference letterhead prints organisation, administration, then the address; an
    # address that already names them must not print them twice.
    address = [line.strip() for line in organisation.postal_address.splitlines() if line.strip()]
    lines: list[str] = []
    for candidate in (organisation.name, committee.administration_name):
        candidate = candidate.strip()
        if candidate and candidate.casefold() not in {a.casefold() for a in address}:
            lines.append(candidate)
    return "\n".join(lines + address)


def contact_block(
    organisation: OrganisationInfo, committee: CommitteeInfo
) -> tuple[ContactItem, ...]:
    """The footer's contact fields; the fax appears only when the organisation has one."""
    items = [
        ContactItem("Postadress", _postal_lines(organisation, committee)),
        ContactItem("Besöksadress", organisation.visiting_address.strip()),
        ContactItem("Telefon", organisation.phone.strip()),
    ]
    if organisation.fax.strip():
        items.append(ContactItem("Telefax", organisation.fax.strip()))
    items += [
        ContactItem("Internetadress", organisation.website.strip()),
        ContactItem("e-postadress", organisation.email.strip()),
        ContactItem("Bankgironummer", organisation.bankgiro.strip()),
    ]
    return tuple(items)


def document_meta(
    title: str, organisation: OrganisationInfo, committee: CommitteeInfo, subject: str
) -> Meta:
    """File metadata and the organisation's look for a report."""
    return Meta(
        title=title,
        organisation=organisation.name,
        subject=subject,
        keywords=("internkontroll", committee.name),
        logo=organisation.logo,
    )
