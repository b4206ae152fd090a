"""Totals and subtotal rows in a ledger export: found, left out and named.

Finance offices often save a report with a "Summa" row at the bottom or a "Delsumma" row
after each group. Read as data, such a row is one more invoice without supplier or org
number worth the whole file. It is left out, and the result names the row and why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from ik.engine.ledger_sql import quote_ident

if TYPE_CHECKING:
    import duckdb

TEXT_FIELDS = ("supplier", "invoice_no", "unit", "account", "orgnr")
# A cell that is only the word, or the word followed by what it sums ("Summa Alfa AB").
_WORD = re.compile(
    r"^\s*(summa|totalt|totalsumma|delsumma|subtotal|total)\s*:?\s*$"
    r"|^\s*(summa|totalt|totalsumma|delsumma|subtotal)[\s:]",
    re.IGNORECASE,
)
_PREFIXES = ("sum", "tot", "delsum", "subtot")
LAST_ROWS = 3


@dataclass(frozen=True, slots=True)
class LeftOutRow:
    """A row that was not read as data, with the reason in Swedish."""

    row: int
    reason: str

    def to_json(self) -> dict[str, object]:
        return {"row": self.row, "reason": self.reason}


def _candidates_sql(table: str, fields: tuple[str, ...]) -> str | None:
    """The rows that may be totals; the exact rule runs in Python on the few it lets by.

    A totals or subtotal row has no invoice number, so with that column only the rows without
    one (and the last rows, where a grand total stands) are looked at: a scan of ten million
    rows for words would cost more than the control. Without it every text cell is checked.
    """
    texts = [f for f in TEXT_FIELDS if f in fields]
    if not texts:
        return None
    cells = ", ".join(quote_ident(f) for f in texts)
    amount = "amount" if "amount" in fields else "CAST(NULL AS DECIMAL(18, 2))"
    select = f"SELECT row, {amount}, {cells} FROM {table}"  # noqa: S608
    if "invoice_no" in fields:
        return (
            f"SELECT * FROM ({select} WHERE invoice_no IS NULL) UNION "  # noqa: S608
            f"SELECT * FROM ({select} ORDER BY row DESC LIMIT {LAST_ROWS}) ORDER BY row"
        )
    words = " OR ".join(f"{quote_ident(f)} ILIKE '{p}%'" for f in texts for p in _PREFIXES)
    nameless = "supplier IS NULL" if "supplier" in fields else "FALSE"
    return f"{select} WHERE {words} OR {nameless} ORDER BY row"


def leave_out_totals(
    con: duckdb.DuckDBPyConnection, table: str, fields: tuple[str, ...]
) -> tuple[LeftOutRow, ...]:
    """Find totals rows in the loaded `table`, take them out of it and say which they were.

    A row is a totals row when a text cell says so ("Summa", "Totalt", "Delsumma …"), or when
    it has neither supplier nor invoice number and its amount equals the sum of the other rows.
    """
    query = _candidates_sql(table, fields)
    if query is None:
        return ()
    found = con.execute(query).fetchall()
    left_out: list[LeftOutRow] = []
    nameless: list[tuple[int, Decimal]] = []
    texts = [f for f in TEXT_FIELDS if f in fields]
    names = [texts.index(f) for f in ("supplier", "invoice_no") if f in texts]
    for row, amount, *cells in found:
        word = next((c for c in cells if c is not None and _WORD.match(str(c))), None)
        if word is not None:
            left_out.append(LeftOutRow(int(row), f"summeringsrad (”{str(word).strip()}”)"))
        elif amount is not None and names and all(cells[i] is None for i in names):
            nameless.append((int(row), Decimal(amount)))
    if nameless and "amount" in fields:
        left_out += _column_totals(con, table, nameless, {r.row for r in left_out})
    if left_out:
        _drop_rows(con, table, [r.row for r in left_out])
    return tuple(sorted(left_out, key=lambda r: r.row))


def _column_totals(
    con: duckdb.DuckDBPyConnection,
    table: str,
    nameless: list[tuple[int, Decimal]],
    already: set[int],
) -> list[LeftOutRow]:
    skip = {row for row, _ in nameless} | already
    listed = ", ".join(str(r) for r in skip)
    total_row = con.execute(
        f"SELECT sum(amount) FROM {table} WHERE row NOT IN ({listed})"  # noqa: S608
    ).fetchone()
    total = Decimal(total_row[0]) if total_row and total_row[0] is not None else None
    return [
        LeftOutRow(row, "summeringsrad (beloppet är summan av övriga rader, leverantör saknas)")
        for row, amount in nameless
        if total is not None and amount == total
    ]


def _drop_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[int]) -> None:
    listed = ", ".join(str(r) for r in rows)
    con.execute(f"CREATE TABLE {table}_kept AS SELECT * FROM {table} WHERE row NOT IN ({listed})")  # noqa: S608
    kind = con.execute(
        "SELECT table_type FROM information_schema.tables WHERE table_name = ?", [table]
    ).fetchone()
    con.execute(f"DROP {'VIEW' if kind and kind[0] == 'VIEW' else 'TABLE'} {table}")
    con.execute(f"ALTER TABLE {table}_kept RENAME TO {table}")
