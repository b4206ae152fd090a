"""Suppliers without a valid Swedish organisation or personal identity number."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ik.engine.assessment import assess
from ik.engine.controls.ledger_common import (
    NO_SUPPLIER,
    NO_UNIT,
    column_or_null,
    ledger_details,
    ledger_parameters,
    money,
)
from ik.engine.ledger import Ledger
from ik.engine.orgnr import (
    FOREIGN,
    INVALID,
    MISSING,
    SEVERAL,
    VALID,
    classify_identity_number,
)
from ik.engine.result import ControlResult, Direction, Finding, UnitBreakdown, Verdict
from ik.lib.swedish import format_amount, format_decimal, format_percent

ORGNR_FIELDS = ("orgnr", "supplier")
ORGNR_OPTIONAL = ("unit", "amount")


PROBLEM_KINDS = (MISSING, INVALID, SEVERAL)
KINDS = (VALID, *PROBLEM_KINDS, FOREIGN)


def _kinds_table(ledger: Ledger) -> str:
    """A temp table with the kind of each distinct number that is not plainly valid.

    The classification runs in Python, once per distinct cell, so the engine has one
    definition of each kind; only the numbers that are not valid (normally few) go back.
    """
    table = f"{ledger.table}_orgnr_kind"
    found = ledger.con.execute(
        f"SELECT DISTINCT orgnr FROM {ledger.table} WHERE orgnr IS NOT NULL"  # noqa: S608
    ).fetchall()
    kinds = [(value, classify_identity_number(value)) for (value,) in found]
    odd = [(value, kind) for value, kind in kinds if kind != VALID]
    ledger.con.execute(
        f"CREATE OR REPLACE TEMP TABLE {table} AS "
        "SELECT unnest(?::VARCHAR[]) AS orgnr, unnest(?::VARCHAR[]) AS kind",
        [[v for v, _ in odd], [k for _, k in odd]],
    )
    return table


def missing_orgnr(ledger: Ledger, *, target: float = 0.0) -> ControlResult:
    """Postings whose supplier lacks a valid Swedish organisation or personal identity number.

    Every row gets exactly one kind (see `ik.engine.orgnr.classify_identity_number`): valid,
    missing (empty, SAKNAS, NULL, "-", 0), invalid (check digit, or a personal number whose
    date does not exist), several numbers in one cell, or a foreign VAT number. The value is
    the share of rows that are missing, invalid or several; foreign numbers are listed apart
    and not counted as errors. Findings list each supplier and number as written once.
    """
    ledger.require(ORGNR_FIELDS)
    kinds_table = _kinds_table(ledger)
    problems = ", ".join(f"'{k}'" for k in PROBLEM_KINDS)
    status = f"""
        SELECT l.row, coalesce({column_or_null(ledger, "unit")}, '{NO_UNIT}') AS unit,
               coalesce({column_or_null(ledger, "supplier")}, '{NO_SUPPLIER}') AS supplier,
               l.orgnr, {column_or_null(ledger, "amount", "DECIMAL(18,2)")} AS amount,
               CASE WHEN l.orgnr IS NULL THEN '{MISSING}' ELSE coalesce(i.kind, '{VALID}') END
                   AS kind
        FROM {ledger.table} l LEFT JOIN {kinds_table} i ON l.orgnr = i.orgnr
    """  # noqa: S608
    units = ledger.con.execute(
        f"SELECT unit, count(*), count(*) FILTER (WHERE kind IN ({problems})), "  # noqa: S608
        f"sum(amount) FILTER (WHERE kind IN ({problems})) "
        f"FROM ({status}) GROUP BY unit ORDER BY unit"
    ).fetchall()
    suppliers = ledger.con.execute(
        f"SELECT kind, supplier, orgnr, count(*), sum(amount), min(row) AS first, "  # noqa: S608
        f"list(row ORDER BY row)[1:20] FROM ({status}) WHERE kind != '{VALID}' "
        f"GROUP BY kind, supplier, orgnr ORDER BY first"
    ).fetchall()
    by_kind = {
        str(k): (int(n), money(a))
        for k, n, a in ledger.con.execute(
            f"SELECT kind, count(*), sum(amount) FROM ({status}) GROUP BY kind"  # noqa: S608
        ).fetchall()
    }
    ledger.con.execute(f"DROP TABLE IF EXISTS {kinds_table}")
    breakdown = tuple(
        UnitBreakdown(str(u), int(n), int(k), int(k) / int(n) if n else None, {"amount": money(a)})
        for u, n, k, a in units
    )
    return _orgnr_result(ledger, breakdown, suppliers, by_kind, target)


def _orgnr_result(
    ledger: Ledger,
    breakdown: tuple[UnitBreakdown, ...],
    suppliers: Sequence[tuple[Any, ...]],
    by_kind: dict[str, tuple[int, float | None]],
    target: float,
) -> ControlResult:
    total = sum(b.n for b in breakdown)
    bad = sum(b.count for b in breakdown)
    value = bad / total if total else None
    findings = tuple(_orgnr_finding(*s) for s in suppliers)
    groups = {kind: sum(1 for s in suppliers if s[0] == kind) for kind in KINDS if kind != VALID}
    problem_groups = sum(groups[k] for k in PROBLEM_KINDS)
    return ControlResult(
        control="missing_orgnr",
        value=value,
        target=target,
        direction=Direction.AT_MOST,
        verdict=Verdict.YELLOW if value is None else assess(value, target, Direction.AT_MOST),
        summary=_orgnr_summary(bad, total, problem_groups, target, by_kind.get(FOREIGN)),
        rows=ledger.rows,
        by_unit=breakdown,
        findings=findings,
        parameters=ledger_parameters(ledger, target=target),
        input_sha256=ledger.input_sha256,
        details={
            **ledger_details(ledger),
            "postings": total,
            "postings_without_valid_orgnr": bad,
            "rows_by_kind": {k: by_kind.get(k, (0, None))[0] for k in KINDS},
            "amount_by_kind": {k: by_kind.get(k, (0, None))[1] for k in KINDS},
            "suppliers_missing": groups[MISSING],
            "suppliers_invalid": groups[INVALID],
            "suppliers_several": groups[SEVERAL],
            "suppliers_foreign": groups[FOREIGN],
            "amount": money(
                sum((Decimal(str(b.extra["amount"] or 0)) for b in breakdown), Decimal(0))
            ),
            "findings_total": len(findings),
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
    what = {
        MISSING: "saknar organisationsnummer" + (f' ("{orgnr}")' if orgnr else ""),
        INVALID: f'har ett ogiltigt organisationsnummer "{orgnr}"',
        SEVERAL: f'har flera nummer i samma cell "{orgnr}"',
        FOREIGN: f'har ett utländskt momsregistreringsnummer "{orgnr}" (räknas inte som fel)',
    }[kind]
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


def _orgnr_summary(
    bad: int, total: int, suppliers: int, target: float, foreign: tuple[int, float | None] | None
) -> str:
    if not total:
        return "Filen har inga rader att kontrollera."
    word = "leverantör" if suppliers == 1 else "leverantörer"
    apart = ""
    if foreign and foreign[0]:
        apart = (
            f" {format_decimal(foreign[0])} {_rows_word(foreign[0])} har utländska "
            "momsregistreringsnummer och redovisas för sig."
        )
    return (
        f"{format_percent(bad / total)} av {format_decimal(total)} {_rows_word(total)} "
        f"({format_decimal(bad)} {_rows_word(bad)}, "
        f"{format_decimal(suppliers)} {word}) saknar giltigt organisations- eller personnummer "
        f"(mål högst {format_percent(target, None)}).{apart}"
    )
