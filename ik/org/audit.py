"""Writing the audit trail: every service that changes data calls `audit_record`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst

from ik.lib.swedish import format_decimal
from ik.org.actors import Actor, system_name, user_or_none
from ik.org.models import AuditEvent, Membership, Organisation, Role


def _plain(value: Any) -> Any:
    """A value the trail's JSON column stores as the reader should see it, nested ones too."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        # 8.0000 read back from the database and 8 typed in a form are the same value; the
        # normal form makes them compare equal, so a save that changes nothing records nothing.
        return f"{value.normalize():f}"
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields' current values, in a form the trail can store."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields that changed."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def _object_id(obj: models.Model) -> str:
    return str(getattr(obj, "public_id", obj.pk))


def audit_record(
    *,
    organisation: Organisation | int,
    actor: Actor,
    action: str,
    obj: models.Model,
    summary: str,
    changes: Mapping[str, Any] | None = None,
) -> AuditEvent:
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return AuditEvent.objects.create(
        organisation_id=org_id,
        actor=user_or_none(actor),
        system_actor=system_name(actor),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=_object_id(obj),
        summary=summary[:300],
        changes=_plain(changes or {}),
    )


# Reading the trail ------------------------------------------------------------------------

# Actions whose trail entries are worded from the action alone, for the history lists.
ACTION_LABELS = {
    "followup_report": "Rapporterad till nämnden",
    "followup_reopen": "Återöppnad",
}


@dataclass(frozen=True, slots=True)
class Change:
    label: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class HistoryItem:
    at: datetime
    actor: str
    summary: str
    changes: tuple[Change, ...]


def model_for(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def field_label(model: type[models.Model] | None, name: str) -> str:
    if model is not None:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            pass
        else:
            return capfirst(str(getattr(field, "verbose_name", name)))
    return EXTRA_LABELS.get(name, capfirst(name.replace("_", " ")))


# Keys some services record that are not model fields.
EXTRA_LABELS = {
    "reason": "Skäl",
    "accounts": "Konton",
    "counts": "Antal rader",
    "role": "Roll",
    "committee": "Nämnd",
    "email": "E-post",
    "roles": "Roller",
    "username": "Användarnamn",
    "systems": "System",
    "system": "System",
    "deleted": "Borttagna",
    "replace": "Ersätter registret",
    "competence_rows": "Kompetensrader",
    "control_points": "Kontrollmoment",
    "depends_on": "Beror på",
    "arguments": "Parametrar",
    "columns": "Kolumner",
    "files": "Filer",
    "person": "Person",
    "verdict": "Bedömning",
    "created": "Nya",
    "updated": "Ändrade",
}


def display_value(model: type[models.Model] | None, name: str, value: Any) -> str:
    """A stored trail value as a reader would want it: labels for choices, Ja/Nej, –."""
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, list):
        return ", ".join(display_value(model, name, v) for v in value)
    if isinstance(value, dict):
        # Structured values (column mappings, files, row counts) read as "key: value" pairs.
        return ", ".join(f"{k}: {display_value(None, k, v)}" for k, v in value.items())
    if model is not None and isinstance(value, (str, int, float)):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
        choices = dict(getattr(field, "flatchoices", None) or ())
        if value in choices:
            return str(choices[value])
        if isinstance(field, (models.DecimalField, models.FloatField)):
            return _number(value)
        if isinstance(field, models.DateTimeField) and isinstance(value, str):
            return _timestamp(value)
    return str(value)


def _number(value: str | int | float) -> str:
    """A stored number in Swedish: "8.0000" → "8", "9.5" → "9,5", "1234.5" → "1 234,5"."""
    try:
        return format_decimal(Decimal(str(value)))
    except ArithmeticError:
        return str(value)


def _timestamp(value: str) -> str:
    try:
        return timezone.localtime(datetime.fromisoformat(value)).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return value


def describe_changes(object_type: str, changes: Any) -> tuple[Change, ...]:
    """The stored changes with Swedish field labels and readable values.

    Any JSON the column holds is shown, so one odd event never breaks the log page or its CSV.
    """
    model = model_for(object_type)
    if not isinstance(changes, Mapping):
        return (Change("Ändringar", "", display_value(None, "", changes)),) if changes else ()
    rows = []
    for name, value in changes.items():
        label = field_label(model, name)
        if isinstance(value, list) and len(value) == 2:
            old, new = display_value(model, name, value[0]), display_value(model, name, value[1])
            if old != new:  # older events stored 8.0000 → 8, which is no change at all
                rows.append(Change(label, old, new))
        else:
            rows.append(Change(label, "", display_value(model, name, value)))
    return tuple(rows)


def actor_label(event: AuditEvent) -> str:
    """Who made the change: the user's name, or "Systemet (runcontrol)" for a command or task."""
    actor = event.actor
    if actor is not None:
        return actor.get_full_name() or actor.get_username()
    return f"Systemet ({event.system_actor})" if event.system_actor else "Systemet"


def _item(event: AuditEvent) -> HistoryItem:
    name = actor_label(event)
    return HistoryItem(
        at=event.at,
        actor=name,
        summary=event.summary,
        changes=describe_changes(event.object_type, event.changes or {}),
    )


def histories(
    objs: Iterable[models.Model], *, organisation: Organisation | None = None
) -> dict[str, list[HistoryItem]]:
    """Each object's trail, newest first, keyed by the id the trail uses; one query.

    Objects shared between organisations (users) pass the organisation whose trail to show.
    """
    objs = list(objs)
    if not objs:
        return {}
    keys = {(o._meta.label_lower, _object_id(o)) for o in objs}
    query = Q()
    for object_type in {t for t, _ in keys}:
        ids = [i for t, i in keys if t == object_type]
        query |= Q(object_type=object_type, object_id__in=ids)
    if organisation is not None:
        query &= Q(organisation=organisation)
    found: dict[str, list[HistoryItem]] = {i: [] for _, i in keys}
    for event in AuditEvent.objects.filter(query).select_related("actor").order_by("-at", "-id"):
        found[event.object_id].append(_item(event))
    return found


def history(obj: models.Model, *, organisation: Organisation | None = None) -> list[HistoryItem]:
    return histories([obj], organisation=organisation).get(_object_id(obj), [])


# Who reads the whole trail ---------------------------------------------------------------

TRAIL_READERS = (Role.CONTROLLER, Role.AUDITOR)


def can_read_trail(user_id: int | None, organisation: Organisation) -> bool:
    """Controllers and auditors read the organisation's whole trail (per organisation, since
    a user may audit one municipality and only work in another)."""
    return (
        user_id is not None
        and Membership.objects.filter(
            user_id=user_id, organisation=organisation, role__in=TRAIL_READERS
        ).exists()
    )


def require_trail_reader(user_id: int | None, organisation: Organisation) -> None:
    if not can_read_trail(user_id, organisation):
        raise PermissionDenied("Händelseloggen läses av controller och revisorer.")


def audit_changes(
    *,
    organisation: Organisation | int,
    actor: Actor,
    action: str,
    obj: models.Model,
    fields: Iterable[str],
    before: Mapping[str, Any],
    summary: str,
) -> dict[str, list[Any]]:
    """Record what changed on `obj` since `before` (a `snapshot`); nothing when nothing did."""
    changes = diff(before, snapshot(obj, fields))
    if changes:
        audit_record(
            organisation=organisation,
            actor=actor,
            action=action,
            obj=obj,
            summary=summary,
            changes=changes,
        )
    return changes
