"""Deviations raised by automated controls before they were named in Swedish carried the
internal name ("Automatisk kontroll (late_payments): …") to the committee."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from ik.engine.controls.registry import CONTROLS


def _prefix(name: str) -> str:
    return f"Automatisk kontroll ({name})"


def relabel_automatic_deviations(deviation_model: Any) -> int:
    """Give stored deviations the control's label instead of its internal name; returns how
    many changed. Takes the model so that a migration can pass its historical one."""
    query = Q()
    for name in CONTROLS:
        query |= Q(description__startswith=_prefix(name))
    changed = 0
    for deviation in deviation_model.objects.filter(query).only("id", "description"):
        name = next(n for n in CONTROLS if deviation.description.startswith(_prefix(n)))
        rest = deviation.description[len(_prefix(name)) :]
        deviation.description = _prefix(CONTROLS[name].label) + rest
        deviation.save(update_fields=["description"])
        changed += 1
    return changed
