"""Turning a stored control result into rows a person can read on the result page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ik.lib.swedish import format_amount, format_decimal, format_percent

LABELS = {
    "file_format": "Filformat",
    "encoding": "Teckenkodning",
    "delimiter": "Avgränsare",
    "period": "Period (betaldatum)",
    "rows_in_period": "Rader i perioden",
    "paid": "Betalda fakturor",
    "late": "Betalda efter förfallodagen",
    "amount_share": "Andel av betalt belopp som betalades sent",
    "paid_amount": "Betalt belopp",
    "late_amount": "Sent betalt belopp",
    "days_late_median": "Dagar sent, median",
    "days_late_p90": "Dagar sent, 90:e percentilen",
    "interest_rate_percent": "Dröjsmålsränta (%)",
    "interest_cost": "Uppskattad dröjsmålsränta",
    "credit_notes": "Kreditfakturor (räknas inte)",
    "unpaid": "Obetalda fakturor (räknas inte)",
    "paid_without_due_date": "Betalda utan förfallodatum (räknas inte)",
    "worst_units": "Enheter med flest sena betalningar",
    "worst_suppliers": "Leverantörer med flest sena betalningar",
    "findings_total": "Fynd totalt",
    "findings_shown": "Fynd som visas",
    "proposed_order": "Föreslagen uppstartsordning",
    "not_orderable": "System som inte kan ordnas (cykel)",
    "other_units": "Deltagare från enheter utanför listan",
}
COLUMN_LABELS = {
    "unit": "Enhet",
    "supplier": "Leverantör",
    "late": "Sena",
    "paid": "Betalda",
    "late_amount": "Sent belopp",
    "days_median": "Dagar sent, median",
    "n": "Antal",
}
HIDDEN = {"findings_shown"}


def _format(key: str, value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, int | float):
        if "share" in key:
            return format_percent(value)
        if "amount" in key or "cost" in key:
            return format_amount(value)
        return format_decimal(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return {";": "semikolon", ",": "komma", "\t": "tabb"}.get(str(value), str(value))


def detail_rows(details: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Scalar and simple-list details as (label, text)."""
    rows = []
    for key, value in details.items():
        if key in HIDDEN or (isinstance(value, list) and value and isinstance(value[0], dict)):
            continue
        rows.append((LABELS.get(key, key), _format(key, value)))
    return rows


def detail_tables(
    details: Mapping[str, Any], unit_names: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Lists of records (worst units, worst suppliers …) as small tables."""
    tables = []
    for key, value in details.items():
        if not (isinstance(value, list) and value and isinstance(value[0], dict)):
            continue
        columns = list(value[0])
        rows = [
            [
                unit_label(str(row.get(c, "")), unit_names)
                if c == "unit"
                else _format(c, row.get(c))
                for c in columns
            ]
            for row in value
        ]
        tables.append(
            {
                "key": key,
                "caption": LABELS.get(key, key),
                "headers": [COLUMN_LABELS.get(c, c) for c in columns],
                "rows": rows,
            }
        )
    return tables


def unit_label(code: str, unit_names: Mapping[str, str]) -> str:
    """ "11 Ekonomiska avdelningen" when the ledger's unit code is a known unit."""
    name = unit_names.get(code)
    return f"{code} {name}" if name and name != code else code


FINDING_KINDS = {
    "late_payment": "Sen betalning",
    "duplicate": "Möjlig dubbelbetalning",
    "missing_orgnr": "Nummer saknas",
    "invalid_orgnr": "Ogiltigt nummer",
    "account_posting": "Kontering",
    "cycle": "Cykel",
    "priority_before_dependency": "Startar före beroende",
    "unknown_dependency": "Okänt beroende",
    "order_violation": "Fel ordning",
    "priority_violation": "Avviker från prioritet",
    "rto_exceeded": "Återställningsmål överskridet",
    "not_recovered": "Kom inte upp",
    "single_point_of_failure": "Bara en person",
    "key_person": "Nyckelperson",
    "no_alarm": "Larm saknas",
    "no_recipient": "Larmmottagare saknas",
    "no_alert_rule": "Larmregel saknas",
    "missing_participant": "Deltog inte",
    "skipped_row": "Överhoppad rad",
}


def finding_kind_label(kind: str) -> str:
    return FINDING_KINDS.get(kind, kind)
