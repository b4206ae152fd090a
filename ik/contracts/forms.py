from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from ik.contracts.models import ProcurementSettings
from ik.lib.forms import SwedishDecimalField, upload_bytes

MAX_IMPORT_BYTES = 10 * 1024**2


class ContractImportForm(forms.Form):
    file = forms.FileField(
        label="Avtalsregister (CSV eller Excel)",
        help_text="Kolumner: leverantor;orgnr;avtal_id;titel;kategori;giltig_fran;giltig_till;"
        "ramavtal. Filen ersätter hela registret.",
    )

    def clean_file(self) -> bytes:
        return upload_bytes(self.cleaned_data["file"], MAX_IMPORT_BYTES)


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
