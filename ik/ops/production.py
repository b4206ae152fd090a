"""What "development settings" means, so the production server can refuse them."""

from __future__ import annotations

from typing import Any

# The fallback key ik/settings.py uses when IK_SECRET_KEY is missing in development.
DEVELOPMENT_SECRET_KEY = "development-only-not-secret"  # noqa: S105
MIN_SECRET_KEY_LENGTH = 50


def development_settings(settings: Any) -> list[str]:
    """The reasons, in Swedish, why these settings are for development and not for serving.

    Development means any of: IK_DEBUG on (Django's error pages show settings and source),
    IK_DEVELOPMENT not 0 (static files from the source tree, cookies without Secure), or no
    real IK_SECRET_KEY (missing, the development key, or shorter than 50 characters).
    """
    reasons = []
    if settings.DEBUG:
        reasons.append("IK_DEBUG är på (Djangos felsidor visar inställningar och källkod)")
    if settings.STATIC_ROOT is None:
        reasons.append("IK_DEVELOPMENT är inte 0")
    key = settings.SECRET_KEY
    if key == DEVELOPMENT_SECRET_KEY or len(key) < MIN_SECRET_KEY_LENGTH:
        reasons.append(f"IK_SECRET_KEY saknas eller är kortare än {MIN_SECRET_KEY_LENGTH} tecken")
    return reasons


def refusal_message(reasons: list[str]) -> str:
    listed = "".join(f"\n  – {reason}" for reason in reasons)
    return (
        "Produktionsservern startar inte med utvecklingsinställningar:"
        f"{listed}\nSätt miljövariablerna enligt README, avsnittet ”Drift”."
    )
