"""Pieces the ledger controls share: periods, result parameters, the file as an input."""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ik.engine.controls.spec import Upload
from ik.engine.errors import InputError
from ik.engine.ledger import Ledger, read_ledger
from ik.engine.mappings import PROFILES
from ik.engine.result import ControlResult

NO_UNIT = "(enhet saknas)"
NO_SUPPLIER = "(leverantör saknas)"
DEFAULT_MAX_FINDINGS = 1000


@dataclass(frozen=True, slots=True)
class Period:
    """An inclusive date range."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InputError(
                f"Perioden slutar ({self.end.isoformat()}) före den börjar "
                f"({self.start.isoformat()})."
            )

    def label(self) -> str:
        return f"{self.start.isoformat()}–{self.end.isoformat()}"

    def to_json(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}

    def sql_between(self, expression: str) -> str:
        return (
            f"{expression} BETWEEN DATE '{self.start.isoformat()}' "
            f"AND DATE '{self.end.isoformat()}'"
        )


def parse_period(text: str) -> Period:
    """Read "2018-01-01:2018-08-31" (also with "..", "–" or "/" between the dates)."""
    for separator in (":", "..", "–", "/"):
        if separator in text:
            start_text, _, end_text = text.partition(separator)
            break
    else:
        raise InputError(
            f'Perioden "{text}" ska skrivas som startdatum:slutdatum, t.ex. 2018-01-01:2018-08-31.'
        )
    try:
        start = dt.date.fromisoformat(start_text.strip())
        end = dt.date.fromisoformat(end_text.strip())
    except ValueError:
        raise InputError(
            f'Perioden "{text}" innehåller ett ogiltigt datum; skriv t.ex. 2018-01-01:2018-08-31.'
        ) from None
    return Period(start, end)


def money(value: Decimal | float | None) -> float | None:
    """An amount for JSON: a float rounded to öre, or None."""
    return None if value is None else round(float(value), 2)


def column_or_null(ledger: Ledger, name: str, sql_type: str = "VARCHAR") -> str:
    """The field's column when the ledger has it, else a typed NULL so queries stay uniform."""
    return f'"{name}"' if ledger.has(name) else f"CAST(NULL AS {sql_type})"


def invoice_key_sql(ledger: Ledger, alias: str = "") -> str:
    """The SQL key that gathers a ledger's posting lines into invoices, within one supplier.

    Invoice numbers are compared without punctuation, case and leading zeros of their digit
    runs: "F-00123" and "f123" are the same number typed twice. A posting line without a
    number (or a ledger without the column) is an invoice of its own. `alias` qualifies the
    columns ("l.") when the ledger is joined.
    """
    number = f'{alias}"invoice_no"' if ledger.has("invoice_no") else "CAST(NULL AS VARCHAR)"
    cleaned = (
        f"coalesce(NULLIF(regexp_replace(upper(regexp_replace({number}, '[^0-9A-Za-z]', '', "
        f"'g')), '(^|[^0-9])0+([0-9])', '\\1\\2', 'g'), ''), '#' || {alias}row)"
    )
    # Most numbers are plain digits without leading zeros, which the cleaning leaves as they
    # are: a number that survives a round trip through an integer skips the two regexps.
    return (
        f"CASE WHEN CAST(TRY_CAST({number} AS UBIGINT) AS VARCHAR) = {number} THEN {number} "
        f"ELSE {cleaned} END"
    )


def ledger_parameters(ledger: Ledger, **extra: Any) -> dict[str, Any]:
    """What a rerun needs besides the file itself (identified by input_sha256)."""
    return {
        "profile": ledger.profile,
        "mapping": dict(ledger.mapping),
        "header_row": ledger.header_row,
        "skip_bad_rows": ledger.skip_bad_rows,
        **extra,
    }


def ledger_details(ledger: Ledger) -> dict[str, Any]:
    """Facts about the file every ledger control reports."""
    details: dict[str, Any] = {
        "file_format": ledger.file_format,
        "encoding": ledger.encoding,
        "delimiter": ledger.delimiter,
    }
    if ledger.header_row != 1:
        details["header_row"] = ledger.header_row
    if ledger.left_out:
        details["left_out_rows"] = [r.to_json() for r in ledger.left_out]
    if ledger.warnings:
        details["warnings"] = list(ledger.warnings)
    if ledger.problem_count:
        details["skipped_rows"] = ledger.problem_count
        details["skipped"] = [
            {"row": p.row, "column": p.column, "value": p.value, "message": p.message}
            for p in ledger.problems[:100]
        ]
    return details


def iso(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


# --- the ledger file as an input: upload, form parameters, command-line arguments ------------

LEDGER_UPLOAD = Upload(
    "ledger",
    "--ledger",
    "reskontrafil",
    True,
    "Export ur ekonomisystemet, CSV (semikolon, komma eller tabb) eller Excel.",
)
LEDGER_PARAMETERS = ("mapping", "overrides", "header_row", "skip_bad_rows")
LEDGER_DETAIL_LABELS: Mapping[str, str] = {
    "file_format": "Filformat",
    "encoding": "Teckenkodning",
    "delimiter": "Avgränsare",
    "warnings": "Varningar om filen",
    "header_row": "Rubrikrad",
    "left_out_rows": "Rader som inte lästes som data",
    "skipped_rows": "Överhoppade rader",
    "skipped": "Överhoppade rader",
}
LEDGER_COLUMN_LABELS: Mapping[str, str] = {
    "row": "Rad",
    "reason": "Skäl",
    "column": "Kolumn",
    "value": "Värde",
    "message": "Fel",
}
LEDGER_FINDING_KINDS: Mapping[str, str] = {"skipped_row": "Överhoppad rad"}


def parse_overrides(values: Sequence[str] | None) -> dict[str, str]:
    """`--map field=Header` options as a {field: header} dict."""
    overrides: dict[str, str] = {}
    for value in values or ():
        field, sep, header = value.partition("=")
        if not sep or not field.strip() or not header.strip():
            raise InputError(
                f'--map "{value}" ska skrivas som fält=Rubrik, t.ex. due_date=Förfallo.'
            )
        overrides[field.strip()] = header.strip()
    return overrides


def percent(value: float | None, option: str) -> float | None:
    """A percentage option (0–100) as a fraction."""
    if value is None:
        return None
    if not 0 <= value <= 100:
        raise InputError(f"{option} ska vara en procentsats mellan 0 och 100, inte {value}.")
    return value / 100


def add_ledger_arguments(parser: ArgumentParser) -> None:
    """The arguments every ledger control takes: the file and how to read its columns."""
    parser.add_argument(
        "--ledger",
        required=True,
        metavar="FIL",
        help="Leverantörsreskontra som CSV- eller Excel-fil.",
    )
    parser.add_argument(
        "--mapping",
        default="auto",
        metavar="PROFIL",
        help=f"Kolumnprofil: auto (standard), {', '.join(PROFILES)}.",
    )
    parser.add_argument(
        "--map",
        action="append",
        metavar="FÄLT=RUBRIK",
        help="Ange kolumn för ett fält, t.ex. due_date=Förfallodag (upprepas).",
    )
    parser.add_argument(
        "--header-row",
        type=int,
        metavar="N",
        help="Raden med kolumnrubriker, om rubrikrader står ovanför (standard: hittas själv).",
    )
    parser.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="Hoppa över felaktiga rader i stället för att avvisa filen.",
    )


def ledger_runner(
    required: Sequence[str],
    optional: Sequence[str],
    control: Callable[[Ledger, Mapping[str, Any]], ControlResult],
) -> Callable[[Mapping[str, Any]], ControlResult]:
    """Run `control` on the ledger named by the parsed arguments, loading only its fields."""

    def run(options: Mapping[str, Any]) -> ControlResult:
        ledger = read_ledger(
            options["ledger"],
            mapping=options.get("mapping") or "auto",
            overrides=parse_overrides(options.get("map")),
            required=required,
            fields=[*required, *optional],
            skip_bad_rows=bool(options.get("skip_bad_rows")),
            header_row=options.get("header_row"),
        )
        try:
            return control(ledger, options)
        finally:
            ledger.close()

    return run
