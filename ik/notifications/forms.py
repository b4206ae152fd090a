from __future__ import annotations

from django import forms

from ik.notifications.models import ReminderPreference, ReminderSettings


class PreferencesForm(forms.ModelForm[ReminderPreference]):
    class Meta:
        model = ReminderPreference
        fields = ["entries_due", "actions_overdue", "followups_due"]
        labels = {
            "entries_due": "Påminn mig om poster jag ska rapportera",
            "actions_overdue": "Påminn mig när mina åtgärder har passerat klart-datum",
            "followups_due": "Påminn mig om uppföljningar för nämnder där jag är "
            "sekreterare eller förvaltningschef",
        }


class ReminderSettingsForm(forms.ModelForm[ReminderSettings]):
    class Meta:
        model = ReminderSettings
        fields = ["days_before"]
        labels = {"days_before": "Påminnelse så här många dagar före sista rapporteringsdag"}
