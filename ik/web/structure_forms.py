"""Forms for the structure pages: committees, units, people and their import."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile

from ik.lib.swedish import format_decimal
from ik.org.models import Committee, Person, Unit

MAX_IMPORT_BYTES = 5 * 1024 * 1024


class CommitteeForm(forms.ModelForm[Committee]):
    class Meta:
        model = Committee
        fields = [
            "name",
            "short_name",
            "code",
            "administration_name",
            "is_executive_board",
            "position",
            "is_active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        code.required = False
        code.help_text = (
            "Används i adresserna, t.ex. ”ks”. Lämna tomt så bildas koden av kortnamnet."
        )
        code.error_messages["invalid"] = (
            "Koden får bara innehålla bokstäver a–z, siffror, bindestreck och understreck."
        )
        if self.instance.pk is None:
            del self.fields["is_active"]

    def clean_code(self) -> str:
        return str(self.cleaned_data.get("code") or "").lower()


class UnitForm(forms.ModelForm[Unit]):
    class Meta:
        model = Unit
        fields = ["name", "kind", "parent", "code", "is_active"]

    def __init__(self, *args: Any, committee: Committee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent = cast(forms.ModelChoiceField[Unit], self.fields["parent"])
        units = Unit.objects.filter(committee=committee).order_by("name")
        if self.instance.pk:
            units = units.exclude(pk=self.instance.pk)
        parent.queryset = units
        parent.empty_label = "(ingen – högst upp under nämnden)"
        cast(forms.ChoiceField, self.fields["kind"]).choices = Unit.Kind.choices
        if self.instance.pk is None:
            del self.fields["is_active"]


class PersonForm(forms.ModelForm[Person]):
    class Meta:
        model = Person
        fields = ["name", "title", "phone", "email", "unit", "is_active"]

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = cast(forms.ModelChoiceField[Unit], self.fields["unit"])
        unit.queryset = (
            Unit.objects.filter(committee__organisation_id=organisation_id)
            .select_related("committee")
            .order_by("committee__name", "name")
        )
        unit.label_from_instance = lambda u: f"{u.name} ({u.committee.name})"  # type: ignore[method-assign,assignment]
        unit.empty_label = "(ingen vald)"
        if self.instance.pk is None:
            del self.fields["is_active"]


def _upload_bytes(upload: UploadedFile[bytes] | None) -> bytes | None:
    if upload is None:
        return None
    if upload.size and upload.size > MAX_IMPORT_BYTES:
        limit = format_decimal(MAX_IMPORT_BYTES / 1024**2, 0)
        raise forms.ValidationError(f"Filen är för stor; högst {limit} MB.")
    data: bytes = upload.read()
    return data


class StructureImportForm(forms.Form):
    committees_file = forms.FileField(
        label="Nämnder (CSV eller Excel, valfri)",
        required=False,
        help_text="Kolumner: namn; kortnamn; kod; ks (ja/nej); forvaltning; ordning",
    )
    units_file = forms.FileField(
        label="Enheter (CSV eller Excel, valfri)",
        required=False,
        help_text="Kolumner: namnd (kod eller namn); enhet; typ; ingar_i; ansvarskod",
    )
    people_file = forms.FileField(
        label="Personer (CSV eller Excel, valfri)",
        required=False,
        help_text="Kolumner: namn; titel; telefon; epost; enhet; namnd",
    )

    def clean_committees_file(self) -> bytes | None:
        return _upload_bytes(self.cleaned_data.get("committees_file"))

    def clean_units_file(self) -> bytes | None:
        return _upload_bytes(self.cleaned_data.get("units_file"))

    def clean_people_file(self) -> bytes | None:
        return _upload_bytes(self.cleaned_data.get("people_file"))
