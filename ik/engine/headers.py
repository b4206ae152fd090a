"""The one way column headers are compared: case, spacing, punctuation and å/ä/ö folded away."""

from __future__ import annotations

import re
import unicodedata

_FOLD = str.maketrans(
    {"å": "a", "ä": "a", "ö": "o", "é": "e", "è": "e", "ü": "u", "æ": "a", "ø": "o"}
)
_SEPARATORS = re.compile(r"[^0-9a-z]+")


def normalise_header(header: str) -> str:
    """`Förfallo datum`, `FORFALLO_DATUM` and `förfallo-datum` all become `forfallo_datum`.

    Also `Beror på` -> `beror_pa` and `RTO (timmar)` -> `rto_timmar`; a byte-order mark and
    surrounding spaces are dropped.
    """
    text = unicodedata.normalize("NFC", header.replace("\ufeff", "")).strip().casefold()
    return _SEPARATORS.sub("_", text.translate(_FOLD)).strip("_")
