"""A user's due dates as calendar events: entries to report and actions due."""

from __future__ import annotations

from typing import Any

from ik.followups.models import Action, FollowUp, FollowUpEntry
from ik.notifications.ical import Event
from ik.notifications.reminders import OPEN_ACTION, REPORTED


def events_for(user: Any, *, base_url: str) -> list[Event]:
    entries = (
        FollowUpEntry.objects.filter(
            control_point__owner_person__user=user,
            followup__status=FollowUp.Status.OPEN,
            followup__due_on__isnull=False,
        )
        .exclude(execution_status__in=REPORTED)
        .select_related("followup__plan__committee", "control_point__process")
        .order_by("followup__due_on", "id")
    )
    events = [
        Event(
            uid=f"entry-{entry.public_id}@ik",
            day=entry.followup.due_on,  # type: ignore[arg-type]
            summary=f"Rapportera: {entry.control_point.process_label}",
            description=f"{entry.control_point.question}\n{entry.followup}",
            url=f"{base_url}{entry.followup.get_absolute_url()}",
        )
        for entry in entries
    ]
    actions = (
        Action.objects.filter(owner_person__user=user, status__in=OPEN_ACTION)
        .select_related("deviation__entry__followup__plan__committee")
        .order_by("due_date", "id")
    )
    events.extend(
        Event(
            uid=f"action-{action.public_id}@ik",
            day=action.due_date,
            summary=f"Åtgärd klar: {action.description[:60]}",
            description=f"{action.description}\n{action.deviation.entry.followup.plan}",
            url=f"{base_url}{action.deviation.entry.followup.get_absolute_url()}",
        )
        for action in actions
    )
    return events
