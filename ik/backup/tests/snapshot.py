"""A comparable picture of one organisation's data, with no primary key in it.

Every row becomes a tuple of its field values; a foreign key becomes the identity of the
row it points to (its public id, a user's username, or else that row's own picture), so
two databases with different primary keys give equal pictures for equal data.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

from ik.backup.graph import organisation_querysets, refers_by_label, user_owned_models
from ik.org.models import Organisation

# The audit trail's links seal local primary keys, so an import links the events anew
# (`verifytrail` checks them); they are not part of the data that travels.
LOCAL_FIELDS = {"previous_digest", "digest"}


def _hashable(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, default=str)
    return value


class Snapshot:
    def __init__(self) -> None:
        self.memo: dict[tuple[str, Any], Any] = {}

    def identity(self, obj: models.Model) -> Any:
        key = (obj._meta.label_lower, obj.pk)
        if key not in self.memo:
            if obj._meta.model is get_user_model():
                self.memo[key] = ("user", obj.get_username())  # type: ignore[attr-defined]
            elif hasattr(obj, "public_id"):
                self.memo[key] = (obj._meta.label_lower, str(obj.public_id))
            else:
                self.memo[key] = (obj._meta.label_lower, self.row(obj))
        return self.memo[key]

    def _named(self, obj: Any) -> Any:
        """The row an event names by primary key, as an identity; public ids stay as they are."""
        try:
            model = apps.get_model(obj.object_type)
            target = model._base_manager.filter(pk=obj.object_id).first()
        except (LookupError, ValueError):
            target = None
        if target is None or hasattr(target, "public_id"):
            return obj.object_id
        return self.identity(target)

    def row(self, obj: models.Model) -> tuple[Any, ...]:
        values: list[tuple[str, Any]] = []
        for field in obj._meta.concrete_fields:
            if field.primary_key or field.name in LOCAL_FIELDS:
                continue
            if field.is_relation:
                target = getattr(obj, field.name)
                values.append((field.name, None if target is None else self.identity(target)))
            elif field.name == "object_id" and refers_by_label(type(obj)):
                values.append((field.name, self._named(obj)))
            else:
                values.append((field.name, _hashable(field.value_to_string(obj))))
        return (obj._meta.label_lower, tuple(values))


def organisation_snapshot(code: str) -> Counter[Any]:
    """Every row of the organisation, its users and their own settings, as a multiset."""
    organisation = Organisation.objects.get(code=code)
    snapshot = Snapshot()
    rows: Counter[Any] = Counter()
    user_ids: set[Any] = set()
    user_model = get_user_model()
    for _model, queryset in organisation_querysets(organisation):
        for obj in queryset:
            rows[snapshot.row(obj)] += 1
            for field in obj._meta.concrete_fields:
                if field.is_relation and field.related_model is user_model:
                    user_ids.add(getattr(obj, field.attname))
    for user in user_model._base_manager.filter(pk__in=user_ids - {None}):
        rows[snapshot.row(user)] += 1
    for model, path in user_owned_models():
        for obj in model._base_manager.filter(**{f"{path}__in": user_ids - {None}}):
            rows[snapshot.row(obj)] += 1
    return rows
