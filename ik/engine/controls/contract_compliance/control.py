"""Contract compliance (avtalstrohet): how much is bought from suppliers with a valid contract.

The share of spend, and of invoices, with suppliers that had a contract in force on the
invoice date, overall, per unit and per contract category; the spend outside contracts by
supplier, largest first; and the suppliers whose contract had ended before invoices kept
coming. Spend under framework agreements (ramavtal) is told apart from spend under other
contracts, in the same breakdowns: a line both kinds cover counts under the framework agreement.
Posting lines are gathered into invoices by supplier and invoice number, as the other ledger
controls do; amounts are net, so credit notes reduce the spend they reverse.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ik.engine.assessment import assess
from ik.engine.contracts import Contract
from ik.engine.controls.contracts_common import (
    CONTRACT_FIELDS,
    combined_sha256,
    lines_sql,
    match_suppliers,
    supplier_labels,
)
from ik.engine.controls.ledger_common import (
    DEFAULT_MAX_FINDINGS,
    Period,
    iso,
    ledger_details,
    ledger_parameters,
    money,
)
from ik.engine.ledger import Ledger
from ik.engine.result import ControlResult, Direction, Finding, UnitBreakdown, Verdict
from ik.lib.swedish import format_amount, format_decimal, format_percent

_INVOICES = """
    SELECT {group} sid, inv_key, bool_or(covered) AS covered, bool_or(framework) AS framework,
           sum(amount) AS total,
           coalesce(sum(amount) FILTER (WHERE covered), 0) AS covered_amount,
           coalesce(sum(amount) FILTER (WHERE framework), 0) AS framework_amount
    FROM facts GROUP BY ALL
"""
_SHARES = """
    SELECT {group} sum(total) AS spend, sum(covered_amount) AS covered_spend,
           sum(framework_amount) AS framework_spend,
           count(*) FILTER (WHERE total >= 0) AS invoices,
           count(*) FILTER (WHERE total >= 0 AND covered) AS covered_invoices,
           count(*) FILTER (WHERE total >= 0 AND framework) AS framework_invoices,
           count(*) FILTER (WHERE total < 0) AS credit_notes
    FROM ({invoices}) GROUP BY ALL
"""


def _facts(ledger: Ledger, prefix: str, period: Period | None) -> str:
    """Materialise the lines with their status once: every later query reads this.

    The lines are kept as they are rather than grouped per invoice here: each later query
    groups them its own way, and a grouping first would only add a pass over every line.
    """
    table = f"{prefix}_facts"
    start = period.start.isoformat() if period else None
    end = period.end.isoformat() if period else None
    ledger.con.execute(
        f"CREATE OR REPLACE TEMP TABLE {table} AS "  # noqa: S608
        f"SELECT unit, sid, inv_key, covered, framework, expired_on, category, d, amount "
        f"FROM ({lines_sql(ledger, prefix, start, end)})"
    )
    return table


def _shares(ledger: Ledger, facts: str, group: str) -> list[dict[str, Any]]:
    """Spend and invoice counts, per `group` (a column) or overall (group "")."""
    column = f"{group}, " if group else ""
    invoices = _INVOICES.format(group=column).replace("facts", facts)
    query = _SHARES.format(group=column, invoices=invoices)
    if group:
        query += f" ORDER BY {group}"
    cursor = ledger.con.execute(query)
    names = [d[0] for d in cursor.description or ()]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def _share(part: Decimal | int | None, whole: Decimal | int | None) -> float | None:
    if whole is None or whole <= 0:
        return None
    return float(part or 0) / float(whole)


def _outside(ledger: Ledger, facts: str, limit: int) -> list[dict[str, Any]]:
    found = ledger.con.execute(
        f"SELECT sid, sum(amount) AS amount, count(DISTINCT inv_key) AS invoices, "  # noqa: S608
        f"min(d), max(d), max(expired_on) FROM {facts} WHERE NOT covered "
        f"GROUP BY sid HAVING sum(amount) <> 0 ORDER BY amount DESC, sid LIMIT {int(limit)}"
    ).fetchall()
    return [
        {"sid": s, "amount": a, "invoices": int(n), "first": f, "last": la, "expired_on": e}
        for s, a, n, f, la, e in found
    ]


def _expired(ledger: Ledger, facts: str) -> list[dict[str, Any]]:
    found = ledger.con.execute(
        f"SELECT sid, max(expired_on), sum(amount), count(DISTINCT inv_key), "  # noqa: S608
        f"min(d) FROM {facts} WHERE NOT covered AND expired_on IS NOT NULL "
        f"GROUP BY sid ORDER BY sum(amount) DESC, sid"
    ).fetchall()
    return [
        {"sid": s, "expired_on": e, "amount": a, "invoices": int(n), "first_after": f}
        for s, e, a, n, f in found
    ]


def contract_compliance(
    ledger: Ledger,
    contracts: tuple[Contract, ...],
    *,
    register_sha256: str = "",
    period: Period | None = None,
    target: float = 0.9,
    max_findings: int = DEFAULT_MAX_FINDINGS,
) -> ControlResult:
    """Share of spend with suppliers that had a valid contract on the invoice date.

    `contracts` is the register (`ik.engine.contracts.read_contracts`); lines are matched to
    it as `ik.engine.controls.contracts_common` describes. With a period, lines whose invoice
    date falls in it count; lines without an invoice date are left out and counted. `target` is
    the lowest acceptable share of spend (0.9 = 90 %). Findings: one per supplier with spend
    outside contracts, largest first; `expired_contract` when the supplier's contract had
    ended before an invoice, else `outside_contract`.
    """
    ledger.require(CONTRACT_FIELDS)
    prefix = match_suppliers(ledger, contracts)
    facts = _facts(ledger, prefix, period)
    (total,) = _shares(ledger, facts, "") or [{}]
    units = _shares(ledger, facts, "unit")
    categories = _shares(ledger, facts, "category")
    outside = _outside(ledger, facts, max_findings)
    expired = _expired(ledger, facts)
    labels = supplier_labels(
        ledger, prefix, [o["sid"] for o in outside] + [e["sid"] for e in expired]
    )
    undated = ledger.con.execute(
        f"SELECT count(*) FROM {ledger.table} WHERE invoice_date IS NULL"  # noqa: S608
    ).fetchone()
    parameters = ledger_parameters(
        ledger,
        contracts=register_sha256,
        period=None if period is None else period.to_json(),
        target=target,
        max_findings=max_findings,
    )
    return _result(
        ledger,
        contracts,
        total,
        units,
        categories,
        outside,
        expired,
        labels,
        int(undated[0]) if undated else 0,
        parameters,
        register_sha256,
    )


def _by_kind(group: dict[str, Any]) -> dict[str, Any]:
    """Spend and invoices under framework agreements apart from those under other contracts."""
    spend, invoices = group.get("spend"), int(group.get("invoices") or 0)
    framework = group.get("framework_spend") or 0
    other = (group.get("covered_spend") or 0) - framework
    framework_invoices = int(group.get("framework_invoices") or 0)
    other_invoices = int(group.get("covered_invoices") or 0) - framework_invoices
    return {
        "framework_amount": money(framework),
        "framework_share": _share(framework, spend),
        "framework_invoice_share": _share(framework_invoices, invoices),
        "other_contract_amount": money(other),
        "other_contract_share": _share(other, spend),
        "other_contract_invoice_share": _share(other_invoices, invoices),
    }


def _unit(group: dict[str, Any]) -> UnitBreakdown:
    return UnitBreakdown(
        unit=str(group["unit"]),
        n=int(group["invoices"]),
        count=int(group["covered_invoices"]),
        value=_share(group["covered_spend"], group["spend"]),
        extra={
            "purchase_amount": money(group["spend"]),
            "covered_amount": money(group["covered_spend"] or 0),
            "invoice_share": _share(group["covered_invoices"], group["invoices"]),
            **_by_kind(group),
        },
    )


def _category(group: dict[str, Any]) -> dict[str, Any]:
    return {
        "category": group["category"],
        "purchase_amount": money(group["spend"]),
        "covered_amount": money(group["covered_spend"] or 0),
        "share": _share(group["covered_spend"], group["spend"]),
        "invoices": int(group["invoices"]),
        "covered_invoices": int(group["covered_invoices"]),
        **_by_kind(group),
    }


def _finding(item: dict[str, Any], label: dict[str, str]) -> Finding:
    supplier = label.get("supplier", str(item["sid"]))
    amount = format_amount(item["amount"])
    invoices = f"{format_decimal(item['invoices'])} faktur{'a' if item['invoices'] == 1 else 'or'}"
    dates = f"{iso(item['first'])}–{iso(item['last'])}"
    ended: dt.date | None = item["expired_on"]
    if ended is not None:
        kind = "expired_contract"
        message = (
            f"{supplier}: {amount} utan giltigt avtal ({invoices}, {dates}); "
            f"avtalet upphörde {ended.isoformat()}."
        )
    else:
        kind = "outside_contract"
        message = f"{supplier}: {amount} utan avtal ({invoices}, {dates})."
    return Finding(
        kind=kind,
        message=message,
        data={
            "supplier": supplier,
            "orgnr": label.get("orgnr", ""),
            "amount": money(item["amount"]),
            "invoices": item["invoices"],
            "first_invoice_date": iso(item["first"]),
            "last_invoice_date": iso(item["last"]),
            "contract_ended": iso(ended),
        },
    )


def _expired_row(item: dict[str, Any], label: dict[str, str]) -> dict[str, Any]:
    return {
        "supplier": label.get("supplier", str(item["sid"])),
        "contract_ended": iso(item["expired_on"]),
        "first_invoice_after": iso(item["first_after"]),
        "amount_after": money(item["amount"]),
        "invoices_after": item["invoices"],
    }


def _result(
    ledger: Ledger,
    contracts: tuple[Contract, ...],
    total: dict[str, Any],
    units: list[dict[str, Any]],
    categories: list[dict[str, Any]],
    outside: list[dict[str, Any]],
    expired: list[dict[str, Any]],
    labels: dict[int, dict[str, str]],
    undated: int,
    parameters: dict[str, Any],
    register_sha256: str,
) -> ControlResult:
    target = float(parameters["target"])
    spend = total.get("spend")
    value = _share(total.get("covered_spend"), spend)
    verdict = Verdict.YELLOW if value is None else assess(value, target, Direction.AT_LEAST)
    findings = tuple(_finding(o, labels.get(o["sid"], {})) for o in outside)
    outside_total = sum((Decimal(o["amount"]) for o in outside), Decimal(0))
    invoices = int(total.get("invoices") or 0)
    details = {
        **ledger_details(ledger),
        "invoice_period": parameters["period"],
        "contracts": len(contracts),
        "purchase_amount": money(spend),
        "covered_amount": money(total.get("covered_spend") or 0),
        "outside_amount": money((spend or 0) - (total.get("covered_spend") or 0)),
        "invoices": invoices,
        "covered_invoices": int(total.get("covered_invoices") or 0),
        "invoice_share": _share(total.get("covered_invoices"), invoices),
        **_by_kind(total),
        "framework_invoices": int(total.get("framework_invoices") or 0),
        "other_contract_invoices": int(total.get("covered_invoices") or 0)
        - int(total.get("framework_invoices") or 0),
        "credit_note_invoices": int(total.get("credit_notes") or 0),
        "rows_without_invoice_date": undated,
        "by_category": [_category(c) for c in categories],
        "expired_suppliers": [_expired_row(e, labels.get(e["sid"], {})) for e in expired],
        "outside_shown_amount": money(outside_total),
        "findings_total": len(findings),
        "findings_shown": len(findings),
    }
    return ControlResult(
        control="contract_compliance",
        value=value,
        target=target,
        direction=Direction.AT_LEAST,
        verdict=verdict,
        summary=_summary(value, total, target, len(expired)),
        rows=ledger.rows,
        by_unit=tuple(_unit(u) for u in units),
        findings=findings,
        parameters=parameters,
        input_sha256=combined_sha256(ledger.input_sha256, register_sha256),
        details=details,
        count_name="covered_invoices",
    )


def _summary(value: float | None, total: dict[str, Any], target: float, expired: int) -> str:
    goal = f"mål minst {format_percent(target, None)}"
    if value is None:
        return f"Inga inköp med fakturadatum att pröva mot avtalsregistret ({goal})."
    invoices = int(total.get("invoices") or 0)
    ended = ""
    if expired:
        word = "leverantör" if expired == 1 else "leverantörer"
        ended = f" {format_decimal(expired)} {word} fakturerade efter att avtalet upphört."
    invoice_share = format_percent(_share(total["covered_invoices"], invoices))
    kinds = _by_kind(total)
    return (
        f"{format_percent(value)} av inköpen ({format_amount(total['covered_spend'] or 0)} av "
        f"{format_amount(total['spend'])}) och {invoice_share} "
        f"av {format_decimal(invoices)} fakturor var från leverantörer med giltigt avtal på "
        f"fakturadatum ({goal}): {format_percent(kinds['framework_share'])} av inköpen under "
        f"ramavtal och {format_percent(kinds['other_contract_share'])} under andra avtal."
        f"{ended}"
    )
