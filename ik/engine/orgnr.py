"""Swedish organisation and personal identity numbers (organisationsnummer, personnummer)."""

from __future__ import annotations

import datetime as dt
import re

# Centuries a 12-digit form can start with: 16 for legal entities, 18-20 for people.
_CENTURIES = frozenset({"16", "18", "19", "20"})
_SEPARATORS = str.maketrans("", "", " -+\u00a0")


def normalise_identity_number(text: str) -> str | None:
    """The ten digits of a Swedish identity number, or None when the text is not one.

    Accepts "556012-5790", "5560125790", "16556012-5790" and "19121212+1212"; only the
    form is checked here, not the check digit.
    """
    digits = text.strip().translate(_SEPARATORS)
    if len(digits) == 12 and digits[:2] in _CENTURIES:
        digits = digits[2:]
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return None
    return digits


def luhn_ok(digits: str) -> bool:
    """Luhn (mod 10) check over a string of digits, weights 2,1,2,1… from the left."""
    total = 0
    for position, char in enumerate(digits):
        product = int(char) * (2 if position % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return total % 10 == 0


def is_valid_identity_number(text: str) -> bool:
    """True for a well-formed Swedish organisation or personal identity number.

    Ten digits after removing hyphens, plus signs and spaces (twelve with a century prefix,
    which is dropped), whose last digit is the Luhn check digit of the first nine. An all-zero
    number passes Luhn but identifies nobody and is refused.
    """
    digits = normalise_identity_number(text)
    return digits is not None and digits != "0" * 10 and luhn_ok(digits)


VALID = "valid"
MISSING = "missing_orgnr"
INVALID = "invalid_orgnr"
SEVERAL = "several_orgnr"
FOREIGN = "foreign_vat"
# What finance systems write when the number is not known.
_MISSING_WORDS = frozenset({"saknas", "null", "none", "n/a", "na", "-", "--", "?", "x", "ej"})
_EU_VAT = re.compile(r"^(?!SE)[A-Z]{2}[0-9A-Z]{2,13}$")
_SWEDISH_VAT = re.compile(r"^SE([0-9]{10})01$")
_LIST_SEPARATORS = re.compile(r"\s*(?:[,;/&|]|\s\s+|\boch\b|\n)\s*", re.IGNORECASE)


def _date_ok(digits: str, century: str | None) -> bool:
    """True when YYMMDD is a date (day + 60 for a samordningsnummer) in some century."""
    month, day = int(digits[2:4]), int(digits[4:6])
    if day > 60:
        day -= 60
    for prefix in (century,) if century else ("19", "20", "18"):
        try:
            dt.date(int(prefix + digits[:2]), month, day)
        except ValueError:
            continue
        return True
    return False


def _swedish_kind(text: str) -> str:
    compact = text.strip().translate(_SEPARATORS)
    century = compact[:2] if len(compact) == 12 and compact[:2] in _CENTURIES else None
    digits = normalise_identity_number(text)
    if digits is None or digits == "0" * 10 or not luhn_ok(digits):
        return INVALID
    # A third digit of 2 or more marks a legal entity; otherwise it is a personal number,
    # whose first six digits must be a date.
    if int(digits[2]) < 2 and century != "16" and not _date_ok(digits, century):
        return INVALID
    return VALID


def classify_identity_number(text: str | None) -> str:
    """The kind of a supplier's number as written: every cell gets exactly one kind.

    `missing_orgnr` for empty cells and placeholders (SAKNAS, NULL, "-", 0); `foreign_vat` for
    an EU VAT number of another country (DK12345678); `several_orgnr` for more than one number
    in the cell; `invalid_orgnr` for a Swedish number with a wrong check digit, or a personal
    number whose date does not exist; else `valid`. A Swedish VAT number (SE…01) is read as
    the organisation number inside it.
    """
    if text is None:
        return MISSING
    cell = text.strip()
    if not cell or cell.casefold() in _MISSING_WORDS or set(cell) <= set("0-. "):
        return MISSING
    parts = [p for p in _LIST_SEPARATORS.split(cell) if sum(c.isdigit() for c in p) >= 6]
    if len(parts) >= 2:
        return SEVERAL
    compact = re.sub(r"[\s.\-]", "", cell).upper()
    swedish_vat = _SWEDISH_VAT.match(compact)
    if swedish_vat:
        return _swedish_kind(swedish_vat.group(1))
    if _EU_VAT.match(compact) and any(c.isdigit() for c in compact):
        return FOREIGN
    return _swedish_kind(cell)
