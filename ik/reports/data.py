"""Plain input for the report builders, loaded from the database by `queries.py`.

Builders take these and nothing else, so they run and are tested without a database.
Labels that the data model already words in Swedish (severity, action status) arrive as text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from ik.engine.result import Direction, Verdict
from ik.reports.trends import Trend


class Execution(StrEnum):
    """Whether a control has been carried out; the values match the data model's."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    NOT_DONE = "not_done"

    @property
    def label(self) -> str:
        return {
            "not_started": "Ej påbörjad",
            "in_progress": "Pågår",
            "done": "Genomförd",
            "not_done": "Ej genomförd",
        }[self.value]


class ProposalSource(StrEnum):
    """Who puts the proposed decision to the committee."""

    ADMINISTRATION = "administration"
    WORKING_COMMITTEE = "working_committee"


class DecidingBody(StrEnum):
    """Whose protocol the extract comes from: the committee's, or its working committee's."""

    COMMITTEE = "committee"
    WORKING_COMMITTEE = "working_committee"


@dataclass(frozen=True, slots=True)
class Wording:
    """An organisation's own words for a kind of document; blank means the standard one.

    `title` and the `basis` lines may name {år}, {datum} (the cut-off, "31 augusti 2018",
    or a plan's decision date) and {nämnd}; the basis lines also {rubrik}, the document's
    title. The background heading stands above the opening text and the summary heading
    above what sums it up (the follow-up's Sammanfattning, the plan's risk summary, the
    consolidated report's table per committee); in the follow-up and the consolidated report
    one heading covers both when they are the same. A blank basis gives no Beslutsunderlag
    where the document has none by default.
    """

    title: str = ""
    background_heading: str = ""
    summary_heading: str = ""
    basis: tuple[str, ...] = ()
    proposer: str = ""


@dataclass(frozen=True, slots=True)
class OrganisationInfo:
    name: str
    code: str = ""
    postal_address: str = ""
    visiting_address: str = ""
    phone: str = ""
    fax: str = ""
    website: str = ""
    email: str = ""
    bankgiro: str = ""
    logo: bytes | None = None


@dataclass(frozen=True, slots=True)
class CommitteeInfo:
    name: str
    code: str = ""
    short_name: str = ""
    administration_name: str = ""
    is_executive_board: bool = False


@dataclass(frozen=True, slots=True)
class PersonInfo:
    name: str
    title: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True, slots=True)
class ProtocolInfo:
    """The protocol paragraph on the follow-up. Blank texts take the tjänsteskrivelse's."""

    body: DecidingBody
    paragraph: str
    meeting_date: dt.date | None = None
    title: str = ""
    background: str = ""
    summary: str = ""
    decisions: tuple[str, ...] = ()
    distribution: tuple[str, ...] = ()
    officer: PersonInfo | None = None


@dataclass(frozen=True, slots=True)
class PlanInfo:
    year: int
    adopted: bool = False
    decided_on: dt.date | None = None
    decision_paragraph: str = ""
    case_number: str = ""


@dataclass(frozen=True, slots=True)
class ControlPointRow:
    position: int
    process: str
    question: str
    method: str
    owner: str
    frequency: str
    common: bool = False
    measure_unit: str = ""
    target: Decimal | None = None
    direction: Direction = Direction.AT_MOST
    warning_limit: Decimal | None = None
    code: str = ""
    direct_action: bool = False
    purpose: str = ""
    scope: str = ""
    unit: str = ""
    person: str = ""
    local_note: str = ""


@dataclass(frozen=True, slots=True)
class ActionRow:
    description: str
    owner: str
    due_date: dt.date | None
    status: str


@dataclass(frozen=True, slots=True)
class DeviationRow:
    description: str
    severity: str
    actions: tuple[ActionRow, ...] = ()


@dataclass(frozen=True, slots=True)
class EntryRow:
    control_point: ControlPointRow
    execution: Execution = Execution.NOT_STARTED
    not_done_reason: str = ""
    result_text: str = ""
    measured_value: Decimal | None = None
    assessment: Verdict | None = None
    deviations: tuple[DeviationRow, ...] = ()
    # The entry's public id, which ties a row of a result sheet back to the entry.
    id: str = ""


@dataclass(frozen=True, slots=True)
class FollowUpData:
    organisation: OrganisationInfo
    committee: CommitteeInfo
    plan: PlanInfo
    cutoff: dt.date
    entries: tuple[EntryRow, ...]
    summary: str = ""
    proposal_source: ProposalSource = ProposalSource.ADMINISTRATION
    decision_paragraph: str = ""
    meeting_date: dt.date | None = None
    proposed_decisions: tuple[str, ...] = ()
    distribution: tuple[str, ...] = ()
    case_officer: PersonInfo | None = None
    signatory: PersonInfo | None = None
    # The measured points' values up to the cut-off, for the appendix's charts.
    trends: tuple[Trend, ...] = ()
    # The tjänsteskrivelse's own date and diarienummer; the loader puts today's date in
    # while none is set, and the plan's diarienummer stands in for a blank one.
    document_date: dt.date | None = None
    case_number: str = ""
    protocol: ProtocolInfo | None = None
    wording: Wording = field(default_factory=Wording)


@dataclass(frozen=True, slots=True)
class RiskRow:
    """A risk from the analysis behind the plan; `tone` overrides the default 4×4 bands."""

    description: str
    likelihood: int
    impact: int
    score: int
    tone: Verdict | None = None


@dataclass(frozen=True, slots=True)
class PlanData:
    organisation: OrganisationInfo
    committee: CommitteeInfo
    plan: PlanInfo
    control_points: tuple[ControlPointRow, ...]
    risks: tuple[RiskRow, ...] = field(default=())
    wording: Wording = field(default_factory=Wording)
