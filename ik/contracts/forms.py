from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from ik.contracts.models import Contract, ProcurementSettings
from ik.contracts.services import CONTRACT_FIELDS, MODES, REPLACE, UPDATE_AND_END
from ik.engine.contracts import contract_orgnr, format_orgnr
from ik.lib.forms import SwedishDateField, SwedishDecimalField, upload_bytes

MAX_IMPORT_BYTES = 10 * 1024**2


class ContractImportForm(forms.Form):
    file = forms.FileField(
        label="Avtalsregister (CSV eller Excel)",
        help_text="Kolumner: leverantor;orgnr;avtal_id;titel;kategori;giltig_fran;giltig_till;"
        "ramavtal.",
    )
    mode = forms.ChoiceField(
        label="Avtal i registret som saknas i filen",
        choices=list(MODES.items()),
        initial=REPLACE,
        widget=forms.RadioSelect,
        help_text="Raderna matchas på avtals-id och leverantör (organisationsnummer, annars "
        "namn). Du ser vad som ändras innan något sparas.",
    )
    end_on = SwedishDateField(
        label="Sista giltighetsdag för avtal som saknas i filen",
        required=False,
        help_text="Bara när avtalen ska avslutas. Avtal som redan upphört tidigare ändras inte.",
    )

    def clean_file(self) -> bytes:
        return upload_bytes(self.cleaned_data["file"], MAX_IMPORT_BYTES)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("mode") == UPDATE_AND_END and not data.get("end_on"):
            self.add_error("end_on", "Ange den dag då avtalen som saknas i filen upphör.")
        return data


class ContractImportConfirmForm(forms.Form):
    """The preview sends the file back as the register's own CSV; it is read again in full."""

    register = forms.CharField(
        widget=forms.HiddenInput, max_length=2 * MAX_IMPORT_BYTES, strip=False
    )
    mode = forms.ChoiceField(choices=list(MODES.items()), widget=forms.HiddenInput)
    end_on = forms.DateField(required=False, widget=forms.HiddenInput)
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)


class ContractForm(forms.ModelForm[Contract]):
    orgnr = forms.CharField(
        label="Organisationsnummer",
        required=False,
        max_length=40,
        help_text="T.ex. 556012-5790, eller ett utländskt momsnummer. Fakturor matchas mot "
        "avtalet på numret, och på leverantörens namn när numret saknas.",
    )
    valid_from = SwedishDateField(label="Giltigt från och med")
    valid_to = SwedishDateField(
        label="Giltigt till och med",
        required=False,
        help_text="Lämna tomt om avtalet gäller tillsvidare.",
    )

    class Meta:
        model = Contract
        fields = list(CONTRACT_FIELDS)
        labels = {"framework": "Ramavtal"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["orgnr"] = format_orgnr(self.instance.orgnr)

    def clean_orgnr(self) -> str:
        try:
            return contract_orgnr(self.cleaned_data.get("orgnr") or "")
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", "Avtalet slutar före det börjar.")
        return data

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ContractEndForm(forms.Form):
    on = SwedishDateField(label="Sista giltighetsdag")


class ProcurementSettingsForm(forms.ModelForm[ProcurementSettings]):
    direct_procurement_limit = SwedishDecimalField(
        label="Egen direktupphandlingsgräns (kr)",
        unit=None,
        help_text=ProcurementSettings._meta.get_field("direct_procurement_limit").help_text,
    )
    compliance_target = SwedishDecimalField(
        label="Mål för avtalstrohet (%)",
        unit=None,
        required=True,
        help_text=ProcurementSettings._meta.get_field("compliance_target").help_text,
    )

    class Meta:
        model = ProcurementSettings
        fields = ["window", "direct_procurement_limit", "compliance_target"]
        widgets = {"window": forms.RadioSelect}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        limit = data.get("direct_procurement_limit")
        if limit is not None and limit < 1:
            self.add_error("direct_procurement_limit", "Ange ett belopp i kronor, t.ex. 700 000.")
        target = data.get("compliance_target")
        if target is not None and not Decimal(0) <= target <= Decimal(100):
            self.add_error("compliance_target", "Ange en procentsats mellan 0 och 100.")
        return data
