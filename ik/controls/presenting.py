"""Turning a stored control result into rows a person can read on the result page."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ik.engine.controls.registry import COLUMN_LABELS, DETAIL_LABELS, FINDING_KINDS
from ik.lib.swedish import format_amount, format_decimal, format_percent

HIDDEN = {"findings_shown"}
# Keys of a detail that is a mapping (rows per kind …) that are not finding kinds.
MAPPING_KEYS = {"valid": "Giltigt nummer"}


def _key_label(key: str) -> str:
    return FINDING_KINDS.get(key) or MAPPING_KEYS.get(key) or DETAIL_LABELS.get(key, key)


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
        # "Belopp per slag": each kind by its name, each amount as an amount.
        return ", ".join(f"{_key_label(str(k))}: {_format(key, v)}" for k, v in value.items())
    return {";": "semikolon", ",": "komma", "\t": "tabb"}.get(str(value), str(value))


def detail_rows(details: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Scalar and simple-list details as (label, text)."""
    rows = []
    for key, value in details.items():
        if key in HIDDEN or (isinstance(value, list) and value and isinstance(value[0], dict)):
            continue
        rows.append((DETAIL_LABELS.get(key, key), _format(key, value)))
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
                "caption": DETAIL_LABELS.get(key, key),
                "headers": [COLUMN_LABELS.get(c, c) for c in columns],
                "rows": rows,
            }
        )
    return tables


def unit_columns(keys: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """A control's extra unit figures (`ControlSpec.unit_columns`): headers and cells per row."""
    return {
        "headers": [COLUMN_LABELS.get(k, k) for k in keys],
        "cells": [[_format(k, row.get(k)) for k in keys] for row in rows],
    }


def unit_label(code: str, unit_names: Mapping[str, str]) -> str:
    """ "11 Ekonomiska avdelningen" when the ledger's unit code is a known unit."""
    name = unit_names.get(code)
    return f"{code} {name}" if name and name != code else code
