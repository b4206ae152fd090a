"""Swedish number and date conventions: reading what people type, writing what they read."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
# Short forms as committee tables write them ("31 aug 2018"); the short months in full.
MONTHS_SHORT = (
    "jan",
    "feb",
    "mars",
    "apr",
    "maj",
    "juni",
    "juli",
    "aug",
    "sep",
    "okt",
    "nov",
    "dec",
)

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


def parse_decimal(text: str, *, allow_unit: str | None = None) -> Decimal:
    """Read "8,5", "8.5", "1 234,50" or, with `allow_unit="%"`, "8,5 %" as a Decimal.

    Raises ValueError with a Swedish message when the text is not a number.
    """
    cleaned = _SPACES.sub("", text.strip())
    if allow_unit and cleaned.endswith(allow_unit):
        cleaned = cleaned[: -len(allow_unit)]
    cleaned = cleaned.replace("\u2212", "-")
    if not _NUMBER.match(cleaned):
        raise ValueError(f"”{text.strip()}” är inte ett tal. Skriv till exempel 8,5.")
    try:
        return Decimal(cleaned.replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"”{text.strip()}” är inte ett tal. Skriv till exempel 8,5.") from None


def format_decimal(value: Decimal | float | int, places: int | None = None) -> str:
    """8.5 → "8,5"; 1234.5 → "1 234,5" with a no-break space between thousands."""
    number = Decimal(str(value))
    if places is not None:
        number = round(number, places)
    else:
        number = number.normalize() if number == number.to_integral() else number
        if number == number.to_integral():
            number = number.quantize(Decimal(1))
    sign = "-" if number < 0 else ""
    text = f"{abs(number):f}"
    whole, _, fraction = text.partition(".")
    if places is None:
        fraction = fraction.rstrip("0")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = "\u00a0".join(groups)
    return f"{sign}{out},{fraction}" if fraction else f"{sign}{out}"


def format_measure(value: Decimal | float | int | None, unit: str = "") -> str:
    """A measured value with its unit, "8 %" or "12 dagar"; blank when there is none."""
    if value is None:
        return ""
    number = format_decimal(value)
    return f"{number}\u00a0{unit}" if unit else number


def format_date_long(day: date | None) -> str:
    """2018-08-31 → "31 augusti 2018", as Swedish prose writes dates."""
    if day is None:
        return ""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def format_date_short(day: date | None) -> str:
    """2018-08-31 → "31 aug 2018"."""
    if day is None:
        return ""
    return f"{day.day} {MONTHS_SHORT[day.month - 1]} {day.year}"


def format_date_compact(day: date | None) -> str:
    """2018-08-31 → "180831", the form committee tables use in column headings."""
    return "" if day is None else day.strftime("%y%m%d")


_SWEDISH_ORDER = "abcdefghijklmnopqrstuvwxyzåäö"


def sort_key(text: str) -> tuple[tuple[int, str], ...]:
    """Sort key placing å, ä, ö after z, and ü with y, é with e, as Swedish lists do."""
    folded = text.casefold().replace("é", "e").replace("ü", "y").replace("w", "v")
    return tuple(
        (_SWEDISH_ORDER.index(ch), ch) if ch in _SWEDISH_ORDER else (-1, ch) for ch in folded
    )
