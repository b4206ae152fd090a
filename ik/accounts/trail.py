"""The organisation's audit trail as auditors read it: filtered, paged, and as CSV."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import capfirst

from ik.lib.spreadsheet import csv_row
from ik.lib.swedish import sort_key
from ik.org.audit import Change, actor_label, describe_changes, model_for
from ik.org.models import AuditEvent, Organisation

CSV_HEADER = [
    "Tidpunkt",
    "Användare",
    "Händelse",
    "Objekttyp",
    "Objekt",
    "Beskrivning",
    "Ändringar",
]


def object_type_label(object_type: str) -> str:
    model = model_for(object_type)
    return capfirst(str(model._meta.verbose_name)) if model is not None else object_type


def object_types(organisation: Organisation) -> list[tuple[str, str]]:
    types = (
        AuditEvent.objects.filter(organisation=organisation)
        .order_by()
        .values_list("object_type", flat=True)
        .distinct()
    )
    return sorted(((t, object_type_label(t)) for t in types), key=lambda pair: pair[1])


def actors(organisation: Organisation) -> list[tuple[int, str]]:
    """The users who appear in the organisation's trail, by name, for the person filter."""
    rows = (
        AuditEvent.objects.filter(organisation=organisation, actor__isnull=False)
        .order_by()
        .values_list("actor_id", "actor__first_name", "actor__last_name", "actor__username")
        .distinct()
    )
    named = [(pk, f"{first} {last}".strip() or username) for pk, first, last, username in rows]
    return sorted(named, key=lambda pair: sort_key(pair[1]))


def events(
    organisation: Organisation,
    *,
    from_date: date | None = None,
    to_date: date | None = None,
    object_type: str = "",
    actor: int | None = None,
) -> QuerySet[AuditEvent]:
    found = AuditEvent.objects.filter(organisation=organisation).select_related("actor")
    if actor is not None:
        found = found.filter(actor_id=actor)
    if from_date:
        found = found.filter(at__date__gte=from_date)
    if to_date:
        found = found.filter(at__date__lte=to_date)
    if object_type:
        found = found.filter(object_type=object_type)
    return found.order_by("-at", "-id")


def changes_text(event: AuditEvent) -> str:
    return "\n".join(
        f"{c.label}: {c.old} → {c.new}" if c.old else f"{c.label}: {c.new}"
        for c in describe_changes(event.object_type, event.changes or {})
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(queryset: QuerySet[AuditEvent]) -> Iterator[str]:
    """UTF-8 with BOM and semicolons, as Excel in a Swedish locale opens it directly."""
    writer: Any = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff" + writer.writerow(CSV_HEADER)
    for event in queryset.iterator(chunk_size=2000):
        yield writer.writerow(
            csv_row(
                [
                    timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"),
                    actor_label(event),
                    event.action,
                    object_type_label(event.object_type),
                    event.object_id,
                    event.summary,
                    changes_text(event),
                ]
            )
        )


def describe(event: AuditEvent) -> tuple[Change, ...]:
    return describe_changes(event.object_type, event.changes or {})
