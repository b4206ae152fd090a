from __future__ import annotations

from typing import Any, cast

from django import forms

from ik.lib.forms import SwedishDateField
from ik.org.models import Organisation, Person
from ik.reports.models import DocumentWording, OversightCase


class DocumentWordingForm(forms.ModelForm[DocumentWording]):
    class Meta:
        model = DocumentWording
        fields = ["title", "background_heading", "summary_heading", "basis", "proposer"]
        widgets = {"basis": forms.Textarea(attrs={"rows": 3})}


class OversightCaseForm(forms.ModelForm[OversightCase]):
    class Meta:
        model = OversightCase
        fields = [
            "case_number",
            "document_date",
            "case_officer",
            "proposed_decisions",
            "distribution",
        ]
        field_classes = {"document_date": SwedishDateField}
        widgets = {
            "proposed_decisions": forms.Textarea(attrs={"rows": 3}),
            "distribution": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField[Person], self.fields["case_officer"])
        field.queryset = Person.objects.choosable(organisation.pk, self.instance.case_officer_id)
        field.empty_label = "(ingen vald)"
