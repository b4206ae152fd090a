"""Reminder preferences, per-organisation reminder settings and the record of what was sent."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from ik.org.models import Organisation

DEFAULT_DAYS_BEFORE = 14


def new_calendar_token() -> str:
    # 32 random bytes: the token is the only thing guarding the feed.
    return secrets.token_urlsafe(32)


class ReminderSettings(models.Model):
    """How far ahead an organisation's reminders go out."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="reminder_settings"
    )
    days_before = models.PositiveSmallIntegerField(
        "dagar före",
        default=DEFAULT_DAYS_BEFORE,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text="Så många dagar före sista rapporteringsdag går påminnelsen ut.",
    )

    class Meta:
        verbose_name = "inställning för påminnelser"
        verbose_name_plural = "inställningar för påminnelser"

    def __str__(self) -> str:
        return f"{self.organisation}: {self.days_before} dagar"


class ReminderPreference(models.Model):
    """A user's choice of reminders, and the secret of their calendar feed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preference"
    )
    entries_due = models.BooleanField("poster jag ska rapportera", default=True)
    actions_overdue = models.BooleanField("mina åtgärder som passerat klart-datum", default=True)
    followups_due = models.BooleanField("uppföljningar för min nämnd", default=True)
    calendar_token = models.CharField(max_length=64, unique=True, default=new_calendar_token)

    class Meta:
        verbose_name = "val av påminnelser"
        verbose_name_plural = "val av påminnelser"

    def __str__(self) -> str:
        return str(self.user)


class ReminderKind(models.TextChoices):
    ENTRY_DUE = "entry_due", "Post att rapportera"
    ACTION_OVERDUE = "action_overdue", "Åtgärd försenad"
    FOLLOWUP_DUE = "followup_due", "Uppföljning att sammanställa"


class SentReminder(models.Model):
    """One reminder sent: the unique key makes sending twice impossible."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="sent_reminders"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sent_reminders"
    )
    kind = models.CharField("slag", max_length=20, choices=ReminderKind)
    object_id = models.UUIDField("objekt")
    occasion = models.DateField(
        "datum", help_text="Datumet påminnelsen gällde; ändras det skickas en ny."
    )
    sent_at = models.DateTimeField("skickad", auto_now_add=True)

    class Meta:
        verbose_name = "skickad påminnelse"
        verbose_name_plural = "skickade påminnelser"
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "object_id", "occasion"], name="reminder_sent_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occasion} till {self.user}"
