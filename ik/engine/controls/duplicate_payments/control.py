"""Duplicate payments: the same invoice registered, and so paid, more than once."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from ik.engine.assessment import assess
from ik.engine.controls.ledger_common import (
    DEFAULT_MAX_FINDINGS,
    NO_UNIT,
    column_or_null,
    iso,
    ledger_details,
    ledger_parameters,
    money,
)
from ik.engine.ledger import Ledger
from ik.engine.result import ControlResult, Direction, Finding, UnitBreakdown
from ik.lib.swedish import format_amount, format_decimal

DUPLICATE_FIELDS = ("supplier", "invoice_no", "amount")
DUPLICATE_OPTIONAL = ("unit", "invoice_date", "account")
SAME_INVOICE_NO = "same_invoice_no"
SAME_AMOUNT_AND_DATE = "same_amount_and_date"


def _keyed(ledger: Ledger) -> str:
    # Invoice numbers are compared without punctuation, case and leading zeros of their
    # digit runs: "F-00123" and "f123" are the same number typed twice. An invoice split over
    # several accounts is one invoice, so the account is part of the same-number key.
    return f"""
        SELECT row, coalesce({column_or_null(ledger, "unit")}, '{NO_UNIT}') AS unit,
               supplier, invoice_no, amount,
               {column_or_null(ledger, "invoice_date", "DATE")} AS invoice_date,
               lower(trim(supplier)) AS supplier_key,
               NULLIF(regexp_replace(
                   upper(regexp_replace(invoice_no, '[^0-9A-Za-z]', '', 'g')),
                   '(^|[^0-9])0+([0-9])', '\\1\\2', 'g'), '') AS invoice_key,
               coalesce({column_or_null(ledger, "account")}, '') AS account_key
        FROM {ledger.table} WHERE supplier IS NOT NULL
    """  # noqa: S608


def _same_number_sql(keyed: str) -> str:
    # A credit note under the same number cancels one registration: reversed, not paid twice.
    return f"""
        WITH k AS ({keyed}),
        g AS (
            SELECT supplier_key, invoice_key, account_key FROM k
            WHERE invoice_key IS NOT NULL
            GROUP BY ALL
            HAVING count(*) FILTER (WHERE amount IS NULL OR amount >= 0)
                 - count(*) FILTER (WHERE amount < 0) >= 2
        )
        SELECT '{SAME_INVOICE_NO}' AS rule, min(k.row) AS first_row,
               list(k.row ORDER BY k.row) AS rows, list(k.unit ORDER BY k.row) AS units,
               any_value(k.supplier) AS supplier, list(DISTINCT k.invoice_no) AS numbers,
               sum(k.amount) - max(k.amount) AS excess, max(k.amount) AS amount,
               min(k.invoice_date) AS invoice_date
        FROM k JOIN g USING (supplier_key, invoice_key, account_key)
        GROUP BY k.supplier_key, k.invoice_key, k.account_key
    """  # noqa: S608


def _same_amount_sql(keyed: str) -> str:
    # Different numbers, same supplier, amount and date: the classic double registration of
    # one paper invoice. A credit note of the same amount from the supplier reverses one.
    return f"""
        WITH k AS ({keyed}),
        credits AS (
            SELECT supplier_key, -amount AS amount, count(*) AS n FROM k
            WHERE amount < 0 GROUP BY ALL
        ),
        g AS (
            SELECT supplier_key, amount, invoice_date FROM k
            WHERE amount > 0 AND invoice_date IS NOT NULL
            GROUP BY ALL
            HAVING count(DISTINCT coalesce(invoice_key, '#' || row)) >= 2
        ),
        net AS (
            SELECT g.*, coalesce(c.n, 0) AS credited FROM g
            LEFT JOIN credits c USING (supplier_key, amount)
        )
        SELECT '{SAME_AMOUNT_AND_DATE}' AS rule, min(k.row) AS first_row,
               list(k.row ORDER BY k.row) AS rows, list(k.unit ORDER BY k.row) AS units,
               any_value(k.supplier) AS supplier, list(DISTINCT k.invoice_no) AS numbers,
               k.amount * (count(DISTINCT coalesce(k.invoice_key, '#' || k.row))
                           - any_value(net.credited) - 1) AS excess,
               k.amount AS amount, k.invoice_date AS invoice_date
        FROM k JOIN net USING (supplier_key, amount, invoice_date)
        GROUP BY k.supplier_key, k.amount, k.invoice_date
        HAVING count(DISTINCT coalesce(k.invoice_key, '#' || k.row))
               - any_value(net.credited) >= 2
    """  # noqa: S608


def duplicate_payments(
    ledger: Ledger, *, target: int = 0, max_findings: int = DEFAULT_MAX_FINDINGS
) -> ControlResult:
    """Groups of postings that look like one invoice paid more than once.

    Two rules: the same supplier and invoice number (on the same account), or the same
    supplier, amount and invoice date under different numbers. A credit note that reverses
    an invoice (same number, or same supplier and amount) cancels one registration, so an
    invoice and its reversal are not a duplicate. The value is the number of groups found;
    `target` is the most that is acceptable (default none).
    """
    ledger.require(DUPLICATE_FIELDS)
    keyed = _keyed(ledger)
    queries = [_same_number_sql(keyed)]
    if ledger.has("invoice_date"):
        queries.append(_same_amount_sql(keyed))
    groups: list[dict[str, Any]] = []
    columns = (
        "rule",
        "first_row",
        "rows",
        "units",
        "supplier",
        "numbers",
        "excess",
        "amount",
        "invoice_date",
    )
    for query in queries:
        for values in ledger.con.execute(query).fetchall():
            groups.append(dict(zip(columns, values, strict=True)))
    groups.sort(key=lambda g: (g["first_row"], g["rule"]))
    return _duplicate_result(ledger, groups, target, max_findings)


def _postings_per_unit(ledger: Ledger) -> dict[str, int]:
    unit = column_or_null(ledger, "unit")
    found = ledger.con.execute(
        f"SELECT coalesce({unit}, '{NO_UNIT}') AS u, count(*) FROM {ledger.table} GROUP BY u"  # noqa: S608
    ).fetchall()
    return {str(u): int(n) for u, n in found}


def _duplicate_result(
    ledger: Ledger, groups: list[dict[str, Any]], target: int, max_findings: int
) -> ControlResult:
    per_unit: dict[str, int] = defaultdict(int)
    excess_per_unit: dict[str, Decimal] = defaultdict(Decimal)
    for group in groups:
        for unit in set(group["units"]):
            per_unit[unit] += group["units"].count(unit)
        excess_per_unit[group["units"][0]] += Decimal(group["excess"] or 0)
    postings = _postings_per_unit(ledger)
    breakdown = tuple(
        UnitBreakdown(
            unit=u,
            n=n,
            count=per_unit.get(u, 0),
            value=per_unit.get(u, 0) / n if n else None,
            extra={"excess_amount": money(excess_per_unit.get(u, Decimal(0)))},
        )
        for u, n in sorted(postings.items())
    )
    findings = tuple(_duplicate_finding(g) for g in groups[:max_findings])
    excess = sum((Decimal(g["excess"] or 0) for g in groups), Decimal(0))
    by_rule = {
        rule: sum(1 for g in groups if g["rule"] == rule)
        for rule in (SAME_INVOICE_NO, SAME_AMOUNT_AND_DATE)
    }
    count = len(groups)
    return ControlResult(
        control="duplicate_payments",
        value=float(count),
        target=float(target),
        direction=Direction.AT_MOST,
        verdict=assess(count, target, Direction.AT_MOST),
        summary=_duplicate_summary(count, sum(len(g["rows"]) for g in groups), excess, ledger.rows),
        rows=ledger.rows,
        by_unit=breakdown,
        findings=findings,
        parameters=ledger_parameters(
            ledger,
            target=target,
            max_findings=max_findings,
            rules=list(by_rule) if ledger.has("invoice_date") else [SAME_INVOICE_NO],
        ),
        input_sha256=ledger.input_sha256,
        details={
            **ledger_details(ledger),
            "groups": count,
            "groups_by_rule": by_rule,
            "postings_in_groups": sum(len(g["rows"]) for g in groups),
            "excess_amount": money(excess),
            "findings_total": count,
            "findings_shown": len(findings),
        },
        count_name="duplicates",
    )


def _duplicate_finding(group: dict[str, Any]) -> Finding:
    rows = list(group["rows"])
    shown = ", ".join(str(r) for r in rows[:20]) + (" …" if len(rows) > 20 else "")
    numbers = sorted(str(n) for n in group["numbers"] if n is not None)
    supplier = group["supplier"]
    if group["rule"] == SAME_INVOICE_NO:
        message = (
            f"Faktura {numbers[0] if numbers else ''} från {supplier} förekommer {len(rows)} "
            f"gånger (rad {shown})."
        )
    else:
        amount = format_amount(group["amount"])
        message = (
            f"{len(rows)} fakturor från {supplier} har samma belopp {amount} och "
            f"fakturadatum {iso(group['invoice_date'])} (rad {shown}; fakturanummer "
            f"{', '.join(numbers) or 'saknas'})."
        )
    return Finding(
        kind="duplicate",
        message=message,
        row=rows[0],
        data={
            "rule": group["rule"],
            "rows": rows,
            "supplier": supplier,
            "invoice_numbers": numbers,
            "amount": money(group["amount"]),
            "invoice_date": iso(group["invoice_date"]),
            "excess_amount": money(group["excess"]),
        },
    )


def _duplicate_summary(groups: int, postings: int, excess: Decimal, rows: int) -> str:
    if not groups:
        return f"Inga dubbelbetalningar hittades bland {format_decimal(rows)} rader."
    word = "grupp" if groups == 1 else "grupper"
    return (
        f"{format_decimal(groups)} {word} med möjliga dubbelbetalningar "
        f"({format_decimal(postings)} rader av {format_decimal(rows)}); "
        f"möjligt överbetalt belopp {format_amount(excess)}."
    )
