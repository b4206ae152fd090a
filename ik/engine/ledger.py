"""Supplier-invoice ledgers from finance-system exports, loaded into DuckDB.

`read_ledger` takes a CSV or spreadsheet export, finds which columns hold which field (see
`ik.engine.mappings`), parses dates and amounts in Swedish and international forms, and leaves a
typed table in DuckDB for the ledger controls in `ik.engine.controls` to query. A file with a
malformed row is refused with the row, column and value; `skip_bad_rows=True` reads the rest
and lists what was skipped. The file itself is only read, never changed.
"""

from __future__ import annotations

import codecs
import itertools
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ik.engine import ledger_sql as sql
from ik.engine.errors import InputError, InputProblem
from ik.engine.ledger_excel import ROW_COLUMN, excel_to_csv
from ik.engine.ledger_files import SniffedFile, sniff
from ik.engine.ledger_totals import LeftOutRow, leave_out_totals
from ik.engine.mappings import (
    AMOUNT_FIELDS,
    DATE_FIELDS,
    FIELD_LABELS,
    FIELDS,
    ColumnMapping,
    missing_fields_error,
    resolve_mapping,
)
from ik.engine.result import sha256_file

if TYPE_CHECKING:
    import duckdb

MAX_LISTED_PROBLEMS = 1000
DEFAULT_MEMORY_LIMIT = "1536MB"
_names = itertools.count(1)


@dataclass(slots=True)
class Ledger:
    """A loaded ledger: query `table` on `con`.

    The table has a `row` column (the row in the file, header = row 1) and one column per
    loaded field, named as in `ik.engine.mappings.FIELDS`: text for invoice_no, supplier,
    orgnr, unit and account; DATE for the dates; DECIMAL(18,2) for amount. Empty cells are NULL.
    """

    con: duckdb.DuckDBPyConnection
    table: str
    rows: int
    profile: str
    columns: tuple[str, ...]
    mapping: Mapping[str, str]
    fields: tuple[str, ...]
    input_sha256: str
    path: str
    file_format: str
    encoding: str = ""
    delimiter: str = ""
    problems: tuple[InputProblem, ...] = ()
    problem_count: int = 0
    skip_bad_rows: bool = False
    header_row: int = 1
    left_out: tuple[LeftOutRow, ...] = ()
    warnings: tuple[str, ...] = ()
    owns_connection: bool = field(default=False, repr=False)

    def has(self, name: str) -> bool:
        return name in self.fields

    def header(self, name: str) -> str:
        """The file's own header for a field, for messages."""
        return self.mapping.get(name, FIELD_LABELS.get(name, name))

    def require(self, names: Iterable[str]) -> None:
        """Raise InputError naming every field a control needs that this ledger lacks."""
        missing = [n for n in names if n not in self.fields]
        if missing:
            raise missing_fields_error(missing, self.columns)

    def close(self) -> None:
        if self.owns_connection:
            self.con.close()


def read_ledger(
    path: str | Path,
    *,
    mapping: str | Mapping[str, str] = "auto",
    overrides: Mapping[str, str] | None = None,
    required: Iterable[str] = (),
    fields: Iterable[str] | None = None,
    skip_bad_rows: bool = False,
    header_row: int | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
) -> Ledger:
    """Load a supplier-invoice export (CSV or Excel) into DuckDB.

    `mapping` is "auto", a profile name or a {field: header} dict; `overrides` map single
    fields to headers on top of it. `required` fields must be found or InputError names them
    and the columns the file has. `fields` limits which mapped fields are loaded (all by
    default); required fields are always loaded. `header_row` (1-based) says which row holds
    the column names when title rows stand above it and the guess is wrong. Pass `con` to load
    into an existing DuckDB connection; otherwise one is opened with a memory limit and owned by
    the ledger.
    """
    path = Path(path)
    required = tuple(required)
    sniffed = sniff(path, header_row)
    own = con is None
    if con is None:
        con = _connect()
    with ThreadPoolExecutor(max_workers=1) as pool:
        # Hashing runs beside DuckDB's parse; hashlib releases the GIL on large reads.
        digest = pool.submit(sha256_file, path)
        with tempfile.TemporaryDirectory(prefix="ik-ledger-") as tmp:
            loader = _Loader(con, path, Path(tmp), skip_bad_rows)
            try:
                ledger = loader.load(sniffed, mapping, overrides, required, fields, header_row)
            except BaseException:
                if own:
                    con.close()
                raise
        ledger.input_sha256 = digest.result()
    ledger.owns_connection = own
    return ledger


def _connect() -> duckdb.DuckDBPyConnection:
    # DuckDB is imported where a ledger is read, so starting Django does not pay for it.
    import duckdb

    spill = Path(tempfile.gettempdir()) / "ik-duckdb"
    con = duckdb.connect(
        config={"memory_limit": DEFAULT_MEMORY_LIMIT, "temp_directory": str(spill)}
    )
    # DuckDB draws a progress bar on stdout for long queries; `--json` must print only JSON.
    con.execute("SET enable_progress_bar = false")
    return con


@dataclass(frozen=True, slots=True)
class _Source:
    """A CSV file DuckDB can read as it is, and where its rows begin."""

    path: Path
    encoding: str  # DuckDB encoding name
    delimiter: str
    width: int
    row_column: bool  # first column holds the source row number (spreadsheets)
    skip: int = 0  # lines above the header row (titles)


class _Loader:
    def __init__(
        self, con: duckdb.DuckDBPyConnection, path: Path, tmp: Path, skip_bad_rows: bool
    ) -> None:
        self.con, self.path, self.tmp, self.skip = con, path, tmp, skip_bad_rows
        self.name = f"ik_ledger_{next(_names)}"
        self.skip_lines = 0
        sql.install_macros(con)

    def load(
        self,
        sniffed: SniffedFile,
        mapping: str | Mapping[str, str],
        overrides: Mapping[str, str] | None,
        required: Sequence[str],
        fields: Iterable[str] | None,
        header_row: int | None = None,
    ) -> Ledger:
        self.skip_lines = sniffed.header_line - 1
        warnings: tuple[str, ...] = ()
        if sniffed.kind == "excel":
            sheet_csv = self.tmp / "sheet.csv"
            sheet = excel_to_csv(self.path, sheet_csv, header_row)
            headers, warnings = sheet.headers, sheet.warnings
            found_header = sheet.header_row
            source = _Source(sheet_csv, "utf-8", ",", len(headers) + 1, row_column=True)
        else:
            headers = sniffed.headers
            found_header = sniffed.header_line
            source = self._csv_source(sniffed)
        columns = resolve_mapping(headers, mapping, overrides, required)
        wanted = _fields_to_load(columns, required, fields)
        table, rows, problems, count = self._load_table(source, sniffed, columns, wanted)
        left_out = leave_out_totals(self.con, table, wanted)
        return Ledger(
            con=self.con,
            table=table,
            rows=rows - len(left_out),
            profile=columns.profile,
            columns=tuple(headers),
            mapping=columns.as_headers(),
            fields=wanted,
            input_sha256="",
            path=str(self.path),
            file_format="excel" if source.row_column else "csv",
            encoding="utf-8" if source.row_column else sniffed.encoding,
            delimiter="" if source.row_column else sniffed.delimiter,
            problems=problems,
            problem_count=count,
            skip_bad_rows=self.skip,
            header_row=found_header,
            left_out=left_out,
            warnings=warnings,
        )

    def _csv_source(self, sniffed: SniffedFile) -> _Source:
        width = len(sniffed.headers)
        if sniffed.encoding in ("utf-8", "utf-8-sig"):
            return _Source(self.path, "utf-8", sniffed.delimiter, width, False, self.skip_lines)
        if sniffed.encoding == "cp1252":
            # DuckDB reads Latin-1 natively; it refuses the bytes where Windows-1252 differs,
            # and only then is the file transcoded.
            return _Source(self.path, "latin-1", sniffed.delimiter, width, False, self.skip_lines)
        return self._transcoded(sniffed.encoding, sniffed.delimiter, width)

    def _transcoded(self, encoding: str, delimiter: str, width: int) -> _Source:
        target = self.tmp / "utf8.csv"
        transcode(self.path, target, encoding)
        return _Source(target, "utf-8", delimiter, width, False, self.skip_lines)

    def _load_table(
        self, source: _Source, sniffed: SniffedFile, columns: ColumnMapping, wanted: tuple[str, ...]
    ) -> tuple[str, int, tuple[InputProblem, ...], int]:
        import duckdb

        if self._create_typed(source, columns, wanted):
            return self._finish(source, columns, wanted, [])
        try:
            rejects = self._create(source, columns, wanted)
        except duckdb.InvalidInputException as exc:
            if source.encoding != "latin-1" or "latin-1" not in str(exc):
                raise _duckdb_error(exc, self.path) from None
            source = self._transcoded("cp1252", source.delimiter, source.width)
            rejects = self._create(source, columns, wanted)
        if any(r[1] == "INVALID ENCODING" for r in rejects):
            if source.encoding != "utf-8" or source.row_column or sniffed.encoding != "utf-8":
                raise _encoding_error(self.path, rejects)
            # The start of the file looked like UTF-8 but later rows are not: Windows-1252.
            source = _Source(
                self.path, "latin-1", source.delimiter, source.width, False, source.skip
            )
            return self._load_table(source, _as_cp1252(sniffed), columns, wanted)
        return self._finish(source, columns, wanted, rejects)

    def _create_typed(
        self, source: _Source, columns: ColumnMapping, wanted: tuple[str, ...]
    ) -> bool:
        """Load a clean file through DuckDB's typed reader; False if anything is unusual.

        Reading dates and amounts as typed columns skips the text copies and the checks of the
        validating path, which then runs only for files that need its messages. The typed
        reader accepts a subset of what the validating path accepts, with the same values.
        """
        import duckdb

        select = _typed_select(source, columns, wanted)
        if select is None:
            return False
        try:
            self.con.execute(f"CREATE TABLE {self.name}_data AS {select}")
            if self._count(f"{self.name}_data"):
                return True
        except duckdb.Error:
            pass
        self.con.execute(f"DROP TABLE IF EXISTS {self.name}_data")
        return False

    def _create(
        self, source: _Source, columns: ColumnMapping, wanted: tuple[str, ...]
    ) -> list[tuple[int, str, str, str]]:
        for leftover in ("data", "rejects", "scan"):
            # A retry in another encoding must not see the first attempt's rejects.
            self.con.execute(f"DROP TABLE IF EXISTS {self.name}_{leftover}")
        self.con.execute(
            f"CREATE TABLE {self.name}_data AS {_select(source, columns, wanted, self.name)}"
        )
        found = self.con.execute(
            f"SELECT line, error_type, csv_line, error_message FROM {self.name}_rejects "  # noqa: S608
            f"ORDER BY line LIMIT {MAX_LISTED_PROBLEMS + 1}"
        ).fetchall()
        return [(int(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in found]

    def _finish(
        self,
        source: _Source,
        columns: ColumnMapping,
        wanted: tuple[str, ...],
        rejects: list[tuple[int, str, str, str]],
    ) -> tuple[str, int, tuple[InputProblem, ...], int]:
        data = f"{self.name}_data"
        total_rows = self._count(data)
        if total_rows == 0 and not rejects:
            raise InputError(f"Filen {self.path.name} har en rubrikrad men inga rader med data.")
        row_expr, rows_from = self._row_source(source, rejects)
        bad_count = self._count(data, "_bad IS NOT NULL")
        problems = [_reject_problem(r) for r in rejects]
        reject_count = self._count(f"{self.name}_rejects") if rejects else 0
        if bad_count:
            problems.extend(self._bad_value_problems(row_expr, rows_from, columns))
            problems.sort(key=lambda p: p.row)
        problem_count = reject_count + bad_count
        if problem_count and not self.skip:
            raise _refusal(problems, problem_count)
        cols = ", ".join(sql.quote_ident(f) for f in wanted)
        select = f"SELECT {row_expr} AS row, {cols} FROM {rows_from}"  # noqa: S608
        if problem_count:
            self.con.execute(f"CREATE TABLE {self.name} AS {select} WHERE _bad IS NULL")
            self.con.execute(f"DROP TABLE {data}")
        else:
            self.con.execute(f"CREATE VIEW {self.name} AS {select}")
        kept = total_rows - bad_count
        return self.name, kept, tuple(problems[:MAX_LISTED_PROBLEMS]), problem_count

    def _count(self, table: str, where: str = "TRUE") -> int:
        found = self.con.execute(f"SELECT count(*) FROM {table} WHERE {where}").fetchone()  # noqa: S608
        return int(found[0]) if found else 0

    def _row_source(
        self, source: _Source, rejects: Sequence[tuple[int, str, str, str]]
    ) -> tuple[str, str]:
        """How to compute each row's line in the file, and the FROM clause that allows it."""
        data = f"{self.name}_data"
        if source.row_column:
            return f"CAST({ROW_COLUMN} AS BIGINT)", data
        if not rejects:
            # The table keeps the file's order, so rowid counts data lines.
            return f"rowid + {2 + source.skip}", data
        # Lines DuckDB rejected are missing from the table; later rows shift past them.
        first = 2 + source.skip
        starts = ", ".join(f"({r[0] - first - i}, {i + 1})" for i, r in enumerate(rejects))
        self.con.execute(
            f"CREATE OR REPLACE TEMP TABLE {self.name}_shift AS "  # noqa: S608
            f"SELECT * FROM (VALUES {starts}) v(start_at, shift)"
        )
        rows_from = (
            f"(SELECT rowid AS rid, * FROM {data}) d "  # noqa: S608
            f"ASOF LEFT JOIN {self.name}_shift s ON d.rid >= s.start_at"
        )
        return f"d.rid + {first} + coalesce(s.shift, 0)", rows_from

    def _bad_value_problems(
        self, row_expr: str, rows_from: str, columns: ColumnMapping
    ) -> list[InputProblem]:
        found = self.con.execute(
            f"SELECT {row_expr} AS row, _bad FROM {rows_from} "  # noqa: S608
            f"WHERE _bad IS NOT NULL ORDER BY row LIMIT {MAX_LISTED_PROBLEMS}"
        ).fetchall()
        problems: list[InputProblem] = []
        for row, bad in found:
            for part in str(bad).split("\x1f"):
                name, _, value = part.partition("\x1e")
                message = _bad_value_message(name)
                problems.append(InputProblem(int(row), columns.header_for(name), value, message))
        return problems


def _fields_to_load(
    columns: ColumnMapping, required: Sequence[str], fields: Iterable[str] | None
) -> tuple[str, ...]:
    wanted = set(columns.positions) if fields is None else set(fields) | set(required)
    return tuple(f for f in FIELDS if f in wanted and f in columns.positions)


def _select(source: _Source, columns: ColumnMapping, wanted: tuple[str, ...], name: str) -> str:
    shift = 1 if source.row_column else 0
    inner: list[str] = []
    outer: list[str] = []
    bad: list[tuple[str, str]] = []
    for f in wanted:
        raw = f"c{columns.positions[f] + shift}"
        ident = sql.quote_ident(f)
        if f in DATE_FIELDS:
            inner += [f"{sql.date_expr(raw)} AS {ident}", f"{raw} AS raw_{f}"]
            bad.append((f, sql.date_is_bad(f"raw_{f}", ident)))
        elif f in AMOUNT_FIELDS:
            inner += [f"{sql.amount_expr(raw)} AS {ident}", f"{raw} AS raw_{f}"]
            bad.append((f, sql.amount_is_bad(f"raw_{f}", ident)))
        else:
            inner.append(f"{sql.text_expr(raw)} AS {ident}")
        outer.append(ident)
    if source.row_column:
        inner.append(f"c0 AS {ROW_COLUMN}")
        outer.append(ROW_COLUMN)
    outer.append(_bad_expression(bad))
    return (
        f"SELECT {', '.join(outer)} FROM (SELECT {', '.join(inner)} FROM {_reader(source, name)})"  # noqa: S608
    )


def _typed_select(source: _Source, columns: ColumnMapping, wanted: tuple[str, ...]) -> str | None:
    """The typed reader's query, or None where only the validating path can read the file."""
    positions = [columns.positions[f] for f in wanted]
    if source.row_column or not wanted or len(set(positions)) < len(positions):
        return None
    types = ["VARCHAR"] * source.width
    selected: list[str] = []
    dates: list[str] = []
    for f, position in zip(wanted, positions, strict=True):
        raw, ident = f"c{position}", sql.quote_ident(f)
        if f in DATE_FIELDS:
            types[position] = "DATE"
            selected.append(f"{raw} AS {ident}")
            dates.append(
                f"{raw} NOT BETWEEN DATE '{sql.EARLIEST_DATE}' AND DATE '{sql.LATEST_DATE}'"
            )
        elif f in AMOUNT_FIELDS:
            types[position] = "DECIMAL(18, 2)"
            selected.append(f"{raw} AS {ident}")
        else:
            selected.append(f"{sql.text_expr(raw)} AS {ident}")
    # A date the validating path would refuse stops the typed read, so that path reports it.
    out_of_range = " OR ".join(dates) or "FALSE"
    selected.append(
        f"CAST(CASE WHEN {out_of_range} THEN error('ik: date out of range') END AS VARCHAR) AS _bad"
    )
    return f"SELECT {', '.join(selected)} FROM {_typed_reader(source, types)}"  # noqa: S608


def _typed_reader(source: _Source, types: Sequence[str]) -> str:
    # Swedish exports write "1 234,50"; a comma-separated file can only use a decimal point.
    if source.delimiter == ",":
        numbers = "decimal_separator='.'"
    else:
        numbers = "decimal_separator=',', thousands=' '"
    columns = ", ".join(f"'c{i}': '{t}'" for i, t in enumerate(types))
    return (
        f"read_csv({sql.quote_literal(str(source.path))}, auto_detect=false, header=true, "
        f"{_skip(source)}"
        f"delim={sql.quote_literal(source.delimiter)}, quote='\"', escape='\"', "
        f"columns={{{columns}}}, encoding={sql.quote_literal(source.encoding)}, {numbers}, "
        "max_line_size=4194304)"
    )


def _skip(source: _Source) -> str:
    # Only when there are title rows: naming `skip` at all stops DuckDB's parallel reader.
    return f"skip={source.skip}, " if source.skip else ""


def _bad_expression(bad: Sequence[tuple[str, str]]) -> str:
    if not bad:
        return "CAST(NULL AS VARCHAR) AS _bad"
    any_bad = " OR ".join(cond for _, cond in bad)
    parts = ", ".join(f"CASE WHEN {cond} THEN '{f}' || chr(30) || raw_{f} END" for f, cond in bad)
    return f"CASE WHEN {any_bad} THEN concat_ws(chr(31), {parts}) END AS _bad"


def _reader(source: _Source, name: str) -> str:
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(source.width))
    return (
        f"read_csv({sql.quote_literal(str(source.path))}, auto_detect=false, header=true, "
        f"{_skip(source)}"
        f"delim={sql.quote_literal(source.delimiter)}, quote='\"', escape='\"', "
        f"columns={{{columns}}}, encoding={sql.quote_literal(source.encoding)}, "
        f"ignore_errors=true, store_rejects=true, rejects_table='{name}_rejects', "
        f"rejects_scan='{name}_scan', max_line_size=4194304)"
    )


def transcode(source: Path, target: Path, encoding: str, chunk_size: int = 1 << 22) -> None:
    """Copy a text file as UTF-8; InputError with the line of the first unreadable byte."""
    decoder = codecs.getincrementaldecoder(encoding)()
    lines_before = 0
    with open(source, "rb") as src, open(target, "w", encoding="utf-8", newline="") as dst:
        while True:
            chunk = src.read(chunk_size)
            try:
                dst.write(decoder.decode(chunk, final=not chunk))
            except UnicodeDecodeError as exc:
                line = lines_before + chunk[: max(exc.start, 0)].count(b"\n") + 1
                raise InputError(
                    f"Filen {source.name} är varken UTF-8 eller Windows-1252: ett tecken på rad "
                    f"{line} kan inte läsas. Spara filen som UTF-8 och försök igen.",
                    row=line,
                ) from None
            if not chunk:
                return
            lines_before += chunk.count(b"\n")


def _as_cp1252(sniffed: SniffedFile) -> SniffedFile:
    return SniffedFile(sniffed.kind, "cp1252", sniffed.delimiter, sniffed.headers)


def _encoding_error(path: Path, rejects: Sequence[tuple[int, str, str, str]]) -> InputError:
    line = next(r[0] for r in rejects if r[1] == "INVALID ENCODING")
    return InputError(
        f"Filen {path.name} är varken UTF-8 eller Windows-1252: tecknen på rad {line} kan inte "
        "läsas. Spara filen som UTF-8 och försök igen.",
        row=line,
    )


def _duckdb_error(exc: duckdb.Error, path: Path) -> InputError:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return InputError(f"Filen {path.name} kunde inte läsas som CSV: {first}")


_COLUMN_COUNTS = re.compile(r"Expected Number of Columns: (\d+) Found: (\d+)")


def _reject_problem(reject: tuple[int, str, str, str]) -> InputProblem:
    line, kind, text, message = reject
    counts = _COLUMN_COUNTS.search(message)
    if counts:
        expected, found = counts.groups()
        why = f"raden har {found} kolumner men rubrikraden har {expected}"
    elif kind == "UNQUOTED VALUE":
        why = 'ett citattecken (") i raden är inte avslutat eller står fel'
    elif kind == "LINE SIZE OVER MAXIMUM":
        why = "raden är för lång; kontrollera citattecknen i raden ovanför"
    else:
        why = f"raden kan inte läsas som CSV ({kind.lower()})"
    return InputProblem(line, "", text[:200], why)


def _bad_value_message(name: str) -> str:
    if name in DATE_FIELDS:
        return (
            f"{FIELD_LABELS[name]} är inte ett datum (väntat t.ex. 2018-08-31, 20180831, "
            f"31/08/2018 eller ett Excel-datumnummer, mellan {sql.EARLIEST_DATE[:4]} och "
            f"{sql.LATEST_DATE[:4]})"
        )
    return f"{FIELD_LABELS[name]} är inte ett belopp (väntat t.ex. 1 234,50 eller -1234.50)"


def _refusal(problems: Sequence[InputProblem], count: int) -> InputError:
    first = problems[0]
    rows = f"{count} rader har fel" if count > 1 else "1 rad har fel"
    return InputError(
        f"{first.message[:1].upper()}{first.message[1:]}: {first.value!r}. {rows}, så filen "
        "lästes inte in. Rätta filen eller välj att hoppa över felaktiga rader.",
        row=first.row,
        column=first.column or None,
        problems=tuple(problems[:MAX_LISTED_PROBLEMS]),
    )
