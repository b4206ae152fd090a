"""Swedish formatting for committee documents: dates, numbers, genitives and sorting."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ik.lib import swedish

# Dates follow the project's one set of Swedish conventions (ik.lib.swedish).
MONTHS = swedish.MONTHS
MONTHS_SHORT = swedish.MONTHS_SHORT
date_long = swedish.format_date_long
date_short = swedish.format_date_short
date_compact = swedish.format_date_compact

# Swedish collation: å, ä, ö follow z; accented letters sort as their base letter, and
# ü sorts as y.
_ALPHABET = " -0123456789abcdefghijklmnopqrstuvwxyzåäö"
_FOLD = str.maketrans(
    {
        "é": "e",
        "è": "e",
        "ê": "e",
        "ë": "e",
        "á": "a",
        "à": "a",
        "â": "a",
        "ü": "y",
        "í": "i",
        "ì": "i",
        "ó": "o",
        "ò": "o",
        "ô": "o",
        "ç": "c",
        "ñ": "n",
        "æ": "ä",
        "ø": "ö",
        "ß": "s",
    }
)
_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}


def date_iso(value: dt.date | None) -> str:
    """Gives "2018-08-31" for tables; blank for a missing date."""
    return value.isoformat() if value is not None else ""


def format_number(value: Decimal | float | int | None, max_decimals: int = 2) -> str:
    """Decimal comma, space between thousands, no trailing zeros: "8,5", "12 345"."""
    if value is None:
        return ""
    number = Decimal(str(value)).quantize(Decimal(1).scaleb(-max_decimals))
    sign = "-" if number < 0 else ""
    text = f"{abs(number):f}"
    whole, _, fraction = text.partition(".")
    fraction = fraction.rstrip("0")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    grouped = " ".join(groups) if len("".join(groups)) > 4 else "".join(groups)
    return f"{sign}{grouped},{fraction}" if fraction else f"{sign}{grouped}"


def format_measure(value: Decimal | float | int | None, unit: str) -> str:
    """A number with its unit: "8 %", "8,5 %", "12 dagar"."""
    if value is None:
        return ""
    number = format_number(value)
    return f"{number} {unit}".strip() if unit else number


def genitive(name: str) -> str:
    """Genitive: "Kommunstyrelsens förvaltning" -> "Kommunstyrelsens förvaltnings".

    Swedish adds -s, except after s, x and z where the form stays unchanged.
    """
    name = name.strip()
    if not name or name[-1].lower() in "sxz":
        return name
    return f"{name}s"


def lower_first(text: str) -> str:
    """Lower-case the first letter, as a name reads inside a sentence."""
    return text[:1].lower() + text[1:]


def swedish_sort_key(text: str) -> tuple[tuple[int, ...], str]:
    """Sort key putting å, ä, ö after z and ignoring case and accents."""
    folded = text.casefold().translate(_FOLD)
    return tuple(_RANK.get(ch, len(_ALPHABET) + ord(ch)) for ch in folded), text


def join_swedish(parts: list[str]) -> str:
    """Join as "a", "a och b" or "a, b och c"."""
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} och {parts[-1]}"
