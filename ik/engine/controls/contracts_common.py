"""Pieces the procurement controls share: the contract register as an input, and which ledger
lines a contract covers.

A ledger line belongs to a supplier by organisation number when the line has a usable one
(`ik.engine.contracts.orgnr_key`), else by name. A contract with a number matches the lines
with that number; a contract without one, and a line without one, are matched by name (case
and spacing ignored). A line is covered when a matching contract is valid on its invoice date,
both end days included, and covered by a framework agreement (ramavtal) when one of the
contracts valid that day is one; a line covered by both kinds counts under the framework
agreement. Matching is decided in Python once per distinct supplier and number
as written, so a ten-million-row ledger is joined to a small table.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from argparse import ArgumentParser
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ik.engine.contracts import Contract, orgnr_key, read_contracts, supplier_key
from ik.engine.controls.ledger_common import (
    LEDGER_DETAIL_LABELS,
    NO_SUPPLIER,
    NO_UNIT,
    Period,
    add_ledger_arguments,
    column_or_null,
    invoice_key_sql,
    ledger_runner,
    parse_period,
)
from ik.engine.errors import InputError
from ik.engine.ledger import Ledger
from ik.engine.result import ControlResult, sha256_file

CONTRACT_FIELDS = ("supplier", "invoice_date", "amount")
CONTRACT_OPTIONAL = ("orgnr", "unit", "invoice_no")
NO_CATEGORY = "(utan avtal)"
NO_CATEGORY_GIVEN = "(kategori saknas)"


def add_contract_arguments(parser: ArgumentParser) -> None:
    """The ledger's arguments, the contract register and the period."""
    add_ledger_arguments(parser)
    parser.add_argument(
        "--contracts",
        metavar="FIL",
        help="Avtalsregistret som CSV- eller Excel-fil: leverantor;orgnr;avtal_id;titel;"
        "kategori;giltig_fran;giltig_till;ramavtal. Från en uppföljning läses "
        "organisationens avtalsregister.",
    )
    parser.add_argument(
        "--period",
        metavar="START:SLUT",
        help="Fakturadatum från och med–till och med, t.ex. 2018-01-01:2018-12-31.",
    )


@dataclass(frozen=True, slots=True)
class Register:
    contracts: tuple[Contract, ...]
    sha256: str
    path: str


def load_register(options: Mapping[str, Any]) -> Register:
    path = options.get("contracts")
    if not path:
        raise InputError(
            "Avtalsregistret saknas: ange --contracts FIL, eller kör kontrollen från en "
            "uppföljning så läses organisationens avtalsregister."
        )
    return Register(read_contracts(path), sha256_file(path), str(path))


def options_period(options: Mapping[str, Any]) -> Period | None:
    return parse_period(options["period"]) if options.get("period") else None


def combined_sha256(ledger_sha256: str, register_sha256: str) -> str:
    """One fingerprint for the two inputs: the same ledger and register give the same one."""
    return hashlib.sha256(f"{ledger_sha256}:{register_sha256}".encode()).hexdigest()


def _contract_index(
    contracts: Sequence[Contract],
) -> tuple[dict[str, list[int]], dict[str, list[int]], dict[str, list[int]]]:
    by_orgnr: dict[str, list[int]] = defaultdict(list)
    by_name: dict[str, list[int]] = defaultdict(list)
    by_name_without_number: dict[str, list[int]] = defaultdict(list)
    for i, contract in enumerate(contracts):
        name = supplier_key(contract.supplier)
        by_name[name].append(i)
        if contract.orgnr:
            by_orgnr[contract.orgnr].append(i)
        else:
            by_name_without_number[name].append(i)
    return by_orgnr, by_name, by_name_without_number


FIRST_DAY = dt.date(1, 1, 1)
LAST_DAY = dt.date(9999, 12, 31)
_DAY = dt.timedelta(days=1)
Segment = tuple[dt.date, dt.date, bool, bool, dt.date | None, str]


def segments(contracts: Sequence[Contract]) -> list[Segment]:
    """A supplier's time line cut where its contracts start and end, each piece with its status.

    Each segment (first day, last day, covered, framework, expired_on, category) holds for
    every day in it: covered when a contract is valid, framework when a valid one is a
    framework agreement, expired_on the latest end of a contract that ended before, category
    the valid contract's (the first by name when several), else that of the contract that
    started last, else NO_CATEGORY. Together they cover every date once.
    """
    if not contracts:
        return [(FIRST_DAY, LAST_DAY, False, False, None, NO_CATEGORY)]
    cuts = {FIRST_DAY} | {c.valid_from for c in contracts}
    cuts |= {
        c.valid_to + _DAY for c in contracts if c.valid_to is not None and c.valid_to < LAST_DAY
    }
    latest = max(contracts, key=lambda c: (c.valid_from, c.category or NO_CATEGORY_GIVEN))
    points = sorted(cuts)
    found: list[Segment] = []
    for i, first in enumerate(points):
        last = points[i + 1] - _DAY if i + 1 < len(points) else LAST_DAY
        valid = [c for c in contracts if c.valid_on(first)]
        ended = [c.valid_to for c in contracts if c.valid_to is not None and c.valid_to < first]
        category = (
            min(c.category or NO_CATEGORY_GIVEN for c in valid)
            if valid
            else latest.category or NO_CATEGORY_GIVEN
        )
        status = (bool(valid), any(c.framework for c in valid), max(ended, default=None), category)
        if found and found[-1][2:] == status:
            found[-1] = (found[-1][0], last, *status)
        else:
            found.append((first, last, *status))
    return found


def match_suppliers(ledger: Ledger, contracts: Sequence[Contract]) -> str:
    """Create the tables `<prefix>_pairs` and `<prefix>_segments`, and return the prefix.

    `_pairs`: one row per supplier and number as written (`supplier`, `orgnr`, '' for empty),
    with `pair_id`, the supplier identity `sid` (a number for each distinct o:<number> or
    n:<name>; integers keep the later grouping of millions of lines cheap) and its `label`.
    `_segments`: for each pair its `segments` (`supplier`, `orgnr`, `sid`, `seg_from`,
    `seg_to`, `covered`, `framework`, `expired_on`, `category`), so that one equality join on
    the supplier with a date range gives every ledger line its status.
    """
    prefix = f"{ledger.table}_proc"
    orgnr = column_or_null(ledger, "orgnr")
    found = ledger.con.execute(
        f"SELECT DISTINCT coalesce(supplier, ''), coalesce({orgnr}, '') FROM {ledger.table}"  # noqa: S608
    ).fetchall()
    by_orgnr, by_name, by_name_without_number = _contract_index(contracts)
    pairs: list[tuple[str, str, int, int, str]] = []
    identities: dict[str, int] = {}
    rows: list[tuple[str, str, int, *Segment]] = []
    for pair_id, (supplier, number) in enumerate(found):
        key = orgnr_key(number) if number else None
        name = supplier_key(supplier)
        sid = identities.setdefault(f"o:{key}" if key else f"n:{name}", len(identities))
        pairs.append((supplier, number, pair_id, sid, supplier or NO_SUPPLIER))
        if key:
            matched = by_orgnr.get(key, []) + by_name_without_number.get(name, [])
        else:
            matched = by_name.get(name, []) if name else []
        mine = [contracts[i] for i in sorted(set(matched))]
        rows.extend((supplier, number, sid, *segment) for segment in segments(mine))
    _table(ledger, f"{prefix}_pairs", _PAIR_COLUMNS, pairs)
    _table(ledger, f"{prefix}_segments", _SEGMENT_COLUMNS, rows)
    return prefix


_PAIR_COLUMNS = (
    ("supplier", "VARCHAR"),
    ("orgnr", "VARCHAR"),
    ("pair_id", "INTEGER"),
    ("sid", "INTEGER"),
    ("label", "VARCHAR"),
)
_SEGMENT_COLUMNS = (
    ("supplier", "VARCHAR"),
    ("orgnr", "VARCHAR"),
    ("sid", "INTEGER"),
    ("seg_from", "DATE"),
    ("seg_to", "DATE"),
    ("covered", "BOOLEAN"),
    ("framework", "BOOLEAN"),
    ("expired_on", "DATE"),
    ("category", "VARCHAR"),
)


def _table(
    ledger: Ledger, name: str, columns: Sequence[tuple[str, str]], rows: Sequence[tuple[Any, ...]]
) -> None:
    select = ", ".join(f"unnest(?::{kind}[]) AS {column}" for column, kind in columns)
    values = [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in columns]
    ledger.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {select}", values)


def lines_sql(ledger: Ledger, prefix: str, start: str | None, end: str | None) -> str:
    """Ledger lines dated from `start` to `end` (ISO dates, both included; None: open), each
    with its supplier identity, invoice key and its status on its date (`segments`).

    Columns: row, unit, amount, d, sid, inv_key, covered, framework, expired_on, category.
    """
    orgnr = 'l."orgnr"' if ledger.has("orgnr") else "CAST(NULL AS VARCHAR)"
    unit = 'l."unit"' if ledger.has("unit") else "CAST(NULL AS VARCHAR)"
    where = ["l.invoice_date IS NOT NULL"]
    if start:
        where.append(f"l.invoice_date >= DATE '{start}'")
    if end:
        where.append(f"l.invoice_date <= DATE '{end}'")
    return f"""
        SELECT l.row, coalesce({unit}, '{NO_UNIT}') AS unit, coalesce(l.amount, 0) AS amount,
               l.invoice_date AS d, s.sid, {invoice_key_sql(ledger, "l.")} AS inv_key,
               s.covered, s.framework, s.expired_on, s.category
        FROM {ledger.table} l JOIN {prefix}_segments s
          ON coalesce(l.supplier, '') = s.supplier AND coalesce({orgnr}, '') = s.orgnr
         AND l.invoice_date BETWEEN s.seg_from AND s.seg_to
        WHERE {" AND ".join(where)}
    """  # noqa: S608


def supplier_labels(ledger: Ledger, prefix: str, sids: Sequence[int]) -> dict[int, dict[str, str]]:
    """Name and number as written for each supplier identity (the first spelling in order)."""
    if not sids:
        return {}
    found = ledger.con.execute(
        f"SELECT sid, min(label), min(orgnr) FROM {prefix}_pairs "  # noqa: S608
        "WHERE sid IN (SELECT unnest(?::INTEGER[])) GROUP BY sid",
        [list(sids)],
    ).fetchall()
    return {sid: {"supplier": label, "orgnr": number} for sid, label, number in found}


def contract_runner(
    control: Callable[[Ledger, Register, Mapping[str, Any]], ControlResult],
) -> Callable[[Mapping[str, Any]], ControlResult]:
    """Run `control` on the ledger and register named by the parsed arguments.

    The register is read first: a missing or refused register stops the run before a large
    ledger is loaded.
    """

    def run(options: Mapping[str, Any]) -> ControlResult:
        register = load_register(options)
        on_ledger = ledger_runner(
            CONTRACT_FIELDS,
            CONTRACT_OPTIONAL,
            lambda ledger, opts: control(ledger, register, opts),
        )
        return on_ledger(options)

    return run


CONTRACT_DETAIL_LABELS: Mapping[str, str] = {
    **LEDGER_DETAIL_LABELS,
    "invoice_period": "Period (fakturadatum)",
}
CONTRACT_EXAMPLES = ("exempel_reskontra_betalningar.csv", "exempel_avtalsregister.csv")
