"""Pieces the ledger controls share: periods, result parameters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ik.engine.errors import InputError
from ik.engine.ledger import Ledger

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


def ledger_parameters(ledger: Ledger, **extra: Any) -> dict[str, Any]:
    """What a rerun needs besides the file itself (identified by input_sha256)."""
    return {
        "profile": ledger.profile,
        "mapping": dict(ledger.mapping),
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
    if ledger.problem_count:
        details["skipped_rows"] = ledger.problem_count
        details["skipped"] = [
            {"row": p.row, "column": p.column, "value": p.value, "message": p.message}
            for p in ledger.problems[:100]
        ]
    return details


def iso(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()
