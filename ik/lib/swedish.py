"""Swedish presentation, the one place for it: numbers, percentages, amounts, hours, dates,
sort order and the grön/gul/röd labels, read and written the same way on pages, in documents,
in exports and in the engine's messages."""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

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


NBSP = "\u00a0"
_ROUND = ROUND_HALF_UP
_STEPS = {places: Decimal(1).scaleb(-places) for places in range(5)}


def format_decimal(value: Decimal | float | int | None, places: int | None = None) -> str:
    """8.5 → "8,5"; 1234.5 → "1 234,5"; blank for None.

    Every number of four digits or more groups its thousands with a no-break space, so a
    figure never wraps and reads the same on the page, in the documents and in exports.
    Without `places` every decimal the value carries is shown (trailing zeros dropped): a
    measured 0,125 stays 0,125. With `places` the value is rounded half up to exactly that
    many decimals, for figures computed from others (shares, averages, amounts in öre).
    """
    if value is None:
        return ""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if places is not None:
        number = number.quantize(_STEPS.get(places) or Decimal(1).scaleb(-places), rounding=_ROUND)
    if not number:
        number = abs(number)  # no "-0,00"
    # Python groups with "," and marks decimals with "."; a late-payment run formats
    # hundreds of thousands of amounts, so this stays one format call and two replaces.
    whole, _, fraction = f"{number:,f}".partition(".")
    if places is None:
        fraction = fraction.rstrip("0")
    whole = whole.replace(",", NBSP)
    return f"{whole},{fraction}" if fraction else whole


def format_measure(value: Decimal | float | int | None, unit: str = "") -> str:
    """A measured value with its unit, "8 %" or "12 dagar"; blank when there is none."""
    if value is None:
        return ""
    number = format_decimal(value)
    return f"{number}{NBSP}{unit}" if unit else number


def format_percent(fraction: Decimal | float | None, places: int | None = 1) -> str:
    """A share as a percentage: 0.0793 → "7,9 %"; with places=None 0.025 → "2,5 %"."""
    if fraction is None:
        return ""
    return f"{format_decimal(Decimal(str(fraction)) * 100, places)}{NBSP}%"


def format_amount(value: Decimal | float | int | None) -> str:
    """An amount in kronor with öre: 1234.5 → "1 234,50 kr"."""
    if value is None:
        return ""
    return f"{format_decimal(value, 2)}{NBSP}kr"


def format_amount_sql(value: str) -> str:
    """`format_amount` as a DuckDB expression on a DECIMAL column, NULL for NULL.

    A control listing every late invoice of a ten-million-row ledger formats hundreds of
    thousands of amounts; the database does that in parallel while Python would take seconds.
    The amount is rounded to öre half away from zero (as DuckDB casts a decimal to an integer),
    as `format_amount` rounds half up. Amounts under a trillion kronor take 64-bit integers;
    DuckDB formats 128-bit ones twenty times slower.
    """
    small = _ore_sql(f"CAST({value} * 100 AS BIGINT)")
    large = _ore_sql(f"CAST(CAST({value} AS DECIMAL(38, 2)) * 100 AS HUGEINT)")
    return f"CASE WHEN abs({value}) < 1000000000000 THEN {small} ELSE {large} END"


def _ore_sql(ore: str) -> str:
    return (
        f"CASE WHEN {ore} < 0 THEN '-' ELSE '' END "
        f"|| replace(format('{{:,}}', abs({ore}) // 100), ',', chr(160)) "
        f"|| ',' || lpad(CAST(abs({ore}) % 100 AS VARCHAR), 2, '0') || chr(160) || 'kr'"
    )


def format_hours(hours: Decimal | float | None) -> str:
    """Hours to at most two decimals (under a minute), as the register stores them: "1,5"."""
    if hours is None:
        return ""
    return format_decimal(Decimal(str(hours)).quantize(Decimal("0.01"), rounding=_ROUND))


def format_duration_minutes(minutes: int) -> str:
    """A whole number of minutes as a reader says it: "8 timmar", "1 timme 30 minuter"."""
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} {'timme' if hours == 1 else 'timmar'}")
    if rest or not hours:
        parts.append(f"{rest} {'minut' if rest == 1 else 'minuter'}")
    return " ".join(parts)


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


def format_date_iso(day: date | None) -> str:
    """2018-08-31 → "2018-08-31", the form tables and registers use; blank when missing."""
    return "" if day is None else day.isoformat()


# Swedish collation: å, ä, ö follow z (mapped to the three characters after z in ASCII),
# æ and ø sort as ä and ö, other accented letters as their base letter and ü as y.
_COLLATE = str.maketrans(
    {
        "å": "{",
        "ä": "|",
        "æ": "|",
        "ö": "}",
        "ø": "}",
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
        "ß": "ss",
    }
)


def sort_key(text: str) -> tuple[str, str]:
    """Sort key placing å, ä, ö after z and ignoring case and accents, as Swedish lists do.

    The exact text breaks ties, so equal-looking names still sort the same way every time.
    """
    folded = text.casefold()
    # translate() with a mapping is slow per character; most names are plain ASCII.
    return (folded if folded.isascii() else folded.translate(_COLLATE)), text


# The traffic-light assessment (Verdict in the engine, Assessment on a follow-up entry).
VERDICT_LABELS = {"green": "Grön", "yellow": "Gul", "red": "Röd"}
VERDICT_MEANINGS = {
    "green": "utan anmärkning",
    "yellow": "mindre avvikelse",
    "red": "väsentlig avvikelse",
}
UNASSESSED_LABEL = "Ej bedömd"


def verdict_label(value: str | None) -> str:
    """ "green" → "Grön", "yellow" → "Gul", "red" → "Röd"; no verdict → "Ej bedömd"."""
    return VERDICT_LABELS.get(value or "", UNASSESSED_LABEL)


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


def join_swedish(parts: list[str]) -> str:
    """Join as "a", "a och b" or "a, b och c"."""
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} och {parts[-1]}"


def count_noun(count: int, singular: str, plural: str) -> str:
    """3, "öppen åtgärd", "öppna åtgärder" → "3 öppna åtgärder"; 1 → "1 öppen åtgärd".

    Swedish takes the singular for exactly one (also −1) and the plural otherwise, 0 included.
    """
    return f"{format_decimal(count)} {singular if abs(count) == 1 else plural}"
