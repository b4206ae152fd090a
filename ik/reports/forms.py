from __future__ import annotations

from typing import Any, cast

from django import forms

from ik.lib.forms import SwedishDateField
from ik.org.models import Organisation, Person
from ik.reports.models import DocumentWording, OversightCase

# What the fields stand for in the plan and the consolidated report; the follow-up's are the
# model's own labels and help texts.
WORDING_FIELDS: dict[str, dict[str, tuple[str, str]]] = {
    DocumentWording.Kind.PLAN: {
        "title": (
            "Rubrik",
            "Tomt: Internkontrollplan {år} för förvaltningen. {år}, {datum} (beslutsdagen) "
            "och {nämnd} fylls i.",
        ),
        "background_heading": ("Rubrik före inledningen", "Tomt: ingen rubrik."),
        "summary_heading": ("Rubrik för risksammanfattningen", "Tomt: Risksammanfattning."),
        "basis": (
            "Beslutsunderlag",
            "Ett underlag per rad; {rubrik} blir planens rubrik. Tomt: inget beslutsunderlag.",
        ),
        "proposer": (
            "Rubrik för förslaget till beslut",
            "T.ex. ”Förvaltningens förslag till beslut”, med beslutet att fastställa planen, "
            "så länge planen är ett förslag. Tomt: inget förslag.",
        ),
    },
    DocumentWording.Kind.OVERSIGHT: {
        "title": (
            "Rubrik",
            "Tomt: Internkontroll {år} – samlad uppföljning per {datum}. {år}, {datum} och "
            "{nämnd} (styrelsen) fylls i.",
        ),
        "background_heading": (
            "Rubrik före inledningen",
            "Tomt: ingen rubrik. Samma rubrik som för sammanställningen ger ett enda avsnitt.",
        ),
        "summary_heading": (
            "Rubrik för sammanställningen per nämnd",
            "Tomt: Sammanställning per nämnd.",
        ),
        "basis": (
            "Beslutsunderlag",
            "Ett underlag per rad; {rubrik} blir rapportens rubrik. Tomt: inget beslutsunderlag.",
        ),
        "proposer": ("Rubrik för förslaget till beslut", "Tomt: Förslag till beslut."),
    },
}


class DocumentWordingForm(forms.ModelForm[DocumentWording]):
    class Meta:
        model = DocumentWording
        fields = ["title", "background_heading", "summary_heading", "basis", "proposer"]
        widgets = {"basis": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, (label, help_text) in WORDING_FIELDS.get(kind, {}).items():
            self.fields[name].label = label
            self.fields[name].help_text = help_text


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
