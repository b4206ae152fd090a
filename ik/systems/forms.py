from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile

from ik.lib.forms import SwedishDecimalField
from ik.lib.swedish import format_decimal
from ik.org.models import Organisation, Person, Unit
from ik.systems.models import MAX_RTO_HOURS, NAME_LENGTH, CompetenceRole, Criticality, System

MAX_IMPORT_BYTES = 10 * 1024**2


class SystemForm(forms.ModelForm[System]):
    rto_hours = SwedishDecimalField(
        label="Återställningstid, mål (timmar)",
        unit=None,
        help_text="RTO, t.ex. 2 eller 0,5. Lämna tomt om inget mål finns.",
    )
    depends_on = forms.ModelMultipleChoiceField(
        label="Beror på",
        queryset=System.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="System som måste vara igång innan detta kan starta.",
    )

    class Meta:
        model = System
        fields = [
            "name",
            "criticality",
            "priority",
            "rto_hours",
            "owner_unit",
            "owner",
            "has_alarm",
            "alarm_method",
            "alarm_recipient",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    field_order = [
        "name",
        "criticality",
        "priority",
        "rto_hours",
        "depends_on",
        "owner_unit",
        "owner",
        "has_alarm",
        "alarm_method",
        "alarm_recipient",
        "notes",
    ]

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = cast(forms.ModelChoiceField[Unit], self.fields["owner_unit"])
        unit.queryset = Unit.objects.filter(committee__organisation=organisation).order_by("name")
        unit.empty_label = "(ingen vald)"
        cast(forms.ChoiceField, self.fields["criticality"]).choices = Criticality.choices
        others = System.objects.filter(organisation=organisation).order_by("priority", "name")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
            self.fields["depends_on"].initial = list(
                self.instance.depends_on.values_list("pk", flat=True)
            )
        cast(forms.ModelMultipleChoiceField[System], self.fields["depends_on"]).queryset = others

    def clean_rto_hours(self) -> Decimal | None:
        hours: Decimal | None = self.cleaned_data.get("rto_hours")
        if hours is None:
            return None
        if hours < 0:
            raise forms.ValidationError("Återställningstiden kan inte vara negativ.")
        if hours > MAX_RTO_HOURS:
            raise forms.ValidationError(f"Ange högst {MAX_RTO_HOURS} timmar.")
        if hours != hours.quantize(Decimal("0.01")):
            raise forms.ValidationError("Ange högst två decimaler, t.ex. 0,25.")
        return hours


class CompetenceForm(forms.Form):
    person = forms.ModelChoiceField(
        label="Registrerad person",
        queryset=Person.objects.none(),
        required=False,
        empty_label="(ingen vald)",
    )
    person_name = forms.CharField(
        label="Eller namn",
        max_length=NAME_LENGTH,
        required=False,
        help_text="För den som inte finns bland organisationens personer.",
    )
    role = forms.ChoiceField(
        label="Roll", choices=CompetenceRole.choices, initial=CompetenceRole.PRIMARY
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = cast(forms.ModelChoiceField[Person], self.fields["person"])
        person.queryset = Person.objects.filter(organisation=organisation).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_person, has_name = data.get("person") is not None, bool(data.get("person_name"))
        if has_person == has_name:
            raise forms.ValidationError(
                "Välj en registrerad person eller skriv ett namn, inte båda."
            )
        return data


class RegisterImportForm(forms.Form):
    systems_file = forms.FileField(
        label="Systemregister (CSV eller Excel)",
        help_text="Kolumner: system;kritikalitet;prioritet;beror_pa;rto_timmar;larm;larmmottagare",
    )
    competence_file = forms.FileField(
        label="Kompetenslista (CSV eller Excel, valfri)",
        required=False,
        help_text="Kolumner: system;person;roll",
    )
    replace = forms.TypedChoiceField(
        label="Vid inläsning",
        choices=[
            ("0", "Komplettera registret: lägg till och uppdatera systemen i filen"),
            ("1", "Ersätt registret: ta bort system som inte finns i filen"),
        ],
        coerce=lambda value: value == "1",
        initial="0",
        widget=forms.RadioSelect,
        help_text="Utan kompetensfil lämnas kompetenslistan orörd. Med en kompetensfil "
        "kompletteras listan, eller ersätts helt när registret ersätts.",
    )

    def _file_bytes(self, name: str) -> bytes | None:
        upload: UploadedFile[bytes] | None = self.cleaned_data.get(name)
        if upload is None:
            return None
        if upload.size and upload.size > MAX_IMPORT_BYTES:
            limit = format_decimal(Decimal(MAX_IMPORT_BYTES) / 1024**2, 0)
            raise forms.ValidationError(f"Filen är för stor; högst {limit} MB.")
        data: bytes = upload.read()
        return data

    def clean_systems_file(self) -> bytes | None:
        return self._file_bytes("systems_file")

    def clean_competence_file(self) -> bytes | None:
        return self._file_bytes("competence_file")
