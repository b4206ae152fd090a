"""Swedish organisation and personal identity numbers (organisationsnummer, personnummer)."""

from __future__ import annotations

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
