"""Late payments: the share of paid invoices paid after their due date.

Like every ledger control it takes a `Ledger` from `ik.engine.ledger.read_ledger` and returns
a `ControlResult`. The work is done in DuckDB so the same code serves a small committee's
spreadsheet and a region's ten-million-row export.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ik.engine.assessment import assess
from ik.engine.controls.ledger_common import (
    DEFAULT_MAX_FINDINGS,
    NO_SUPPLIER,
    NO_UNIT,
    Period,
    column_or_null,
    ledger_details,
    ledger_parameters,
    money,
)
from ik.engine.ledger import Ledger
from ik.engine.result import ControlResult, Direction, FindingRows, UnitBreakdown, Verdict
from ik.lib.swedish import format_amount_sql, format_decimal, format_percent

__all__ = ["LATE_PAYMENT_FIELDS", "LATE_PAYMENT_OPTIONAL", "Period", "late_payments"]

LATE_PAYMENT_FIELDS = ("due_date", "paid_date", "amount")
LATE_PAYMENT_OPTIONAL = ("unit", "supplier", "invoice_no")
# Räntelagen 6 §: late-payment interest is the reference rate plus eight percentage points.
STATUTORY_MARGIN = 8.0

# Row statuses as small integers: the aggregate filters compare them millions of times.
ON_TIME, LATE, CREDIT_NOTE, UNPAID, NO_DUE_DATE = range(5)
_LATE = f"status = {LATE}"
_PAID = f"status <= {LATE}"
_COUNTS = frozenset(
    {
        "paid",
        "late",
        "credit_notes",
        "unpaid",
        "no_due_date",
        "invoices_in_period",
        "rows_in_period",
    }
)
_AGGREGATES: tuple[tuple[str, str], ...] = (
    ("paid", f"count(*) FILTER (WHERE {_PAID})"),
    ("late", f"count(*) FILTER (WHERE {_LATE})"),
    ("paid_amount", f"sum(amount) FILTER (WHERE {_PAID})"),
    ("late_amount", f"sum(amount) FILTER (WHERE {_LATE})"),
    ("amount_days", f"sum(amount * days) FILTER (WHERE {_LATE})"),
    ("credit_notes", f"count(*) FILTER (WHERE status = {CREDIT_NOTE})"),
    ("unpaid", f"count(*) FILTER (WHERE status = {UNPAID})"),
    ("no_due_date", f"count(*) FILTER (WHERE status = {NO_DUE_DATE})"),
    ("invoices_in_period", "count(*)"),
    ("rows_in_period", "sum(lines)"),
)


def _invoices(ledger: Ledger) -> str:
    """The posting lines gathered into invoices: one row per supplier and invoice number.

    A posting-level export splits one invoice over several lines (units, accounts), each
    with the invoice's number, dates and part of its amount. The invoice is due at its
    earliest due date, paid when its last line is paid (unpaid while any line is), for the
    sum of its lines, and counted under the unit of its first line. A line without an
    invoice number, or a ledger without that column, is an invoice of its own. When no two
    lines share a number, the lines are the invoices and nothing needs gathering.
    """
    unit = f"coalesce({column_or_null(ledger, 'unit')}, '{NO_UNIT}')"
    supplier = column_or_null(ledger, "supplier")
    number = column_or_null(ledger, "invoice_no")
    if not _split_invoices(ledger, supplier):
        return f"""(
            SELECT row, {unit} AS unit, {supplier} AS supplier, {number} AS invoice_no,
                   due_date, paid_date, amount, 1 AS lines
            FROM {ledger.table})
        """  # noqa: S608
    table = f"{ledger.table}_invoices"
    ledger.con.execute(f"""
        CREATE TEMP TABLE IF NOT EXISTS {table} AS
        SELECT min(row) AS row, arg_min({unit}, row) AS unit, {supplier} AS supplier,
               any_value(invoice_no) AS invoice_no, min(due_date) AS due_date,
               CASE WHEN count(paid_date) = count(*) THEN max(paid_date) END AS paid_date,
               sum(amount) AS amount, count(*) AS lines
        FROM {ledger.table}
        GROUP BY {supplier}, invoice_no, CASE WHEN invoice_no IS NULL THEN row END
    """)  # noqa: S608
    return table


def _split_invoices(ledger: Ledger, supplier: str) -> bool:
    """Whether some invoice number may appear on more than one line of the same supplier.

    Counting distinct 64-bit hashes of supplier and number takes about half the time of
    comparing the texts on a ten-million-row ledger. Equal keys hash equal, so "no" is exact;
    a hash collision (a few in a million ledgers of that size) only sends the ledger
    through the gathering, which leaves invoices of one line as they are.
    """
    if not ledger.has("invoice_no"):
        return False
    found = ledger.con.execute(
        f"SELECT count(DISTINCT hash({supplier}, invoice_no)) < count(*) "  # noqa: S608
        f"FROM {ledger.table} WHERE invoice_no IS NOT NULL"
    ).fetchone()
    return bool(found and found[0])


def _classified(ledger: Ledger, period: Period | None) -> str:
    """Each invoice with its status; credit notes first, so a negative paid one is never late."""
    where = "TRUE" if period is None else period.sql_between("coalesce(paid_date, due_date)")
    return f"""
        SELECT row, unit, supplier, invoice_no, due_date, paid_date, amount, lines,
               CASE WHEN amount < 0 THEN {CREDIT_NOTE}
                    WHEN paid_date IS NULL THEN {UNPAID}
                    WHEN due_date IS NULL THEN {NO_DUE_DATE}
                    WHEN paid_date > due_date THEN {LATE}
                    ELSE {ON_TIME} END AS status,
               date_diff('day', due_date, paid_date) AS days
        FROM {_invoices(ledger)} WHERE {where}
    """  # noqa: S608


def late_payments(
    ledger: Ledger,
    *,
    period: Period | None = None,
    target: float = 0.05,
    reference_rate: float = 0.0,
    max_findings: int | None = DEFAULT_MAX_FINDINGS,
) -> ControlResult:
    """Share of paid invoices paid after their due date, overall and per unit.

    Posting lines are first gathered into invoices (see `_invoices`), so an invoice split
    over three accounts counts once, for its whole amount. `max_findings` caps the late
    invoices listed (None lists every one, as `runcontrol --json` does).

    Only invoices with a payment date, a due date and a non-negative amount count; credit
    notes, unpaid invoices and paid invoices without a due date are counted apart in
    `details`. With a period, invoices whose payment date (or, if unpaid, due date) falls in
    it are used. `target` is the highest acceptable share (0.05 = 5 %). `reference_rate` is the
    Riksbank reference rate in percent; the late-payment interest estimate uses it plus eight
    percentage points, per day late, on the amount (räntelagen 6 §).
    """
    ledger.require(LATE_PAYMENT_FIELDS)
    rate = (reference_rate + STATUTORY_MARGIN) / 100
    con = ledger.con
    base = _classified(ledger, period)
    aggregates = ", ".join(f"{expr} AS {name}" for name, expr in _AGGREGATES)
    groups = con.execute(
        f"SELECT unit, {aggregates} FROM ({base}) GROUP BY unit ORDER BY unit"  # noqa: S608
    ).fetchall()
    names = ["unit", *(name for name, _ in _AGGREGATES)]
    units = [dict(zip(names, g, strict=True)) for g in groups]
    total = _totals(units)
    # Three small queries over the late rows beat materialising them: DuckDB filters 10M rows
    # faster than it copies 800k.
    late_rows = (
        f"(SELECT row, unit, supplier, invoice_no, due_date, paid_date, days, amount "  # noqa: S608
        f"FROM ({base}) WHERE {_LATE})"
    )
    total.update(_days_late(ledger, late_rows))
    suppliers = _worst_suppliers(ledger, late_rows)
    findings = _late_findings(ledger, late_rows, max_findings)
    parameters = ledger_parameters(
        ledger,
        period=None if period is None else period.to_json(),
        target=target,
        reference_rate=reference_rate,
        max_findings=max_findings,
    )
    return _late_result(ledger, total, units, suppliers, findings, parameters, rate)


def _totals(units: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The whole ledger's figures: every aggregate is a count or a sum, so units add up."""
    total: dict[str, Any] = {}
    for name, _ in _AGGREGATES:
        present = [u[name] for u in units if u[name] is not None]
        total[name] = sum(present) if present else (0 if name in _COUNTS else None)
    return total


def _share(part: int | Decimal | None, whole: int | Decimal | None) -> float | None:
    if part is None or not whole:
        return None
    return float(part) / float(whole)


def _interest(amount_days: Decimal | float | None, rate: float) -> float:
    return 0.0 if amount_days is None else round(float(amount_days) * rate / 365, 2)


def _unit_breakdown(group: dict[str, Any], rate: float) -> UnitBreakdown:
    return UnitBreakdown(
        unit=str(group["unit"]),
        n=int(group["paid"]),
        count=int(group["late"]),
        value=_share(group["late"], group["paid"]),
        extra={
            "paid_amount": money(group["paid_amount"]),
            "late_amount": money(group["late_amount"]),
            "amount_share": _share(group["late_amount"], group["paid_amount"]),
            "interest": _interest(group["amount_days"], rate),
            "credit_notes": int(group["credit_notes"]),
            "unpaid": int(group["unpaid"]),
        },
    )


def _days_late(ledger: Ledger, late_rows: str) -> dict[str, Any]:
    found = ledger.con.execute(
        f"SELECT median(days), quantile_cont(days, 0.9) FROM {late_rows}"  # noqa: S608
    ).fetchone()
    return {"days_median": found[0] if found else None, "days_p90": found[1] if found else None}


def _worst_suppliers(ledger: Ledger, late_rows: str) -> list[dict[str, Any]]:
    found = ledger.con.execute(
        f"SELECT coalesce(supplier, '{NO_SUPPLIER}') AS s, count(*) AS n, sum(amount), "  # noqa: S608
        f"median(days) FROM {late_rows} GROUP BY s ORDER BY n DESC, s LIMIT 10"
    ).fetchall()
    return [
        {"supplier": s, "late": int(n), "late_amount": money(a), "days_median": _float(d)}
        for s, n, a, d in found
    ]


def _late_findings(ledger: Ledger, late_rows: str, limit: int | None) -> FindingRows:
    """The late invoices, most days late first, each written as JSON by DuckDB.

    The message is composed in SQL with the amount in Swedish format (`format_amount_sql`):
    a region's ledger has hundreds of thousands of late invoices.
    """
    cap = "" if limit is None else f" LIMIT {int(limit)}"
    what = "CASE WHEN invoice_no <> '' THEN 'Faktura ' || invoice_no ELSE 'Fakturan' END"
    source = "CASE WHEN supplier <> '' THEN ' från ' || supplier ELSE '' END"
    day_word = "CASE WHEN days = 1 THEN ' dag' ELSE ' dagar' END"
    sum_text = f"coalesce(', belopp ' || {format_amount_sql('amount')}, '')"
    message = (
        f"concat({what}, {source}, ' betalades ', days, {day_word}, ' efter förfallodagen "
        f"(förföll ', due_date, ', betald ', paid_date, {sum_text}, ').')"
    )
    found = ledger.con.execute(
        f"SELECT to_json(struct_pack(kind := 'late_payment', message := {message}, "  # noqa: S608
        f"row := row, supplier := supplier, invoice_no := invoice_no, unit := unit, "
        f"due_date := due_date, paid_date := paid_date, days_late := days, "
        f"amount := CAST(amount AS DOUBLE))) FROM {late_rows} ORDER BY days DESC, row{cap}"
    ).fetchall()
    return FindingRows(tuple(text for (text,) in found))


def _float(value: float | Decimal | None) -> float | None:
    return None if value is None else float(value)


def _late_result(
    ledger: Ledger,
    total: dict[str, Any],
    units: Sequence[dict[str, Any]],
    suppliers: list[dict[str, Any]],
    findings: FindingRows,
    parameters: dict[str, Any],
    rate: float,
) -> ControlResult:
    period_json = parameters["period"]
    period = (
        None
        if period_json is None
        else Period(
            dt.date.fromisoformat(period_json["start"]), dt.date.fromisoformat(period_json["end"])
        )
    )
    target, reference_rate = parameters["target"], parameters["reference_rate"]
    paid, late = int(total["paid"]), int(total["late"])
    value = _share(late, paid)
    verdict = Verdict.YELLOW if value is None else assess(value, target, Direction.AT_MOST)
    breakdown = tuple(_unit_breakdown(u, rate) for u in units)
    worst_units = sorted(breakdown, key=lambda u: (-u.count, u.unit))[:10]
    details = {
        **ledger_details(ledger),
        "period": period_json,
        "rows_in_period": int(total["rows_in_period"] or 0),
        "invoices_in_period": int(total["invoices_in_period"]),
        "paid": paid,
        "late": late,
        "amount_share": _share(total["late_amount"], total["paid_amount"]),
        "paid_amount": money(total["paid_amount"]),
        "late_amount": money(total["late_amount"]),
        "days_late_median": _float(total["days_median"]),
        "days_late_p90": _float(total["days_p90"]),
        "interest_rate_percent": reference_rate + STATUTORY_MARGIN,
        "interest_cost": _interest(total["amount_days"], rate),
        "credit_notes": int(total["credit_notes"]),
        "unpaid": int(total["unpaid"]),
        "paid_without_due_date": int(total["no_due_date"]),
        "worst_units": [
            {"unit": u.unit, "late": u.count, "paid": u.n} for u in worst_units if u.count
        ],
        "worst_suppliers": suppliers,
        "findings_total": late,
        "findings_shown": len(findings),
    }
    return ControlResult(
        control="late_payments",
        value=value,
        target=target,
        direction=Direction.AT_MOST,
        verdict=verdict,
        summary=_late_summary(value, paid, target, period),
        rows=ledger.rows,
        by_unit=breakdown,
        findings=findings,
        parameters=parameters,
        input_sha256=ledger.input_sha256,
        details=details,
        count_name="late",
    )


def _late_summary(value: float | None, paid: int, target: float, period: Period | None) -> str:
    during = "" if period is None else f" under {period.label()}"
    goal = f"mål högst {format_percent(target, None)}"
    if value is None:
        return (
            f"Inga betalda fakturor med förfallodatum{during}; andelen kan inte beräknas ({goal})."
        )
    invoices = "betald faktura" if paid == 1 else "betalda fakturor"
    return (
        f"{format_percent(value)} av {format_decimal(paid)} {invoices}{during} betalades efter "
        f"förfallodagen ({goal})."
    )
