"""Which reminders are due on a day, and sending them once each.

Three occasions: a control owner's entries not yet reported, some days before the
follow-up's last reporting day; an action whose due date has passed while it is still
planned or in progress; and, for the committee's secretaries and managers, a follow-up
whose last reporting day is near. A reminder is recorded with the date it was about, so
it goes out once per item and date, however often the command runs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction

from ik.followups.models import Action, FollowUp, FollowUpEntry
from ik.notifications.models import (
    DEFAULT_DAYS_BEFORE,
    ReminderKind,
    ReminderPreference,
    ReminderSettings,
    SentReminder,
)
from ik.org.models import Membership, Role

REPORTED = (FollowUpEntry.Execution.DONE, FollowUpEntry.Execution.NOT_DONE)
OPEN_ACTION = (Action.Status.PLANNED, Action.Status.IN_PROGRESS)
PREFERENCE_FOR_KIND = {
    ReminderKind.ENTRY_DUE: "entries_due",
    ReminderKind.ACTION_OVERDUE: "actions_overdue",
    ReminderKind.FOLLOWUP_DUE: "followups_due",
}


@dataclass(frozen=True)
class Reminder:
    kind: ReminderKind
    user: Any
    organisation_id: int
    object_id: Any
    occasion: date
    text: str


def _days_before() -> dict[int, int]:
    return dict(ReminderSettings.objects.values_list("organisation_id", "days_before"))


def _in_window(due_on: date, today: date, org_id: int, days: dict[int, int]) -> bool:
    return today <= due_on <= today + timedelta(days=days.get(org_id, DEFAULT_DAYS_BEFORE))


def _horizon(today: date, days: dict[int, int]) -> date:
    return today + timedelta(days=max([DEFAULT_DAYS_BEFORE, *days.values()]))


def entry_reminders(today: date, days: dict[int, int]) -> Iterable[Reminder]:
    entries = (
        FollowUpEntry.objects.filter(
            followup__status=FollowUp.Status.OPEN,
            followup__due_on__range=(today, _horizon(today, days)),
            control_point__owner_person__user__is_active=True,
        )
        .exclude(execution_status__in=REPORTED)
        .select_related(
            "followup__plan__committee", "control_point__process", "control_point__owner_person"
        )
        .select_related("control_point__owner_person__user")
    )
    for entry in entries:
        followup = entry.followup
        org_id = followup.plan.committee.organisation_id
        assert followup.due_on is not None
        if _in_window(followup.due_on, today, org_id, days):
            yield Reminder(
                ReminderKind.ENTRY_DUE,
                entry.control_point.owner_person.user,  # type: ignore[union-attr]
                org_id,
                entry.public_id,
                followup.due_on,
                f"Rapportera senast {followup.due_on:%Y-%m-%d}: "
                f"{entry.control_point.process_label} – {entry.control_point.question} "
                f"({followup.plan.committee}, uppföljning per {followup.cutoff:%Y-%m-%d})",
            )


def action_reminders(today: date) -> Iterable[Reminder]:
    actions = Action.objects.filter(
        due_date__lt=today, status__in=OPEN_ACTION, owner_person__user__is_active=True
    ).select_related("owner_person__user", "deviation__entry__followup__plan__committee")
    for action in actions:
        committee = action.deviation.entry.followup.plan.committee
        yield Reminder(
            ReminderKind.ACTION_OVERDUE,
            action.owner_person.user,  # type: ignore[union-attr]
            committee.organisation_id,
            action.public_id,
            action.due_date,
            f"Åtgärden skulle vara klar {action.due_date:%Y-%m-%d}: "
            f"{action.description} ({committee})",
        )


def followup_reminders(today: date, days: dict[int, int]) -> Iterable[Reminder]:
    followups = FollowUp.objects.filter(
        status=FollowUp.Status.OPEN, due_on__range=(today, _horizon(today, days))
    ).select_related("plan__committee")
    by_committee: dict[int, list[Any]] = defaultdict(list)
    memberships = Membership.objects.filter(
        role__in=(Role.SECRETARY, Role.MANAGER),
        committee__in={f.plan.committee_id for f in followups},
        user__is_active=True,
    ).select_related("user")
    for membership in memberships:
        assert membership.committee_id is not None
        by_committee[membership.committee_id].append(membership.user)
    for followup in followups:
        committee = followup.plan.committee
        assert followup.due_on is not None
        if not _in_window(followup.due_on, today, committee.organisation_id, days):
            continue
        for user in {u.pk: u for u in by_committee[committee.pk]}.values():
            yield Reminder(
                ReminderKind.FOLLOWUP_DUE,
                user,
                committee.organisation_id,
                followup.public_id,
                followup.due_on,
                f"Kontrollansvariga rapporterar senast {followup.due_on:%Y-%m-%d}: "
                f"uppföljning per {followup.cutoff:%Y-%m-%d} av {followup.plan}",
            )


def due_reminders(today: date) -> list[Reminder]:
    """Every reminder due today, before opt-outs and before what was already sent."""
    days = _days_before()
    return [
        *entry_reminders(today, days),
        *action_reminders(today),
        *followup_reminders(today, days),
    ]


def _wanted(reminders: list[Reminder]) -> list[Reminder]:
    prefs = {
        p.user_id: p
        for p in ReminderPreference.objects.filter(user__in={r.user.pk for r in reminders})
    }
    wanted = []
    for reminder in reminders:
        pref = prefs.get(reminder.user.pk)
        if pref is None or getattr(pref, PREFERENCE_FOR_KIND[reminder.kind]):
            wanted.append(reminder)
    return wanted


def _message(user: Any, reminders: list[Reminder]) -> EmailMessage:
    lines = [
        f"Hej {user.get_full_name() or user.username}!",
        "",
        "Det här väntar på dig i IK:",
        "",
        *(f"– {r.text}" for r in reminders),
        "",
        "Du väljer vilka påminnelser du får under Mina inställningar i IK.",
    ]
    return EmailMessage(
        subject=f"IK: {len(reminders)} påminnelse{'r' if len(reminders) != 1 else ''}",
        body="\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )


def _send_to(user: Any, reminders: list[Reminder]) -> int:
    # The record and the mail share a transaction: a mail that fails is tried again next run,
    # and a reminder recorded once is never sent again (the unique constraint holds).
    with transaction.atomic():
        sent = {
            (kind, object_id, occasion)
            for kind, object_id, occasion in SentReminder.objects.filter(user=user).values_list(
                "kind", "object_id", "occasion"
            )
        }
        new = [r for r in reminders if (r.kind.value, r.object_id, r.occasion) not in sent]
        if not new:
            return 0
        SentReminder.objects.bulk_create(
            [
                SentReminder(
                    organisation_id=r.organisation_id,
                    user=user,
                    kind=r.kind,
                    object_id=r.object_id,
                    occasion=r.occasion,
                )
                for r in new
            ]
        )
        _message(user, new).send()
    return len(new)


def send_reminders(*, today: date) -> int:
    """Send every due reminder not sent before; returns how many items were reminded of."""
    by_user: dict[int, list[Reminder]] = defaultdict(list)
    users: dict[int, Any] = {}
    for reminder in _wanted(due_reminders(today)):
        if reminder.user.email:
            by_user[reminder.user.pk].append(reminder)
            users[reminder.user.pk] = reminder.user
    return sum(_send_to(users[pk], items) for pk, items in sorted(by_user.items()))
