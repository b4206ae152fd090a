"""SQL that turns the text of a ledger export into typed values inside DuckDB.

Parsing happens in DuckDB rather than in Python so that ten million rows stay fast. Each value
takes a cheap path first (ISO dates, plain decimals) and falls back to the slower forms
(20180831, 31/08/2018, Excel serial numbers, "1.234.567,50") only where the cheap path failed:
DuckDB's COALESCE evaluates later arguments only for rows still NULL.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

# Dates outside this range are typing errors rather than invoices ("2018" read as a serial
# number would otherwise land in 1905).
EARLIEST_DATE = "1950-01-01"
LATEST_DATE = "2199-12-31"
_EXCEL_EPOCH = "1899-12-30"

_MACROS = (
    # Spaces, no-break spaces and narrow no-break spaces separate thousands in Swedish exports.
    """CREATE OR REPLACE TEMP MACRO ik_num_text(s) AS
       replace(replace(replace(trim(s), ' ', ''), chr(160), ''), chr(8239), '')""",
    r"""CREATE OR REPLACE TEMP MACRO ik_amount_slow(t) AS TRY_CAST(CASE
         WHEN regexp_full_match(t, '[-+]?\d{1,3}(\.\d{3})+(,\d+)?')
           THEN replace(replace(t, '.', ''), ',', '.')
         WHEN regexp_full_match(t, '[-+]?\d{1,3}(,\d{3})+(\.\d+)?')
           THEN replace(t, ',', '')
         WHEN regexp_full_match(t, '\d+([.,]\d+)?-')
           THEN '-' || replace(rtrim(t, '-'), ',', '.')
         WHEN regexp_full_match(t, '\x{2212}\d+([.,]\d+)?')
           THEN '-' || replace(substr(t, 2), ',', '.')
       END AS DECIMAL(18, 2))""",
    # The slow path sits inside a CASE so DuckDB does not hoist its parts out and compute them
    # for every row; plain replace() calls beat translate() on the fast path.
    """CREATE OR REPLACE TEMP MACRO ik_amount(s) AS COALESCE(
         TRY_CAST(replace(replace(replace(replace(s, ' ', ''), chr(160), ''), chr(8239), ''),
                          ',', '.') AS DECIMAL(18, 2)),
         CASE WHEN s IS NOT NULL THEN ik_amount_slow(ik_num_text(s)) END)""",
    f"""CREATE OR REPLACE TEMP MACRO ik_excel_serial(t) AS CASE
         WHEN regexp_full_match(t, '[0-9]{{5}}([.,][0-9]+)?')
         THEN DATE '{_EXCEL_EPOCH}'
              + CAST(floor(TRY_CAST(replace(t, ',', '.') AS DOUBLE)) AS INTEGER)
       END""",
    """CREATE OR REPLACE TEMP MACRO ik_date_slow(t) AS COALESCE(
         CASE WHEN length(t) = 8 THEN CAST(try_strptime(t, '%Y%m%d') AS DATE) END,
         CASE WHEN contains(t, '/') THEN CAST(try_strptime(t, '%d/%m/%Y') AS DATE) END,
         CASE WHEN contains(t, '.') THEN CAST(try_strptime(t, '%d.%m.%Y') AS DATE) END,
         ik_excel_serial(t))""",
    """CREATE OR REPLACE TEMP MACRO ik_date(s) AS COALESCE(
         TRY_CAST(s AS DATE), CASE WHEN s IS NOT NULL THEN ik_date_slow(trim(s)) END)""",
)


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Define the parsing macros on a connection (idempotent)."""
    for statement in _MACROS:
        con.execute(statement)


def quote_ident(name: str) -> str:
    """A SQL identifier, quoted so any header text is safe to use."""
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def text_expr(column: str) -> str:
    """Trimmed text; an empty cell becomes NULL."""
    # Trimming only the cells that need it spares copying millions of clean strings.
    c = column
    return f"CASE WHEN {c} LIKE ' %' OR {c} LIKE '% ' OR {c} = '' THEN NULLIF(trim({c}), '') ELSE {c} END"  # noqa: E501


def date_expr(column: str) -> str:
    return f"ik_date({column})"


def date_is_bad(raw: str, parsed: str) -> str:
    """True where a non-empty cell gave no date, or a date no ledger can hold."""
    return (
        f"({text_expr(raw)} IS NOT NULL AND ({parsed} IS NULL OR {parsed} NOT BETWEEN "
        f"DATE '{EARLIEST_DATE}' AND DATE '{LATEST_DATE}'))"
    )


def amount_is_bad(raw: str, parsed: str) -> str:
    return f"({text_expr(raw)} IS NOT NULL AND {parsed} IS NULL)"


def amount_expr(column: str) -> str:
    return f"ik_amount({column})"
