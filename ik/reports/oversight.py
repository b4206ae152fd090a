"""The executive board's consolidated follow-up of every committee's internal control.

Plain data in (`OversightData`, loaded by `ik.oversight.queries`), a `Document` out. The
aggregate of a common control point is computed here too, so the oversight page and the
report say the same thing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from ik.engine.assessment import assess
from ik.engine.result import Direction, Verdict
from ik.lib.charts import Chart, ValueRow, VerdictRow, target_bars, verdict_bars
from ik.lib.swedish import (
    UNASSESSED_LABEL,
    count_noun,
    format_date_iso,
    format_date_long,
    format_decimal,
    format_measure,
    verdict_label,
)
from ik.reports.common import (
    basis_lines,
    contact_block,
    fill_wording,
    process_label,
    target_text,
)
from ik.reports.data import (
    CommitteeInfo,
    ControlPointRow,
    EntryRow,
    Execution,
    OrganisationInfo,
    PersonInfo,
    Wording,
)
from ik.reports.document import (
    Block,
    Cell,
    Column,
    Document,
    DocumentHeader,
    Figure,
    Heading,
    ItemList,
    ListKind,
    Meta,
    Paragraph,
    Section,
    Table,
    TextStyle,
)
from ik.reports.followup import distribution_blocks, entry_verdict, officer_blocks
from ik.reports.trends import Trend, trend_blocks


class Placement(StrEnum):
    """Why a committee has, or lacks, an answer on a common control point."""

    ENTRY = "entry"
    NO_FOLLOWUP = "no_followup"
    NOT_IN_PLAN = "not_in_plan"


@dataclass(frozen=True, slots=True)
class OpenItem:
    """A deviation open at the cut-off, with one of its actions not closed by then."""

    control_point: ControlPointRow
    deviation: str
    severity: str
    action: str = ""
    owner: str = ""
    due_date: dt.date | None = None
    overdue: bool = False


@dataclass(frozen=True, slots=True)
class CommitteeSummary:
    """One committee's plan and follow-up at the chosen cut-off, as counts."""

    committee: CommitteeInfo
    plan_id: str = ""
    plan_status: str = ""
    plan_status_label: str = ""
    followup_id: str = ""
    followup_status: str = ""
    followup_status_label: str = ""
    green: int = 0
    yellow: int = 0
    red: int = 0
    unassessed: int = 0
    open_deviations: int = 0
    overdue_actions: int = 0
    entries: tuple[EntryRow, ...] = ()
    open_items: tuple[OpenItem, ...] = ()

    @property
    def has_followup(self) -> bool:
        return bool(self.followup_id)


@dataclass(frozen=True, slots=True)
class CommitteeAnswer:
    """A committee's assessment and measured value on one common control point.

    `weight` is the number of items the latest automated run counted (paid invoices for
    late payments), when there is such a run.
    """

    committee: CommitteeInfo
    placement: Placement
    verdict: Verdict | None = None
    measured_value: Decimal | None = None
    result_text: str = ""
    execution: Execution = Execution.NOT_STARTED
    weight: int | None = None


class AverageKind(StrEnum):
    WEIGHTED = "weighted"
    MEAN = "mean"


@dataclass(frozen=True, slots=True)
class Aggregate:
    """The whole municipality's figure for a common control point."""

    counts: dict[Verdict, int]
    unassessed: int
    missing: int = 0
    value: Decimal | None = None
    verdict: Verdict | None = None
    kind: AverageKind | None = None
    weight_total: int = 0
    measured: int = 0


@dataclass(frozen=True, slots=True)
class CommonPointComparison:
    """A common control point with every committee's answer, in committee order."""

    process: str
    question: str
    method: str = ""
    measure_unit: str = ""
    target: Decimal | None = None
    direction: Direction = Direction.AT_MOST
    warning_limit: Decimal | None = None
    answers: tuple[CommitteeAnswer, ...] = ()
    trend: Trend | None = None

    @property
    def is_quantitative(self) -> bool:
        return self.target is not None

    @property
    def target_text(self) -> str:
        if self.target is None:
            return ""
        word = "högst" if self.direction is Direction.AT_MOST else "minst"
        return f"{word} {format_measure(self.target, self.measure_unit)}"

    @property
    def aggregate(self) -> Aggregate:
        return aggregate(self)


@dataclass(frozen=True, slots=True)
class OversightCase:
    """Diarienummer, date, handläggare, proposed decisions and distribution of the report."""

    case_number: str = ""
    document_date: dt.date | None = None
    case_officer: PersonInfo | None = None
    proposed_decisions: tuple[str, ...] = ()
    distribution: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class OversightData:
    organisation: OrganisationInfo
    year: int
    cutoff: dt.date | None
    board: CommitteeInfo | None = None
    whole: str = "Hela kommunen"
    committees: tuple[CommitteeSummary, ...] = ()
    common_points: tuple[CommonPointComparison, ...] = field(default=())
    case: OversightCase = field(default_factory=OversightCase)
    wording: Wording = field(default_factory=Wording)


def _mean(values: list[Decimal], weights: list[int] | None) -> Decimal:
    if weights is None:
        return sum(values, Decimal(0)) / len(values)
    total = sum(weights)
    return sum((v * w for v, w in zip(values, weights, strict=True)), Decimal(0)) / total


def aggregate(point: CommonPointComparison) -> Aggregate:
    """Colour counts for every point; for a measured one also the municipality's value.

    The value is the mean weighted by the counts of the committees' latest automated runs
    when every measured committee has one, since a committee paying ten invoices must not
    weigh as much as one paying ten thousand; otherwise the plain mean of their values.
    """
    answered = [a for a in point.answers if a.placement is Placement.ENTRY]
    counts = Counter(a.verdict for a in answered if a.verdict is not None)
    unassessed = sum(1 for a in answered if a.verdict is None)
    missing = len(point.answers) - len(answered)
    measured = [a for a in answered if a.measured_value is not None]
    by_colour = {v: counts[v] for v in Verdict}
    if point.target is None or not measured:
        return Aggregate(counts=by_colour, unassessed=unassessed, missing=missing)
    values = [a.measured_value for a in measured if a.measured_value is not None]
    weights = [a.weight or 0 for a in measured]
    weighted = all(w > 0 for w in weights)
    # Shown to one decimal, and assessed as shown, so the colour matches the printed figure.
    value = _mean(values, weights if weighted else None).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
    return Aggregate(
        counts=by_colour,
        unassessed=unassessed,
        missing=missing,
        value=value,
        verdict=assess(value, point.target, point.direction, point.warning_limit),
        kind=AverageKind.WEIGHTED if weighted else AverageKind.MEAN,
        weight_total=sum(weights) if weighted else 0,
        measured=len(measured),
    )


def aggregate_method_text(result: Aggregate) -> str:
    """Says how the municipality's value was computed, for the page and the report."""
    if result.kind is AverageKind.WEIGHTED:
        return (
            f"Medelvärde viktat efter antal kontrollerade poster i nämndernas senaste "
            f"automatiska kontroll ({format_decimal(result.weight_total)} poster, "
            f"{count_noun(result.measured, 'nämnd', 'nämnder')})."
        )
    if result.kind is AverageKind.MEAN:
        values = count_noun(result.measured, "nämnds mätvärde", "nämnders mätvärden")
        return (
            f"Oviktat medelvärde av {values}, eftersom antal "
            "kontrollerade poster saknas för minst en nämnd."
        )
    return "Inget mätvärde att sammanställa."


def board_name(data: OversightData) -> str:
    """The executive board, or the organisation when no committee is marked as the board."""
    return data.board.name if data.board else data.organisation.name


def wording_values(data: OversightData) -> dict[str, str]:
    """What {år}, {datum} (the cut-off) and {nämnd} (the board) stand for."""
    return {"år": str(data.year), "datum": format_date_long(data.cutoff), "nämnd": board_name(data)}


def title(data: OversightData) -> str:
    """Gives "Internkontroll 2018 – samlad uppföljning per 31 augusti 2018", or the
    organisation's own title."""
    if data.wording.title.strip():
        return fill_wording(data.wording.title.strip(), wording_values(data))
    return f"Internkontroll {data.year} – samlad uppföljning per {format_date_long(data.cutoff)}"


def answer_text(answer: CommitteeAnswer) -> str:
    """The result column for a committee: its text, or why there is none."""
    if answer.placement is Placement.NO_FOLLOWUP:
        return "Ingen uppföljning per datumet"
    if answer.placement is Placement.NOT_IN_PLAN:
        return "Ingår inte i nämndens plan"
    return answer.result_text.strip() or answer.execution.label


def summary_table(data: OversightData) -> Table:
    columns = (
        Column("Nämnd", 1.6),
        Column("Plan", 0.8),
        Column("Uppföljning", 0.9),
        *(Column(v.label, 0.5) for v in Verdict),
        Column(UNASSESSED_LABEL, 0.6),
        Column("Öppna avvikelser", 0.8),
        Column("Försenade åtgärder", 0.8),
    )
    rows = tuple(
        (
            Cell(s.committee.name),
            Cell(s.plan_status_label or "Ingen plan"),
            Cell(s.followup_status_label),
            Cell.count(s.green),
            Cell.count(s.yellow),
            Cell.count(s.red),
            Cell.count(s.unassessed),
            Cell.count(s.open_deviations),
            Cell.count(s.overdue_actions),
        )
        for s in data.committees
    )
    return Table(f"Sammanställning per nämnd per {format_date_iso(data.cutoff)}", columns, rows)


def aggregate_counts_text(result: Aggregate) -> str:
    """Gives "grön 2, gul 1, röd 1, ej bedömd 0, utan uppföljning 1"."""
    parts = [f"{v.label.lower()} {result.counts[v]}" for v in Verdict]
    parts.append(f"{UNASSESSED_LABEL.lower()} {result.unassessed}")
    if result.missing:
        parts.append(f"utan uppföljning {result.missing}")
    return ", ".join(parts).capitalize()


def _assessment_cell(answer: CommitteeAnswer) -> Cell:
    if answer.placement is not Placement.ENTRY:
        return Cell("–")
    return Cell(verdict_label(answer.verdict), answer.verdict)


def comparison_table(point: CommonPointComparison, whole: str = "Hela kommunen") -> Table:
    """Every committee's answer on a common point, and the whole organisation's last."""
    measured = point.is_quantitative
    columns = [Column("Nämnd", 1.4), Column("Bedömning", 0.8)]
    if measured:
        columns.append(Column("Mätvärde", 0.7))
    columns.append(Column("Resultat", 2.6))
    rows = []
    for answer in point.answers:
        row = [Cell(answer.committee.name), _assessment_cell(answer)]
        if measured:
            row.append(Cell.measure(answer.measured_value, point.measure_unit))
        rows.append((*row, Cell(answer_text(answer))))
    total = point.aggregate
    last = [Cell(whole)]
    if total.value is not None:
        last.append(Cell(verdict_label(total.verdict), total.verdict))
    else:
        last.append(Cell("–"))
    if measured:
        last.append(Cell.measure(total.value, point.measure_unit))
    rows.append((*last, Cell(aggregate_counts_text(total))))
    return Table(point.process, tuple(columns), tuple(rows))


def _common_blocks(data: OversightData) -> list[Block]:
    blocks: list[Block] = [Heading("Kommungemensamma kontrollmoment")]
    if not data.common_points:
        return [*blocks, Paragraph(f"Inga kommungemensamma kontrollmoment för {data.year}.")]
    for number, point in enumerate(data.common_points, start=1):
        blocks.append(Heading(point.process, level=3))
        intro = point.question
        if point.is_quantitative:
            intro += f" Mål: {point.target_text}."
        blocks.append(Paragraph(intro))
        blocks.append(comparison_table(point, data.whole))
        if point.is_quantitative:
            blocks.append(Paragraph(aggregate_method_text(point.aggregate), TextStyle.SMALL))
        blocks += _point_figures(point, number)
    return blocks


def _entry_result(entry: EntryRow) -> str:
    point = entry.control_point
    parts = [entry.result_text.strip() or entry.execution.label]
    if entry.measured_value is not None:
        measured = format_measure(entry.measured_value, point.measure_unit)
        parts.append(f"Mätvärde {measured} (mål {target_text(point)}).")
    return " ".join(parts)


def committee_blocks(summary: CommitteeSummary, cutoff: dt.date | None) -> list[Block]:
    """A committee's own entries: Process | Kontrollmoment | Bedömning | Uppföljning."""
    blocks: list[Block] = [Heading(summary.committee.name)]
    if not summary.plan_id:
        return [*blocks, Paragraph("Nämnden har ingen internkontrollplan för året.")]
    if not summary.has_followup:
        status = summary.plan_status_label.lower()
        text = f"Planen är {status}. Ingen uppföljning per {format_date_long(cutoff)}."
        return [*blocks, Paragraph(text), *open_item_blocks(summary, cutoff)]
    columns = (
        Column("Process", 1.2),
        Column("Kontrollmoment", 1.6),
        Column("Bedömning", 0.7),
        Column("Uppföljning", 2.6),
    )
    rows = []
    for entry in sorted(summary.entries, key=lambda e: e.control_point.position):
        verdict = entry_verdict(entry)
        rows.append(
            (
                Cell(process_label(entry.control_point)),
                Cell(entry.control_point.question),
                Cell(verdict_label(verdict), verdict),
                Cell(_entry_result(entry)),
            )
        )
    status = f"Uppföljningen {summary.followup_status_label.lower()}."
    table = Table(f"{summary.committee.name} per {format_date_iso(cutoff)}", columns, tuple(rows))
    return [*blocks, Paragraph(status), table, *open_item_blocks(summary, cutoff)]


def open_item_blocks(summary: CommitteeSummary, cutoff: dt.date | None) -> list[Block]:
    """The committee's deviations open at the cut-off and the actions not closed by then."""
    when = format_date_long(cutoff)
    heading = Heading(f"Öppna avvikelser och åtgärder, {summary.committee.name}", level=3)
    if not summary.open_items:
        return [heading, Paragraph(f"Inga öppna avvikelser per {when}.")]
    columns = (
        Column("Kontrollmoment", 1.2),
        Column("Avvikelse", 2.0),
        Column("Allvarlighetsgrad", 0.9),
        Column("Åtgärd", 2.0),
        Column("Ansvarig", 1.0),
        Column("Klart senast", 0.8),
        Column(f"Läge per {format_date_iso(cutoff)}", 0.8),
    )
    rows = tuple(
        (
            Cell(process_label(item.control_point)),
            Cell(item.deviation),
            Cell(item.severity),
            Cell(item.action or "Ingen åtgärd beslutad"),
            Cell(item.owner),
            Cell.date(item.due_date),
            Cell(_open_item_state(item), Verdict.RED if item.overdue else None),
        )
        for item in summary.open_items
    )
    overdue = sum(1 for item in summary.open_items if item.overdue)
    lead = (
        f"{count_noun(summary.open_deviations, 'öppen avvikelse', 'öppna avvikelser')} och "
        f"{count_noun(overdue, 'försenad åtgärd', 'försenade åtgärder')} per {when}."
    )
    title = f"Öppna avvikelser {summary.committee.name} per {format_date_iso(cutoff)}"
    return [heading, Paragraph(lead), Table(title, columns, rows)]


def _open_item_state(item: OpenItem) -> str:
    if not item.action:
        return "Åtgärd saknas"
    return "Försenad" if item.overdue else "Pågår"


def _text_headings(data: OversightData) -> tuple[list[Block], list[Block]]:
    """The headings above the opening text (none by default) and above the table per
    committee; one heading covers both when the organisation words them the same."""
    first = data.wording.background_heading.strip()
    second = data.wording.summary_heading.strip() or "Sammanställning per nämnd"
    if first == second:
        return [Heading(first)], []
    return ([Heading(first)] if first else []), [Heading(second)]


def _opening(data: OversightData) -> list[Block]:
    board = board_name(data)
    total = len(data.committees)
    with_followup = sum(1 for s in data.committees if s.has_followup)
    reported = sum(1 for s in data.committees if s.followup_status == "reported")
    above_text, above_table = _text_headings(data)
    return [
        DocumentHeader(
            organisation=data.organisation.name,
            committee=board,
            kind="Samlad uppföljning av internkontroll",
            date=format_date_iso(data.case.document_date or data.cutoff),
            case_number=data.case.case_number,
        ),
        Heading(title(data), level=1),
        *above_text,
        Paragraph(
            f"{board} har uppsikt över nämndernas interna kontroll och bedömer kommunens "
            f"interna kontroll som helhet. Sammanställningen omfattar {total} nämnder; "
            f"{with_followup} har en uppföljning per {format_date_long(data.cutoff)}, varav "
            f"{reported} är rapporterade."
        ),
        *above_table,
        summary_table(data),
        *([_figure(committee_verdicts(data))] if data.committees else []),
    ]


def proposed_decisions(data: OversightData) -> tuple[str, ...]:
    """The decision points, defaulting to approving the consolidated follow-up."""
    if data.case.proposed_decisions:
        return data.case.proposed_decisions
    return (
        f"{board_name(data)} godkänner den samlade uppföljningen av nämndernas interna "
        f"kontroll per {format_date_long(data.cutoff)}.",
    )


def _decision_blocks(data: OversightData) -> list[Block]:
    """Förslag till beslut, distribution and handläggare, as on the follow-up item."""
    values = wording_values(data)
    basis = basis_lines(data.wording.basis, values, title(data))
    proposer = data.wording.proposer.strip()
    blocks: list[Block] = [Heading("Beslutsunderlag"), ItemList(basis)] if basis else []
    blocks += [
        Heading(fill_wording(proposer, values) if proposer else "Förslag till beslut"),
        ItemList(proposed_decisions(data), ListKind.NUMBERED),
        *distribution_blocks(data.case.distribution),
    ]
    return blocks + officer_blocks(data.case.case_officer)


def build_oversight(data: OversightData) -> Document:
    """The consolidated report: summary, the common points compared, then each committee."""
    committees: list[Block] = [Heading("Nämndernas kontrollmoment", level=1)]
    for summary in data.committees:
        committees += committee_blocks(summary, data.cutoff)
    board = data.board or CommitteeInfo(name=data.organisation.name)
    meta = Meta(
        title=title(data),
        organisation=data.organisation.name,
        subject=f"Samlad uppföljning av internkontroll, {data.organisation.name}",
        keywords=("internkontroll", "uppsiktsplikt", str(data.year)),
        logo=data.organisation.logo,
    )
    return Document(
        meta=meta,
        sections=(
            Section(
                (*_opening(data), *_decision_blocks(data), *_common_blocks(data)),
                landscape=True,
            ),
            Section(tuple(committees), landscape=True),
        ),
        contact=contact_block(data.organisation, board),
    )


# Charts, drawn from the same content as the tables --------------------------------------


def _figure(chart: Chart) -> Figure:
    return Figure(chart.title, chart.svg, chart.desc)


def _point_figures(point: CommonPointComparison, number: int) -> list[Block]:
    """The committees' values against the target (their numbers are in the table above),
    then the municipality's figure over time with its own table."""
    chart = common_point_values(point, number)
    blocks: list[Block] = [_figure(chart)] if chart else []
    if point.trend is not None and point.trend.is_drawn:
        blocks += trend_blocks(point.trend, f"trend-common-{number}")
    return blocks


def committee_verdicts(data: OversightData) -> Chart:
    """Per committee its assessments at the cut-off, green to unassessed, as stacked bars."""
    per = f" per {format_date_long(data.cutoff)}" if data.cutoff else ""
    return verdict_bars(
        "chart-verdicts",
        f"Bedömningar per nämnd{per}",
        [
            VerdictRow(s.committee.name, s.green, s.yellow, s.red, s.unassessed)
            for s in data.committees
        ],
    )


def common_point_values(point: CommonPointComparison, number: int) -> Chart | None:
    """A quantitative common control point's value per committee against its target."""
    if point.target is None:
        return None
    rows = [
        ValueRow(a.committee.name, a.measured_value, str(a.verdict or ""))
        for a in point.answers
        if a.placement == "entry"
    ]
    return target_bars(
        f"chart-common-{number}",
        f"{point.process}: mätvärde per nämnd mot målet {point.target_text}",
        rows,
        target=point.target,
        unit=point.measure_unit,
    )
