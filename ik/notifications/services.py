"""Changes to reminder preferences and settings."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from ik.notifications.models import ReminderPreference, ReminderSettings, new_calendar_token
from ik.org.actors import Actor
from ik.org.audit import audit_record, diff, snapshot
from ik.org.models import Organisation

PREFERENCE_FIELDS = ["entries_due", "actions_overdue", "followups_due"]


def preference_for(user: User) -> ReminderPreference:
    preference, _ = ReminderPreference.objects.get_or_create(user=user)
    return preference


@transaction.atomic
def preference_update(*, user: User, **values: bool) -> ReminderPreference:
    preference = preference_for(user)
    for name, value in values.items():
        if name not in PREFERENCE_FIELDS:
            raise TypeError(f"unknown preference {name}")
        setattr(preference, name, value)
    preference.save()
    return preference


@transaction.atomic
def calendar_token_regenerate(*, user: User) -> ReminderPreference:
    """A new secret link; the old one stops working at once."""
    preference = preference_for(user)
    preference.calendar_token = new_calendar_token()
    preference.save(update_fields=["calendar_token"])
    return preference


@transaction.atomic
def reminder_settings_update(
    *, organisation: Organisation, by: Actor, days_before: int
) -> ReminderSettings:
    settings, _ = ReminderSettings.objects.get_or_create(organisation=organisation)
    before = snapshot(settings, ["days_before"])
    settings.days_before = days_before
    settings.save()
    audit_record(
        organisation=organisation,
        actor=by,
        action="reminder_settings_update",
        obj=settings,
        summary=f"Påminnelser går ut {days_before} dagar före sista rapporteringsdag",
        changes=diff(before, snapshot(settings, ["days_before"])),
    )
    return settings
