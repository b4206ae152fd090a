"""Which rows belong to one organisation, found by walking foreign keys to Organisation.

Every concrete model of an `ik.*` app takes part without being listed: its rows belong to an
organisation when a chain of foreign keys leads there (shortest chain of required keys
first). Models tied only to a user (personal preferences) follow the exported users.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

from ik.org.models import Organisation

Model = type[models.Model]

# Rows that belong to the running instance rather than to an organisation: not exported.
INSTANCE_WIDE = {"security.loginthrottle", "ops.workerheartbeat", "org.formsubmission"}


def ik_models() -> list[Model]:
    return [
        m
        for m in apps.get_models()
        if m._meta.app_config is not None
        and m._meta.app_config.name.startswith("ik.")
        and m._meta.managed
        and not m._meta.proxy
    ]


def foreign_keys(model: Model) -> list[models.ForeignKey[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.related_model is not None
    ]


def _search(model: Model, known: set[Model], *, required_only: bool) -> str | None:
    queue: deque[tuple[Model, str]] = deque([(model, "")])
    seen = {model}
    while queue:
        current, prefix = queue.popleft()
        for field in foreign_keys(current):
            if required_only and field.null:
                continue
            target = field.related_model
            path = f"{prefix}{field.name}"
            if target is Organisation:
                return path
            if target in known and target not in seen:
                seen.add(target)
                queue.append((target, f"{path}__"))
    return None


def organisation_path(model: Model) -> str | None:
    """The lookup from the model to its organisation, e.g. "plan__committee__organisation"."""
    if model is Organisation:
        return "pk"
    known = set(ik_models())
    return _search(model, known, required_only=True) or _search(model, known, required_only=False)


def user_path(model: Model) -> str | None:
    user_model = get_user_model()
    for field in foreign_keys(model):
        if field.related_model is user_model and not field.null:
            return field.name
    return None


def insertion_order(selected: Iterable[Model]) -> list[Model]:
    """Models ordered so a row's required foreign keys point to rows inserted before it."""
    pending = list(dict.fromkeys(selected))
    order: list[Model] = []
    while pending:
        placed = set(order)
        ready = [
            m
            for m in pending
            if all(
                f.related_model in placed or f.related_model not in pending or f.related_model is m
                for f in foreign_keys(m)
                if not f.null
            )
        ]
        if not ready:
            raise RuntimeError(f"Required foreign keys form a cycle among {pending}")
        soft = [
            m
            for m in ready
            if all(
                f.related_model not in pending or f.related_model is m or f.related_model in placed
                for f in foreign_keys(m)
            )
        ]
        chosen = soft[0] if soft else ready[0]
        order.append(chosen)
        pending.remove(chosen)
    return order


def refers_by_label(model: Model) -> bool:
    """Rows that name another row by "app.model" and id, like the audit trail's events."""
    names = {f.name for f in model._meta.concrete_fields}
    return {"object_type", "object_id"} <= names


def _last_if_generic(order: list[Model]) -> list[Model]:
    # Rows naming others by id go last, so every id they name is known when they are
    # inserted: the audit trail may not be updated afterwards.
    referenced = {f.related_model for m in order for f in foreign_keys(m)}
    late = [m for m in order if refers_by_label(m) and m not in referenced]
    return [m for m in order if m not in late] + late


def organisation_querysets(organisation: Organisation) -> list[tuple[Model, models.QuerySet[Any]]]:
    """Every organisation-owned model with its rows for this organisation, in insertion order."""
    owned = {m: organisation_path(m) for m in ik_models()}
    selected = [m for m, path in owned.items() if path]
    result = []
    for model in _last_if_generic(insertion_order(selected)):
        path = str(owned[model])
        result.append((model, model._base_manager.filter(**{path: organisation.pk}).order_by("pk")))
    return result


def user_owned_models() -> list[tuple[Model, str]]:
    """Models of ik apps without an organisation that belong to a user, with the user field."""
    found = []
    for model in ik_models():
        if organisation_path(model) is None:
            path = user_path(model)
            if path:
                found.append((model, path))
    return found
