"""The contract register (avtalsregister): which suppliers the organisation has contracts with.

Read with `ik.engine.tables` (CSV or XLSX, loose headers, rows counted from the header):
    leverantor; orgnr; avtal_id; titel; kategori; giltig_fran; giltig_till; ramavtal
Required: leverantor, avtal_id and giltig_fran. giltig_till may be empty: the contract runs
until further notice (tillsvidare). Dates are written 2018-08-31 or 20180831 (an Excel date
cell works too). ramavtal is ja/nej. orgnr is a Swedish organisation number (with or without
hyphen, century or SE…01 VAT form) or an EU VAT number; it is stored as its key (ten digits,
or the VAT number without spaces), which is also how ledger rows are matched to contracts.
A contract with several suppliers (a framework agreement with ranked suppliers) has one row
per supplier under the same avtal_id.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ik.engine.errors import InputProblem
from ik.engine.orgnr import FOREIGN, MISSING, VALID, classify_identity_number
from ik.engine.register_tables import (
    CellError,
    Source,
    Table,
    csv_bytes,
    parse_bool,
    parsed,
    raise_problems,
    read_table,
    xlsx_bytes,
)

SUPPLIER_LENGTH = 200
ID_LENGTH = 100
TEXT_LENGTH = 200


@dataclass(frozen=True, slots=True)
class Contract:
    """One supplier's part of a contract. `row` is where it was read, for messages only."""

    supplier: str
    contract_id: str
    valid_from: dt.date
    valid_to: dt.date | None = None  # None: until further notice
    orgnr: str = ""  # the key from `orgnr_key`, "" when not known
    title: str = ""
    category: str = ""
    framework: bool = False
    row: int | None = field(default=None, compare=False)

    def valid_on(self, day: dt.date) -> bool:
        """In force on `day`, both end days included."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def supplier_key(name: str) -> str:
    """The form in which supplier names are compared: case and spacing ignored."""
    return " ".join(name.split()).casefold()


_SWEDISH_VAT = re.compile(r"^SE([0-9]{10})01$")
_CENTURY = re.compile(r"^(16|18|19|20)([0-9]{10})$")


def orgnr_key(text: str | None) -> str | None:
    """The key a supplier's number is matched by, or None when the cell holds no usable number.

    A Swedish organisation or personal number becomes its ten digits ("556012-5790",
    "16556012-5790" and "SE556012579001" are all "5560125790"); an EU VAT number of another
    country is kept without spaces or punctuation, in capitals. Empty, invalid or several
    numbers give None, so such rows are matched by the supplier's name instead.
    """
    kind = classify_identity_number(text)
    if kind not in (VALID, FOREIGN) or text is None:
        return None
    compact = re.sub(r"[^0-9A-Za-z]", "", text).upper()
    if kind == FOREIGN:
        return compact
    vat = _SWEDISH_VAT.match(compact)
    if vat:
        return vat.group(1)
    century = _CENTURY.match(compact)
    return century.group(2) if century else compact


def parse_date(text: str) -> dt.date:
    """2018-08-31, 20180831 or 2018-08-31 00:00:00 (midnight, as some exports write a date)."""
    cleaned = text.strip()
    if cleaned.endswith(" 00:00:00"):
        cleaned = cleaned[:-9]
    try:
        if re.fullmatch(r"[0-9]{8}", cleaned):
            return dt.date(int(cleaned[:4]), int(cleaned[4:6]), int(cleaned[6:]))
        return dt.date.fromisoformat(cleaned)
    except ValueError:
        raise ValueError("Datumet kan inte läsas (skriv t.ex. 2018-08-31)") from None


def _optional_date(text: str) -> dt.date | None:
    return parse_date(text) if text.strip() else None


CONTRACT_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "leverantor": ("leverantorsnamn", "leverantor_namn", "supplier", "motpart", "foretag"),
    "orgnr": (
        "org_nr",
        "organisationsnummer",
        "organisationsnr",
        "leverantor_id",
        "leverantorens_orgnr",
        "momsnr",
    ),
    "avtal_id": ("avtalsnummer", "avtalsnr", "avtals_id", "avtalsid", "avtal", "contract_id"),
    "titel": ("avtalsnamn", "benamning", "avtalstitel", "beskrivning", "title"),
    "kategori": ("avtalskategori", "avtalsomrade", "omrade", "category"),
    "giltig_fran": (
        "giltigt_fran",
        "giltig_from",
        "fran",
        "from",
        "startdatum",
        "avtalsstart",
        "start",
    ),
    "giltig_till": (
        "giltigt_till",
        "giltig_tom",
        "till",
        "tom",
        "slutdatum",
        "avtalsslut",
        "slut",
    ),
    "ramavtal": ("ar_ramavtal", "framework"),
}
_REQUIRED = ("leverantor", "avtal_id", "giltig_fran")


def read_contracts(source: Source) -> tuple[Contract, ...]:
    """Read a contract register; InputError naming every bad row and column.

    Refused: an empty supplier or contract id, an unreadable date, an end before the start,
    an organisation number that is invalid or holds several numbers, a text over its
    length, and the same supplier twice under one contract id.
    """
    table = read_table(source, CONTRACT_COLUMNS, _REQUIRED)
    problems: list[InputProblem] = []
    contracts: list[Contract] = []
    seen: dict[tuple[str, str], int] = {}
    for row, cells in table.rows:
        try:
            contract = _contract_from_row(table, row, cells)
        except CellError as exc:
            problems.append(InputProblem(row, exc.column, exc.value, exc.reason))
            continue
        key = (contract.contract_id.casefold(), contract.orgnr or supplier_key(contract.supplier))
        if key in seen:
            problems.append(
                InputProblem(
                    row,
                    "leverantor",
                    contract.supplier,
                    f"Leverantören finns redan under avtal {contract.contract_id} på rad "
                    f"{seen[key]}",
                )
            )
            continue
        seen[key] = row
        contracts.append(contract)
    raise_problems(problems, table.name)
    return tuple(contracts)


def _text(table: Table, cells: tuple[str, ...], column: str, limit: int) -> str:
    value = " ".join(table.get(cells, column).split())
    if len(value) > limit:
        raise CellError(column, value, f"Texten är för lång (högst {limit} tecken)")
    return value


def contract_orgnr(text: str) -> str:
    """A register cell's number as its key, "" for an empty cell; ValueError (in Swedish) for
    a number that is not valid."""
    if classify_identity_number(text) == MISSING:
        return ""
    key = orgnr_key(text)
    if key is None:
        raise ValueError(
            "Organisationsnumret är inte giltigt (kontrollsiffran stämmer inte, "
            "eller cellen har flera nummer)"
        )
    return key


def _contract_from_row(table: Table, row: int, cells: tuple[str, ...]) -> Contract:
    supplier = _text(table, cells, "leverantor", SUPPLIER_LENGTH)
    if not supplier:
        raise CellError("leverantor", "", "Leverantör saknas")
    contract_id = _text(table, cells, "avtal_id", ID_LENGTH)
    if not contract_id:
        raise CellError("avtal_id", "", "Avtals-id saknas")
    valid_from = parsed(table, cells, "giltig_fran", parse_date)
    valid_to = parsed(table, cells, "giltig_till", _optional_date)
    if valid_to is not None and valid_to < valid_from:
        raise CellError(
            "giltig_till",
            table.get(cells, "giltig_till"),
            f"Avtalet slutar före det börjar ({valid_from.isoformat()})",
        )
    return Contract(
        supplier=supplier,
        contract_id=contract_id,
        valid_from=valid_from,
        valid_to=valid_to,
        orgnr=parsed(table, cells, "orgnr", contract_orgnr),
        title=_text(table, cells, "titel", TEXT_LENGTH),
        category=_text(table, cells, "kategori", TEXT_LENGTH),
        framework=parsed(table, cells, "ramavtal", parse_bool),
        row=row,
    )


# --- writers: what the web app exports reads back unchanged ---------------------------------

CONTRACT_HEADER = (
    "leverantor",
    "orgnr",
    "avtal_id",
    "titel",
    "kategori",
    "giltig_fran",
    "giltig_till",
    "ramavtal",
)


def format_orgnr(key: str) -> str:
    """A Swedish key as 556012-5790; other keys (VAT numbers) as they are."""
    return f"{key[:6]}-{key[6:]}" if len(key) == 10 and key.isdigit() else key


def _cells(contract: Contract) -> list[str]:
    return [
        contract.supplier,
        format_orgnr(contract.orgnr),
        contract.contract_id,
        contract.title,
        contract.category,
        contract.valid_from.isoformat(),
        contract.valid_to.isoformat() if contract.valid_to else "",
        "ja" if contract.framework else "nej",
    ]


def contracts_to_csv(contracts: Iterable[Contract]) -> bytes:
    """The register as semicolon-separated UTF-8 (with BOM) that `read_contracts` reads."""
    return csv_bytes(CONTRACT_HEADER, (_cells(c) for c in contracts))


def contracts_to_xlsx(contracts: Iterable[Contract]) -> bytes:
    """The register as an XLSX workbook that `read_contracts` reads."""
    return xlsx_bytes("Avtal", CONTRACT_HEADER, (_cells(c) for c in contracts))
