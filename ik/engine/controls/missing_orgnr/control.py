"""Suppliers without a valid Swedish organisation or personal identity number."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ik.engine.assessment import assess
from ik.engine.controls.ledger_common import (
    DEFAULT_MAX_FINDINGS,
    NO_SUPPLIER,
    NO_UNIT,
    column_or_null,
    ledger_details,
    ledger_parameters,
    money,
)
from ik.engine.ledger import Ledger
from ik.engine.orgnr import is_valid_identity_number
from ik.engine.result import ControlResult, Direction, Finding, UnitBreakdown, Verdict
from ik.lib.swedish import format_amount, format_decimal, format_percent

ORGNR_FIELDS = ("orgnr",)
ORGNR_OPTIONAL = ("supplier", "unit", "amount")


def _invalid_numbers_table(ledger: Ledger) -> str:
    """A temp table of the distinct numbers that fail the check.

    The check runs in Python, once per distinct number, so the engine has one definition of a
    valid number; only the failures (normally few) go back into DuckDB.
    """
    table = f"{ledger.table}_bad_orgnr"
    found = ledger.con.execute(
        f"SELECT DISTINCT orgnr FROM {ledger.table} WHERE orgnr IS NOT NULL"  # noqa: S608
    ).fetchall()
    invalid = [value for (value,) in found if not is_valid_identity_number(value)]
    ledger.con.execute(
        f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT unnest(?::VARCHAR[]) AS orgnr", [invalid]
    )
    return table


def missing_orgnr(
    ledger: Ledger, *, target: float = 0.0, max_findings: int = DEFAULT_MAX_FINDINGS
) -> ControlResult:
    """Postings whose supplier lacks a valid Swedish organisation or personal identity number.

    The value is the share of postings without a valid number; findings list each supplier
    (and number as written) once, with its postings and amount, as `missing_orgnr` when the
    cell is empty and `invalid_orgnr` when it fails the form or check-digit test.
    """
    ledger.require(ORGNR_FIELDS)
    invalid = _invalid_numbers_table(ledger)
    status = f"""
        SELECT l.row, coalesce({column_or_null(ledger, "unit")}, '{NO_UNIT}') AS unit,
               coalesce({column_or_null(ledger, "supplier")}, '{NO_SUPPLIER}') AS supplier,
               l.orgnr, {column_or_null(ledger, "amount", "DECIMAL(18,2)")} AS amount,
               CASE WHEN l.orgnr IS NULL THEN 'missing_orgnr'
                    WHEN i.orgnr IS NOT NULL THEN 'invalid_orgnr' END AS kind
        FROM {ledger.table} l LEFT JOIN {invalid} i ON l.orgnr = i.orgnr
    """  # noqa: S608
    units = ledger.con.execute(
        f"SELECT unit, count(*), count(kind), sum(amount) FILTER (WHERE kind IS NOT NULL) "  # noqa: S608
        f"FROM ({status}) GROUP BY unit ORDER BY unit"
    ).fetchall()
    suppliers = ledger.con.execute(
        f"SELECT kind, supplier, orgnr, count(*), sum(amount), min(row) AS first, "  # noqa: S608
        f"list(row ORDER BY row)[1:20] FROM ({status}) WHERE kind IS NOT NULL "
        f"GROUP BY kind, supplier, orgnr ORDER BY first LIMIT {int(max_findings)}"
    ).fetchall()
    kinds = dict(
        ledger.con.execute(
            f"SELECT kind, count(DISTINCT (supplier, orgnr)) FROM ({status}) "  # noqa: S608
            f"WHERE kind IS NOT NULL GROUP BY kind"
        ).fetchall()
    )
    ledger.con.execute(f"DROP TABLE IF EXISTS {invalid}")
    breakdown = tuple(
        UnitBreakdown(str(u), int(n), int(k), int(k) / int(n) if n else None, {"amount": money(a)})
        for u, n, k, a in units
    )
    total = sum(b.n for b in breakdown)
    bad = sum(b.count for b in breakdown)
    value = bad / total if total else None
    findings = tuple(_orgnr_finding(*s) for s in suppliers)
    groups = sum(int(n) for n in kinds.values())
    return ControlResult(
        control="missing_orgnr",
        value=value,
        target=target,
        direction=Direction.AT_MOST,
        verdict=Verdict.YELLOW if value is None else assess(value, target, Direction.AT_MOST),
        summary=_orgnr_summary(bad, total, groups, target),
        rows=ledger.rows,
        by_unit=breakdown,
        findings=findings,
        parameters=ledger_parameters(ledger, target=target, max_findings=max_findings),
        input_sha256=ledger.input_sha256,
        details={
            **ledger_details(ledger),
            "postings": total,
            "postings_without_valid_orgnr": bad,
            "suppliers_missing": int(kinds.get("missing_orgnr", 0)),
            "suppliers_invalid": int(kinds.get("invalid_orgnr", 0)),
            "amount": money(
                sum((Decimal(str(b.extra["amount"] or 0)) for b in breakdown), Decimal(0))
            ),
            "findings_total": groups,
            "findings_shown": len(findings),
        },
        count_name="missing",
    )


def _orgnr_finding(
    kind: str,
    supplier: str,
    orgnr: str | None,
    postings: int,
    amount: Decimal | None,
    first_row: int,
    rows: Sequence[int],
) -> Finding:
    what = (
        "saknar organisationsnummer"
        if kind == "missing_orgnr"
        else (f'har ett ogiltigt organisationsnummer "{orgnr}"')
    )
    sum_text = "" if amount is None else f", {format_amount(amount)}"
    rader = "rad" if postings == 1 else "rader"
    return Finding(
        kind=kind,
        message=f"{supplier} {what} ({postings} {rader}{sum_text}; första rad {first_row}).",
        row=first_row,
        data={
            "supplier": supplier,
            "orgnr": orgnr,
            "postings": postings,
            "amount": money(amount),
            "rows": list(rows),
        },
    )


def _rows_word(count: int) -> str:
    return "rad" if count == 1 else "rader"


def _orgnr_summary(bad: int, total: int, suppliers: int, target: float) -> str:
    if not total:
        return "Filen har inga rader att kontrollera."
    word = "leverantör" if suppliers == 1 else "leverantörer"
    return (
        f"{format_percent(bad / total)} av {format_decimal(total)} {_rows_word(total)} "
        f"({format_decimal(bad)} {_rows_word(bad)}, "
        f"{format_decimal(suppliers)} {word}) saknar giltigt organisations- eller personnummer "
        f"(mål högst {format_percent(target, None)})."
    )
