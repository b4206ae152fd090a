"""Duplicate payments: the same invoice registered, and so paid, more than once."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from ik.engine.assessment import assess
from ik.engine.controls.ledger_common import (
    NO_UNIT,
    column_or_null,
    invoice_key_sql,
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
SAME_AMOUNT_AND_LINES = "same_amount_and_lines"
RULES: dict[str, str] = {
    SAME_INVOICE_NO: "Samma leverantör och fakturanummer registrerat mer än en gång",
    SAME_AMOUNT_AND_DATE: "Samma leverantör, belopp och fakturadatum under ett annat nummer",
    SAME_AMOUNT_AND_LINES: "Samma leverantör, belopp och konteringar under ett annat nummer",
}
_COLUMNS = (
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


def _keyed(ledger: Ledger) -> str:
    return f"""
        SELECT row, coalesce({column_or_null(ledger, "unit")}, '{NO_UNIT}') AS unit,
               supplier, invoice_no, amount,
               {column_or_null(ledger, "invoice_date", "DATE")} AS invoice_date,
               lower(trim(supplier)) AS supplier_key, {invoice_key_sql(ledger)} AS inv_key,
               coalesce({column_or_null(ledger, "account")}, '') AS account_key
        FROM {ledger.table} WHERE supplier IS NOT NULL
    """  # noqa: S608


def _invoices_sql(keyed: str) -> str:
    """The posting lines gathered into invoices (supplier + invoice number).

    `live` holds the lines left after each credit line has cancelled one line of the same
    amount under the same number: an invoice and its reversal are not two registrations.
    """
    return f"""
        k AS ({keyed}),
        pos AS (
            SELECT *, row_number() OVER (
                PARTITION BY supplier_key, inv_key, amount ORDER BY row DESC) AS rn
            FROM k WHERE amount IS NULL OR amount >= 0
        ),
        cred AS (
            SELECT supplier_key, inv_key, -amount AS amount, count(*) AS n FROM k
            WHERE amount < 0 GROUP BY ALL
        ),
        live AS (
            SELECT pos.* FROM pos LEFT JOIN cred USING (supplier_key, inv_key, amount)
            WHERE pos.rn > coalesce(cred.n, 0)
        ),
        inv AS (
            SELECT supplier_key, inv_key, coalesce(sum(amount), 0) AS total,
                   min(invoice_date) AS invoice_date,
                   string_agg(account_key || '=' || coalesce(CAST(amount AS VARCHAR), ''), ';'
                              ORDER BY account_key, amount) AS lines
            FROM live GROUP BY ALL
        )
    """  # noqa: S608


def _group_select(rule: str, join: str, group: str, excess: str, amount: str) -> str:
    return f"""
        SELECT '{rule}' AS rule, min(l.row) AS first_row,
               list(l.row ORDER BY l.row) AS rows, list(l.unit ORDER BY l.row) AS units,
               any_value(l.supplier) AS supplier, list(DISTINCT l.invoice_no) AS numbers,
               {excess} AS excess, {amount} AS amount, min(l.invoice_date) AS invoice_date
        FROM live l {join} GROUP BY {group}
    """  # noqa: S608


def _same_number_sql(keyed: str) -> str:
    # One invoice number is registered more than once when its lines carry different invoice
    # dates, or when every line of it (unit, account, amount) is repeated. The lines of a
    # split invoice differ in unit, account or amount, so they are one registration.
    select = _group_select(
        SAME_INVOICE_NO,
        "JOIN dup USING (supplier_key, inv_key)",
        "l.supplier_key, l.inv_key",
        "any_value(dup.excess)",
        "any_value(dup.amount)",
    )
    return f"""
        WITH {_invoices_sql(keyed)},
        sig AS (
            SELECT supplier_key, inv_key, invoice_date, unit, account_key, amount,
                   count(*) AS c
            FROM live WHERE NOT starts_with(inv_key, '#') GROUP BY ALL
        ),
        per_date AS (
            SELECT supplier_key, inv_key, invoice_date, min(c) AS times,
                   coalesce(sum(amount * c), 0) AS total
            FROM sig GROUP BY ALL
        ),
        dup AS (
            SELECT supplier_key, inv_key, sum(total) - max(total / times) AS excess,
                   max(total / times) AS amount
            FROM per_date GROUP BY ALL HAVING sum(times) >= 2
        )
        {select}
    """  # noqa: S608


def _same_amount_sql(keyed: str, match: str) -> str:
    # Different numbers, the same supplier and amount, and the same date (or, when the file
    # has no dates, the same lines): one paper invoice registered twice. A credit note of the
    # same amount from the supplier reverses one of them.
    rule = SAME_AMOUNT_AND_DATE if match == "invoice_date" else SAME_AMOUNT_AND_LINES
    select = _group_select(
        rule,
        "JOIN inv USING (supplier_key, inv_key) JOIN net ON inv.supplier_key = "
        f"net.supplier_key AND inv.total = net.total AND inv.{match} = net.match_key",
        "net.supplier_key, net.total, net.match_key",
        "any_value(net.total) * (any_value(net.registrations) - 1)",
        "any_value(net.total)",
    )
    return f"""
        WITH {_invoices_sql(keyed)},
        credits AS (
            SELECT supplier_key, total, count(*) AS n FROM (
                SELECT supplier_key, -sum(amount) AS total FROM k
                GROUP BY supplier_key, inv_key HAVING max(amount) < 0
            ) GROUP BY ALL
        ),
        g AS (
            SELECT supplier_key, total, {match} AS match_key, count(*) AS n FROM inv
            WHERE total > 0 AND {match} IS NOT NULL GROUP BY ALL HAVING count(*) >= 2
        ),
        net AS (
            SELECT g.*, g.n - coalesce(c.n, 0) AS registrations FROM g
            LEFT JOIN credits c USING (supplier_key, total)
            WHERE g.n - coalesce(c.n, 0) >= 2
        )
        {select}
    """  # noqa: S608


def _rules(ledger: Ledger) -> list[dict[str, Any]]:
    """Which rules run on this file, and why the others do not."""
    dated = ledger.has("invoice_date")
    # Without dates, equal amounts alone are too common (rent, subscriptions); the lines'
    # accounts must match too, so the rule needs the account column.
    by_lines = not dated and ledger.has("account")
    if dated:
        lines_why = "filen har fakturadatum, så regeln med datum används"
    else:
        lines_why = "" if by_lines else "filen saknar både fakturadatum och konto"
    return [
        {"rule": SAME_INVOICE_NO, "ran": True, "why": ""},
        {
            "rule": SAME_AMOUNT_AND_DATE,
            "ran": dated,
            "why": "" if dated else "filen saknar fakturadatum",
        },
        {"rule": SAME_AMOUNT_AND_LINES, "ran": by_lines, "why": lines_why},
    ]


def duplicate_payments(ledger: Ledger, *, target: int = 0) -> ControlResult:
    """Invoices that look registered, and so paid, more than once.

    Posting lines are first gathered into invoices by supplier and invoice number; the lines
    of one invoice may differ in unit, account and amount. Rules, on invoices: the same number
    registered twice (lines repeated, or the number under two invoice dates); the same
    supplier, amount and invoice date under different numbers; and, when the file has no
    dates, the same supplier, amount and lines under different numbers. A credit note that
    reverses an invoice (same number, or same supplier and amount) cancels one registration.
    The value is the number of groups found; `target` is the most that is acceptable.
    """
    ledger.require(DUPLICATE_FIELDS)
    keyed = _keyed(ledger)
    rules = _rules(ledger)
    queries = {
        SAME_INVOICE_NO: _same_number_sql(keyed),
        SAME_AMOUNT_AND_DATE: _same_amount_sql(keyed, "invoice_date"),
        SAME_AMOUNT_AND_LINES: _same_amount_sql(keyed, "lines"),
    }
    groups: list[dict[str, Any]] = []
    for rule in rules:
        if rule["ran"]:
            for values in ledger.con.execute(queries[rule["rule"]]).fetchall():
                groups.append(dict(zip(_COLUMNS, values, strict=True)))
    groups.sort(key=lambda g: (g["first_row"], g["rule"]))
    count_sql = f"WITH {_invoices_sql(keyed)} SELECT count(*) FROM inv"  # noqa: S608
    invoices = ledger.con.execute(count_sql).fetchone()
    return _duplicate_result(ledger, groups, target, rules, int(invoices[0]) if invoices else 0)


def _postings_per_unit(ledger: Ledger) -> dict[str, int]:
    unit = column_or_null(ledger, "unit")
    found = ledger.con.execute(
        f"SELECT coalesce({unit}, '{NO_UNIT}') AS u, count(*) FROM {ledger.table} GROUP BY u"  # noqa: S608
    ).fetchall()
    return {str(u): int(n) for u, n in found}


def _duplicate_result(
    ledger: Ledger,
    groups: list[dict[str, Any]],
    target: int,
    rules: list[dict[str, Any]],
    invoices: int,
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
    findings = tuple(_duplicate_finding(g) for g in groups)
    excess = sum((Decimal(g["excess"] or 0) for g in groups), Decimal(0))
    for rule in rules:
        rule["label"] = RULES[rule["rule"]]
        rule["groups"] = sum(1 for g in groups if g["rule"] == rule["rule"])
    count = len(groups)
    postings_in_groups = sum(len(g["rows"]) for g in groups)
    return ControlResult(
        control="duplicate_payments",
        value=float(count),
        target=float(target),
        direction=Direction.AT_MOST,
        verdict=assess(count, target, Direction.AT_MOST),
        summary=_duplicate_summary(count, postings_in_groups, excess, ledger.rows, invoices, rules),
        rows=ledger.rows,
        by_unit=breakdown,
        findings=findings,
        parameters=ledger_parameters(
            ledger, target=target, rules=[r["rule"] for r in rules if r["ran"]]
        ),
        input_sha256=ledger.input_sha256,
        details={
            **ledger_details(ledger),
            "invoices": invoices,
            "groups": count,
            "groups_by_rule": {r["rule"]: r["groups"] for r in rules if r["ran"]},
            "rules": rules,
            "postings_in_groups": postings_in_groups,
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
    amount = format_amount(group["amount"])
    if group["rule"] == SAME_INVOICE_NO:
        message = (
            f"Faktura {numbers[0] if numbers else ''} från {supplier} är registrerad mer än en "
            f"gång, {amount} per gång ({len(rows)} rader: {shown})."
        )
    else:
        same = (
            f"fakturadatum {iso(group['invoice_date'])}"
            if group["rule"] == SAME_AMOUNT_AND_DATE
            else "samma konteringar"
        )
        message = (
            f"{len(group['numbers'])} fakturor från {supplier} har samma belopp {amount} och "
            f"{same} (rad {shown}; fakturanummer {', '.join(numbers) or 'saknas'})."
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


def _duplicate_summary(
    groups: int,
    postings: int,
    excess: Decimal,
    rows: int,
    invoices: int,
    rules: list[dict[str, Any]],
) -> str:
    skipped = "".join(
        f" Regeln ”{r['label'].lower()}” kördes inte: {r['why']}."
        for r in rules
        if not r["ran"] and r["rule"] == SAME_AMOUNT_AND_DATE
    )
    among = f"{format_decimal(invoices)} fakturor ({format_decimal(rows)} rader)"
    if not groups:
        return f"Inga dubbelbetalningar hittades bland {among}.{skipped}"
    word = "grupp" if groups == 1 else "grupper"
    return (
        f"{format_decimal(groups)} {word} med möjliga dubbelbetalningar "
        f"({format_decimal(postings)} rader av {format_decimal(rows)}, "
        f"i {format_decimal(invoices)} fakturor); "
        f"möjligt överbetalt belopp {format_amount(excess)}.{skipped}"
    )
