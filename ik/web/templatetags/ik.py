from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from django import template

from ik.engine.controls.registry import finding_kind_label
from ik.lib import swedish

register = template.Library()


@register.filter
def sv_number(value: Decimal | float | None) -> str:
    return "" if value == "" else swedish.format_decimal(value)


@register.filter
def sv_measure(value: Decimal | float | None, unit: str = "") -> str:
    return swedish.format_measure(value, unit)


@register.filter
def sv_date(value: date | None) -> str:
    return swedish.format_date_long(value)


@register.filter
def yymmdd(value: date | None) -> str:
    return swedish.format_date_compact(value)


@register.inclusion_tag("includes/badge.html")
def assessment(value: str, long: bool = False) -> dict[str, Any]:
    """The grön/gul/röd badge of an assessment; `long` adds the words for what it means."""
    text = swedish.verdict_label(value)
    if long and value in swedish.VERDICT_MEANINGS:
        text = f"{text} – {swedish.VERDICT_MEANINGS[value]}"
    return {"tone": value if value in swedish.VERDICT_MEANINGS else "", "text": text}


@register.filter
def sv_count(count: int, forms: str) -> str:
    """`{{ n|sv_count:"öppen åtgärd,öppna åtgärder" }}` → "1 öppen åtgärd", "2 öppna åtgärder"."""
    singular, _, plural = forms.partition(",")
    return swedish.count_noun(int(count), singular, plural or singular)


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key, "")


@register.filter
def sv_percent(value: float | None) -> str:
    """A share 0.0793 as "7,9 %"."""
    return swedish.format_percent(value)


@register.filter
def unit_count(unit: dict[str, Any], result: dict[str, Any]) -> str:
    """The control's own count in a by-unit row (late, duplicates …), by the result's name."""
    value = unit.get(result.get("count_name", "count"))
    return swedish.format_decimal(value) if isinstance(value, int | float) else ""


@register.filter
def pretty_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, default=str)


@register.filter
def finding_kind(kind: str) -> str:
    return finding_kind_label(kind)
