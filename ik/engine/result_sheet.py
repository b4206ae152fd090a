"""Result sheets: a follow-up sent out to units in Excel, and read back once they fill it in.

One row per control point. IK writes the sheet with the headers in `RESULT_HEADERS` (the
first name of each field) and an Id column that ties a row to its follow-up entry; a sheet
that has lost the Id column is matched by Nr, then by the wording of the control point.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ik.engine.errors import InputProblem
from ik.engine.headers import normalise_header
from ik.engine.tables import Grid, HeaderSpec, Table, find_table
from ik.engine.tables import refuse_problems as refuse
from ik.lib.swedish import parse_decimal

RESULT_HEADERS: Mapping[str, tuple[str, ...]] = {
    "number": ("Nr", "Kod", "Nummer"),
    "process": ("Process",),
    "question": ("Kontrollmoment", "Granskning", "Åtgärd"),
    "owner": ("Kontrollansvarig", "Ansvarig"),
    "status": ("Genomförande", "Status"),
    "reason": ("Skäl om ej genomförd", "Skäl"),
    "result": ("Resultat", "Resultat och kommentar", "Kommentar"),
    "measured_value": ("Mätvärde", "Utfall", "Värde"),
    "assessment": ("Bedömning",),
    "id": ("Id",),
}
RESULT_SPEC = HeaderSpec(names=RESULT_HEADERS, required="question")
RESULT_LABELS = {name: names[0] for name, names in RESULT_HEADERS.items()}
STATUS_LABELS = {
    "not_started": "Ej påbörjad",
    "in_progress": "Pågår",
    "done": "Genomförd",
    "not_done": "Ej genomförd",
}
ASSESSMENT_LABELS = {"green": "Grön", "yellow": "Gul", "red": "Röd"}
_STATUS_WORDS = {normalise_header(label): value for value, label in STATUS_LABELS.items()}
_STATUS_WORDS |= {"klar": "done", "klart": "done", "pagaende": "in_progress", "ej_klar": "not_done"}
_ASSESSMENT_WORDS = {normalise_header(label): value for value, label in ASSESSMENT_LABELS.items()}


@dataclass(frozen=True, slots=True)
class ResultRow:
    """A filled-in row. `status` and `assessment` are blank when the row leaves them out."""

    row: int
    question: str
    number: str = ""
    id: str = ""
    status: str = ""
    reason: str = ""
    result: str = ""
    measured_value: Decimal | None = None
    assessment: str = ""

    @property
    def is_filled(self) -> bool:
        return bool(self.status or self.result or self.measured_value is not None)


@dataclass(frozen=True, slots=True)
class ResultFile:
    table: Table
    rows: tuple[ResultRow, ...]
    problems: tuple[InputProblem, ...]


def parse_status(text: str) -> str:
    folded = normalise_header(text)
    if not folded:
        return ""
    if folded in _STATUS_WORDS:
        return _STATUS_WORDS[folded]
    raise ValueError(f"Genomförande ska vara {', '.join(STATUS_LABELS.values())}")


def parse_assessment(text: str) -> str:
    folded = normalise_header(text).split("_")[0] if text.strip() else ""
    if not folded:
        return ""
    if folded in _ASSESSMENT_WORDS:
        return _ASSESSMENT_WORDS[folded]
    raise ValueError("Bedömningen ska vara grön, gul eller röd")


def _number(text: str) -> Decimal | None:
    return parse_decimal(text, allow_unit="%") if text.strip() else None


def _row(
    table: Table,
    mapping: Mapping[str, int],
    number: int,
    cells: Sequence[str],
    problems: list[InputProblem],
) -> ResultRow:
    def text(name: str) -> str:
        index = mapping.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    def parsed[T](name: str, parse: Callable[[str], T], default: T) -> T:
        try:
            return parse(text(name))
        except ValueError as exc:
            column = table.column_name(mapping[name])
            problems.append(InputProblem(number, column, text(name), str(exc)))
            return default

    return ResultRow(
        row=number,
        question=text("question"),
        number=text("number"),
        id=text("id"),
        status=parsed("status", parse_status, ""),
        reason=text("reason"),
        result=text("result"),
        measured_value=parsed("measured_value", _number, None),
        assessment=parsed("assessment", parse_assessment, ""),
    )


def read_results(grids: Sequence[Grid], *, header_row: int | None = None) -> ResultFile:
    """The filled-in rows of a result sheet; problems per row for the caller to refuse."""
    return result_rows(find_table(grids, RESULT_SPEC, header_row=header_row))


def result_rows(table: Table) -> ResultFile:
    """The rows of a result table already found, e.g. one a preview page sent back."""
    mapping = RESULT_SPEC.match(table.headers)
    problems: list[InputProblem] = []
    rows = tuple(_row(table, mapping, n, cells, problems) for n, cells in table.rows)
    return ResultFile(table, rows, tuple(problems))


def refuse_problems(results: ResultFile) -> None:
    """Raise InputError listing the rows that cannot be read, if there are any."""
    refuse(results.problems, results.table.where)
