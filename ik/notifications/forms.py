from __future__ import annotations

from django import forms

from ik.notifications.models import ReminderPreference, ReminderSettings

REMINDER_CHOICES = [
    ("entries_due", "Poster jag ska rapportera, före sista rapporteringsdag"),
    ("actions_overdue", "Mina åtgärder som har passerat klart-datum"),
    ("followups_due", "Uppföljningar för nämnder där jag är sekreterare eller förvaltningschef"),
]


class PreferencesForm(forms.Form):
    reminders = forms.MultipleChoiceField(
        label="Skicka mig påminnelser om",
        choices=REMINDER_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    @classmethod
    def initial_for(cls, preference: ReminderPreference) -> dict[str, list[str]]:
        return {"reminders": [name for name, _ in REMINDER_CHOICES if getattr(preference, name)]}

    def values(self) -> dict[str, bool]:
        chosen = set(self.cleaned_data["reminders"])
        return {name: name in chosen for name, _ in REMINDER_CHOICES}


class ReminderSettingsForm(forms.ModelForm[ReminderSettings]):
    class Meta:
        model = ReminderSettings
        fields = ["days_before"]
        labels = {"days_before": "Dagar före sista rapporteringsdag"}
        help_texts = {"days_before": "Mellan 1 och 90 dagar. Standard är 14."}
