"""Loads every registered control so `runcontrol` and the pages see the same list."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module
from typing import Any

from django.core.management.base import CommandError

from ik.controls.registry import REGISTRY, ControlCommand
from ik.engine.result import ControlResult

ADAPTERS = ("ik.controls.cli_ledger", "ik.controls.cli_continuity")


def _load() -> None:
    # Importing the adapter modules registers their controls.
    for module in ADAPTERS:
        import_module(module)


def all_controls() -> list[ControlCommand]:
    _load()
    return [REGISTRY[name] for name in sorted(REGISTRY)]


def get(name: str) -> ControlCommand:
    _load()
    try:
        return REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(REGISTRY))
        raise CommandError(f"Okänd kontroll {name!r}. Tillgängliga: {known}") from None


def attach(result: ControlResult, target: str, options: Mapping[str, Any]) -> None:
    """Store a result as evidence on a follow-up entry ("<nämnd>/<år>/<brytdatum>/<moment>")."""
    from ik.controls.services import control_run_attach_by_path

    control_run_attach_by_path(result=result, path=target, options=options)
