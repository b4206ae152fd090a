"""Direct procurement (direktupphandling): purchases per supplier outside contracts against
the limit in force.

Posting lines not covered by a contract on their invoice date are direct purchases; lines a
framework agreement (ramavtal) or another contract covers are left out, and the result counts
the suppliers and the spend left out through each kind. Direct purchases are
summed per supplier (by organisation number when the ledger has a usable one, else by name)
over the organisation's chosen window: the calendar year so far, or the rolling twelve months
ending on each invoice date. Each day's running sum is compared with the limit in force that
day (`limits.LOU_LIMITS`, or the organisation's own); a supplier is over the limit when a sum
passes it, and near it when a sum comes within `near` (10 %) of it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ik.engine.contracts import Contract
from ik.engine.controls.contracts_common import (
    CONTRACT_FIELDS,
    combined_sha256,
    lines_sql,
    match_suppliers,
    supplier_labels,
)
from ik.engine.controls.direct_procurement.limits import LOU_LIMITS
from ik.engine.controls.ledger_common import (
    DEFAULT_MAX_FINDINGS,
    Period,
    iso,
    ledger_details,
    ledger_parameters,
    money,
)
from ik.engine.errors import InputError
from ik.engine.ledger import Ledger
from ik.engine.result import ControlResult, Direction, Finding, UnitBreakdown, Verdict
from ik.lib.swedish import format_amount, format_decimal, format_percent

CALENDAR_YEAR = "calendar"
ROLLING = "rolling"
WINDOWS = {CALENDAR_YEAR: "kalenderår", ROLLING: "rullande tolv månader"}


def _bounds(ledger: Ledger, period: Period | None) -> Period | None:
    if period is not None:
        return period
    found = ledger.con.execute(
        f"SELECT min(invoice_date), max(invoice_date) FROM {ledger.table}"  # noqa: S608
    ).fetchone()
    if not found or found[0] is None:
        return None
    return Period(found[0], found[1])


def _lookback(period: Period, window: str) -> dt.date:
    """The first day whose purchases can count in a window ending inside the period."""
    if window == CALENDAR_YEAR:
        return dt.date(period.start.year, 1, 1)
    try:
        return period.start.replace(year=period.start.year - 1)
    except ValueError:  # 29 February
        return period.start.replace(year=period.start.year - 1, day=28)


def _limits_table(ledger: Ledger, prefix: str, limit: Decimal | None) -> str:
    table = f"{prefix}_limits"
    rows = [(dt.date(1, 1, 1), limit)] if limit is not None else list(LOU_LIMITS)
    ledger.con.execute(
        f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT unnest(?::DATE[]) AS start, "
        "unnest(?::DECIMAL(18,2)[]) AS lim",
        [[r[0] for r in rows], [r[1] for r in rows]],
    )
    return table


def _window_sum(window: str) -> str:
    if window == CALENDAR_YEAR:
        return "sum(amount) OVER (PARTITION BY sid, year(d) ORDER BY d ROWS UNBOUNDED PRECEDING)"
    # The range includes the day exactly a year back; that day is outside twelve months.
    return (
        "sum(amount) OVER (PARTITION BY sid ORDER BY d "
        "RANGE BETWEEN INTERVAL 1 YEAR PRECEDING AND CURRENT ROW)"
    )


def _outside_table(ledger: Ledger, prefix: str, period: Period, window: str) -> str:
    """Materialise the lines windows can reach; `<table>` is a view of those outside contracts."""
    table = f"{prefix}_outside"
    start = _lookback(period, window).isoformat()
    ledger.con.execute(
        f"CREATE OR REPLACE TEMP TABLE {table}_all AS "  # noqa: S608
        f"SELECT unit, sid, inv_key, d, amount, covered, framework "
        f"FROM ({lines_sql(ledger, prefix, start, period.end.isoformat())})"
    )
    ledger.con.execute(
        f"CREATE OR REPLACE TEMP VIEW {table} AS "  # noqa: S608
        f"SELECT unit, sid, inv_key, d, amount FROM {table}_all WHERE NOT covered"
    )
    return table


_NOTHING_EXCLUDED = {
    "suppliers_under_framework": 0,
    "amount_under_framework": 0.0,
    "suppliers_under_other_contracts": 0,
    "amount_under_other_contracts": 0.0,
}


def _excluded(ledger: Ledger, outside: str, period: Period) -> dict[str, Any]:
    """Suppliers and spend in the period left out because a contract covered them, by kind."""
    found = ledger.con.execute(
        f"SELECT count(DISTINCT sid) FILTER (WHERE framework), "  # noqa: S608
        f"sum(amount) FILTER (WHERE framework), "
        f"count(DISTINCT sid) FILTER (WHERE NOT framework), "
        f"sum(amount) FILTER (WHERE NOT framework) "
        f"FROM {outside}_all WHERE covered AND {period.sql_between('d')}"
    ).fetchone()
    framework, framework_amount, other, other_amount = found or (0, None, 0, None)
    return {
        "suppliers_under_framework": int(framework or 0),
        "amount_under_framework": money(framework_amount or 0),
        "suppliers_under_other_contracts": int(other or 0),
        "amount_under_other_contracts": money(other_amount or 0),
    }


def _peaks(
    ledger: Ledger, outside: str, limits: str, period: Period, window: str, near: float
) -> list[dict[str, Any]]:
    """Per supplier: the highest share of the limit any window ending in the period reached."""
    year_back = ""
    if window == ROLLING:
        year_back = (
            "LEFT JOIN days y ON y.sid = w.sid AND y.d = CAST(w.d - INTERVAL 1 YEAR AS DATE)"
        )
    back = "coalesce(y.amount, 0)" if year_back else "0"
    query = f"""
        WITH days AS (SELECT sid, d, sum(amount) AS amount FROM {outside} GROUP BY sid, d),
        windows AS (SELECT sid, d, {_window_sum(window)} AS total FROM days),
        sums AS (SELECT w.sid, w.d, w.total - {back} AS total FROM windows w {year_back}),
        judged AS (
            SELECT s.sid, s.d, s.total, l.lim, s.total / l.lim AS ratio
            FROM sums s ASOF LEFT JOIN {limits} l ON s.d >= l.start
            WHERE {period.sql_between("s.d")}
        )
        SELECT sid, max(ratio) AS ratio, arg_max(d, ratio) AS day, arg_max(total, ratio) AS total,
               arg_max(lim, ratio) AS lim, bool_or(total > lim) AS over,
               bool_or(total >= lim * (1 - {float(near)})) AS near,
               count(*) FILTER (WHERE lim IS NULL) AS unlimited, min(d) FILTER (WHERE lim IS NULL)
        FROM judged GROUP BY sid
    """  # noqa: S608
    cursor = ledger.con.execute(query)
    names = [*(d[0] for d in (cursor.description or ())[:-1]), "first_unlimited"]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def direct_procurement(
    ledger: Ledger,
    contracts: tuple[Contract, ...],
    *,
    register_sha256: str = "",
    period: Period | None = None,
    window: str = CALENDAR_YEAR,
    limit: Decimal | None = None,
    near: float = 0.1,
    max_findings: int = DEFAULT_MAX_FINDINGS,
) -> ControlResult:
    """Suppliers whose purchases outside contracts pass, or come near, the limit.

    `period` chooses the invoice dates on which windows end (all of the ledger by default);
    purchases before it still count inside a window. `window` is "calendar" or "rolling".
    `limit` replaces the table of LOU limits with one amount. The value is the number of
    suppliers over the limit (red when any; yellow when some are only near it). One-off
    suppliers are those bought from outside contracts with a single invoice in the period.
    """
    ledger.require(CONTRACT_FIELDS)
    if window not in WINDOWS:
        raise InputError(f"Okänd period för direktupphandling {window!r}: calendar eller rolling.")
    if not 0 <= near < 1:
        raise InputError(f"Marginalen till gränsen ska vara mellan 0 och 100 %, inte {near}.")
    prefix = match_suppliers(ledger, contracts)
    bounds = _bounds(ledger, period)
    parameters = ledger_parameters(
        ledger,
        contracts=register_sha256,
        period=None if period is None else period.to_json(),
        window=window,
        limit=None if limit is None else float(limit),
        near=near,
        max_findings=max_findings,
    )
    if bounds is None:
        return _result(ledger, [], {}, [], {}, parameters, register_sha256, None, _NOTHING_EXCLUDED)
    limits = _limits_table(ledger, prefix, limit)
    outside = _outside_table(ledger, prefix, bounds, window)
    peaks = _peaks(ledger, outside, limits, bounds, window, near)
    unlimited = [p["first_unlimited"] for p in peaks if p["unlimited"]]
    if unlimited:
        raise InputError(
            f"Direktupphandlingsgränsen är inte känd för {min(unlimited).isoformat()}: tabellen "
            f"börjar {LOU_LIMITS[0][0].isoformat()}. Ange en egen gräns, eller välj en period "
            "därefter."
        )
    totals = _period_totals(ledger, outside, bounds)
    units = _units(ledger, outside, bounds, [p["sid"] for p in peaks if p["over"]])
    flagged = [p for p in peaks if p["near"]]
    labels = supplier_labels(ledger, prefix, [p["sid"] for p in flagged])
    excluded = _excluded(ledger, outside, bounds)
    return _result(
        ledger, flagged, totals, units, labels, parameters, register_sha256, bounds, excluded
    )


def _period_totals(ledger: Ledger, outside: str, period: Period) -> dict[int, dict[str, Any]]:
    found = ledger.con.execute(
        f"SELECT sid, sum(amount), count(DISTINCT inv_key) FROM {outside} "  # noqa: S608
        f"WHERE {period.sql_between('d')} GROUP BY sid"
    ).fetchall()
    return {sid: {"amount": a, "invoices": int(n)} for sid, a, n in found}


def _units(ledger: Ledger, outside: str, period: Period, over: list[int]) -> list[dict[str, Any]]:
    # The suppliers over the limit as a table: a join, where a list test per line would cost
    # lines × suppliers.
    ledger.con.execute(
        f"CREATE OR REPLACE TEMP TABLE {outside}_over AS SELECT unnest(?::INTEGER[]) AS sid",
        [over],
    )
    # Each unit's invoices first (one row per unit, supplier and invoice), then counted: two
    # distinct counts over every line would each build a set of all the invoices.
    found = ledger.con.execute(
        f"SELECT i.unit, count(*), count(*) FILTER (WHERE v.sid IS NOT NULL), "  # noqa: S608
        f"sum(i.amount), sum(i.amount) FILTER (WHERE v.sid IS NOT NULL) "
        f"FROM (SELECT unit, sid, inv_key, sum(amount) AS amount FROM {outside} "
        f"WHERE {period.sql_between('d')} GROUP BY unit, sid, inv_key) i "
        f"LEFT JOIN {outside}_over v ON i.sid = v.sid GROUP BY i.unit ORDER BY i.unit"
    ).fetchall()
    return [
        {"unit": u, "invoices": int(n), "over": int(o), "amount": a, "over_amount": oa}
        for u, n, o, a, oa in found
    ]


def _window_text(window: str, day: dt.date) -> str:
    if window == CALENDAR_YEAR:
        return f"under {day.year} till och med {day.isoformat()}"
    return f"under tolv månader till och med {day.isoformat()}"


def _finding(
    peak: dict[str, Any], label: dict[str, str], totals: dict[str, Any], window: str
) -> Finding:
    supplier = label.get("supplier", str(peak["sid"]))
    over = bool(peak["over"])
    relation = "över" if over else "nära"
    invoices = int(totals.get("invoices", 0))
    return Finding(
        kind="over_limit" if over else "near_limit",
        message=(
            f"{supplier}: {format_amount(peak['total'])} utan avtal "
            f"{_window_text(window, peak['day'])}, "
            f"{relation} direktupphandlingsgränsen {format_amount(peak['lim'])} "
            f"({format_percent(peak['ratio'])} av gränsen; {format_decimal(invoices)} "
            f"faktur{'a' if invoices == 1 else 'or'} i perioden)."
        ),
        data={
            "supplier": supplier,
            "orgnr": label.get("orgnr", ""),
            "window_sum": money(peak["total"]),
            "limit": money(peak["lim"]),
            "share_of_limit": round(float(peak["ratio"]), 4),
            "window_end": iso(peak["day"]),
            "invoices_in_period": invoices,
            "amount_in_period": money(totals.get("amount")),
        },
    )


def _unit(group: dict[str, Any]) -> UnitBreakdown:
    """A unit's invoices outside contracts, and how many came from suppliers over the limit."""
    return UnitBreakdown(
        unit=str(group["unit"]),
        n=group["invoices"],
        count=group["over"],
        value=group["over"] / group["invoices"] if group["invoices"] else None,
        extra={
            "outside_amount": money(group["amount"]),
            "over_amount": money(group["over_amount"] or 0),
        },
    )


def _result(
    ledger: Ledger,
    flagged: list[dict[str, Any]],
    totals: dict[int, dict[str, Any]],
    units: list[dict[str, Any]],
    labels: dict[int, dict[str, str]],
    parameters: dict[str, Any],
    register_sha256: str,
    bounds: Period | None,
    excluded: dict[str, Any],
) -> ControlResult:
    window = str(parameters["window"])
    flagged.sort(key=lambda p: (not p["over"], -float(p["ratio"]), p["sid"]))
    findings = [
        _finding(p, labels.get(p["sid"], {}), totals.get(p["sid"], {}), window)
        for p in flagged[: int(parameters["max_findings"])]
    ]
    over = sum(1 for p in flagged if p["over"])
    near = len(flagged) - over
    one_off = sum(1 for t in totals.values() if t["invoices"] == 1)
    verdict = Verdict.RED if over else (Verdict.YELLOW if near else Verdict.GREEN)
    details = {
        **ledger_details(ledger),
        "invoice_period": None if bounds is None else bounds.to_json(),
        "window": WINDOWS[window],
        "limit": "LOU:s gräns vid varje datum"
        if parameters["limit"] is None
        else parameters["limit"],
        "suppliers_outside_contracts": len(totals),
        "amount_outside_contracts": money(
            sum((Decimal(t["amount"] or 0) for t in totals.values()), Decimal(0))
        ),
        "over_limit": over,
        "near_limit": near,
        "one_off_suppliers": one_off,
        **excluded,
        "findings_total": len(flagged),
        "findings_shown": len(findings),
    }
    return ControlResult(
        control="direct_procurement",
        value=float(over),
        target=0.0,
        direction=Direction.AT_MOST,
        verdict=verdict,
        summary=_summary(over, near, one_off, len(totals), window, bounds)
        + _excluded_text(excluded),
        rows=ledger.rows,
        by_unit=tuple(_unit(u) for u in units),
        findings=tuple(findings),
        parameters=parameters,
        input_sha256=combined_sha256(ledger.input_sha256, register_sha256),
        details=details,
        count_name="over_limit_invoices",
    )


def _summary(
    over: int, near: int, one_off: int, suppliers: int, window: str, bounds: Period | None
) -> str:
    if bounds is None:
        return "Inga inköp med fakturadatum att pröva mot direktupphandlingsgränsen."

    def count(n: int) -> str:
        return f"{format_decimal(n)} leverantör{'' if n == 1 else 'er'}"

    return (
        f"{count(over)} över direktupphandlingsgränsen och {count(near)} nära den "
        f"({WINDOWS[window]}, {bounds.label()}), bland {count(suppliers)} som köpts från utan "
        f"giltigt avtal; {count(one_off)} med en enda faktura."
    )


def _excluded_text(excluded: dict[str, Any]) -> str:
    framework = int(excluded["suppliers_under_framework"])
    other = int(excluded["suppliers_under_other_contracts"])
    if not framework and not other:
        return ""
    return (
        f" Inköp från {format_decimal(framework)} leverantör{'' if framework == 1 else 'er'} "
        f"under ramavtal och {format_decimal(other)} under andra avtal räknades inte."
    )
