"""Account review: every posting on chosen accounts (e.g. 71xx representation)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from ik.engine.controls.ledger_common import (
    NO_UNIT,
    column_or_null,
    iso,
    ledger_details,
    ledger_parameters,
    money,
)
from ik.engine.errors import InputError
from ik.engine.ledger import Ledger
from ik.engine.ledger_sql import quote_literal
from ik.engine.result import ControlResult, Direction, Finding, UnitBreakdown, Verdict
from ik.lib.swedish import format_amount, format_decimal

ACCOUNT_FIELDS = ("account", "amount")
ACCOUNT_OPTIONAL = ("unit", "supplier", "invoice_no", "invoice_date")
DEFAULT_ACCOUNT_PREFIXES = ("71",)
MAX_POPULATION_ROWS = 100_000


def parse_prefixes(values: Iterable[str]) -> tuple[str, ...]:
    """Account prefixes from "71", "71,72" or several values; digits only."""
    prefixes = [p.strip() for v in values for p in v.split(",") if p.strip()]
    for prefix in prefixes:
        if not prefix.isdigit():
            raise InputError(f'Kontoprefixet "{prefix}" ska bestå av siffror, t.ex. 71 eller 7110.')
    return tuple(dict.fromkeys(prefixes))


def account_review(
    ledger: Ledger,
    *,
    prefixes: Sequence[str] = DEFAULT_ACCOUNT_PREFIXES,
) -> ControlResult:
    """Postings on accounts starting with the given prefixes (default 71xx, representation).

    An account cell may hold the code and its text together ("71000 Representation, extern");
    the leading digits are the code. The result is the population a sample is drawn from:
    the verdict is green, the value the number of postings, and `details` lists the rows.
    """
    ledger.require(ACCOUNT_FIELDS)
    chosen = parse_prefixes(prefixes) or DEFAULT_ACCOUNT_PREFIXES
    code = "coalesce(NULLIF(regexp_extract(account, '^\\s*([0-9]+)', 1), ''), trim(account))"
    match = " OR ".join(f"starts_with(code, {quote_literal(p)})" for p in chosen)
    base = f"""
        SELECT row, coalesce({column_or_null(ledger, "unit")}, '{NO_UNIT}') AS unit, account,
               {column_or_null(ledger, "amount", "DECIMAL(18,2)")} AS amount,
               {column_or_null(ledger, "supplier")} AS supplier,
               {column_or_null(ledger, "invoice_no")} AS invoice_no,
               {column_or_null(ledger, "invoice_date", "DATE")} AS invoice_date,
               {code} AS code
        FROM {ledger.table}
    """  # noqa: S608
    units = ledger.con.execute(
        f"SELECT unit, count(*), count(*) FILTER (WHERE {match}), "  # noqa: S608
        f"sum(amount) FILTER (WHERE {match}) FROM ({base}) GROUP BY unit ORDER BY unit"
    ).fetchall()
    rows = ledger.con.execute(
        f"SELECT row, unit, account, amount, supplier, invoice_no, invoice_date FROM ({base}) "  # noqa: S608
        f"WHERE {match} ORDER BY row LIMIT {MAX_POPULATION_ROWS}"
    ).fetchall()
    breakdown = tuple(
        UnitBreakdown(str(u), int(n), int(k), None, {"amount": money(a)}) for u, n, k, a in units
    )
    count = sum(b.count for b in breakdown)
    amount = sum((Decimal(str(b.extra["amount"] or 0)) for b in breakdown), Decimal(0))
    findings = tuple(_posting_finding(*r) for r in rows)
    return ControlResult(
        control="account_review",
        value=float(count),
        target=None,
        direction=Direction.AT_MOST,
        verdict=Verdict.GREEN,
        summary=_account_summary(count, amount, chosen, sum(1 for b in breakdown if b.count)),
        rows=ledger.rows,
        by_unit=breakdown,
        findings=findings,
        parameters=ledger_parameters(ledger, prefixes=list(chosen)),
        input_sha256=ledger.input_sha256,
        details=_account_details(ledger, count, amount, rows, len(findings)),
        count_name="postings",
    )


def _account_details(
    ledger: Ledger, count: int, amount: Decimal, rows: Sequence[tuple[Any, ...]], shown: int
) -> dict[str, Any]:
    return {
        **ledger_details(ledger),
        "postings": count,
        "amount": money(amount),
        "population_rows": [r[0] for r in rows],
        "population_complete": count <= MAX_POPULATION_ROWS,
        "findings_total": count,
        "findings_shown": shown,
    }


def _posting_finding(
    row: int,
    unit: str,
    account: str,
    amount: Decimal | None,
    supplier: str | None,
    invoice_no: str | None,
    invoice_date: Any,
) -> Finding:
    parts = [f"Konto {account}"]
    if amount is not None:
        parts.append(format_amount(amount))
    if supplier:
        parts.append(supplier)
    if invoice_no:
        parts.append(f"faktura {invoice_no}")
    return Finding(
        kind="account_posting",
        message=", ".join(parts) + f" (enhet {unit}).",
        row=row,
        data={
            "unit": unit,
            "account": account,
            "amount": money(amount),
            "supplier": supplier,
            "invoice_no": invoice_no,
            "invoice_date": iso(invoice_date),
        },
    )


def _account_summary(count: int, amount: Decimal, prefixes: Sequence[str], units: int) -> str:
    accounts = ", ".join(f"{p}*" for p in prefixes)
    if not count:
        return f"Inga konteringar på konto {accounts} hittades."
    unit_word = "enhet" if units == 1 else "enheter"
    return (
        f"{format_decimal(count)} {'kontering' if count == 1 else 'konteringar'} "
        f"på konto {accounts} "
        f"om totalt {format_amount(amount)} "
        f"i {units} {unit_word}; underlaget kan användas för stickprov."
    )
