from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Q

from ik.lib.forms import SwedishDateField, SwedishDecimalField
from ik.org.models import Person, Unit
from ik.plans.models import (
    MAX_YEAR,
    MIN_YEAR,
    CommonControlPoint,
    ControlPoint,
    CycleDeadline,
    Direction,
    Plan,
)


class PlanCreateForm(forms.Form):
    year = forms.IntegerField(
        label="År",
        error_messages={
            "invalid": "Ange året med fyra siffror, till exempel 2019.",
            "required": "Ange vilket år planen gäller.",
        },
    )
    case_number = forms.CharField(
        label="Diarienummer", max_length=60, required=False, help_text="T.ex. KS/2017:335."
    )

    def clean_year(self) -> int:
        year: int = self.cleaned_data["year"]
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise forms.ValidationError(
                f"Året måste ligga mellan {MIN_YEAR} och {MAX_YEAR}.", code="range"
            )
        return year


class PlanEditForm(forms.ModelForm[Plan]):
    class Meta:
        model = Plan
        fields = ["case_number", "decision_paragraph", "decided_on"]
        field_classes = {"decided_on": SwedishDateField}


class PlanAdoptForm(forms.Form):
    decided_on = SwedishDateField(label="Beslutsdatum")
    decision_paragraph = forms.CharField(label="Paragraf", max_length=20, help_text="T.ex. § 276.")
    case_number = forms.CharField(label="Diarienummer", max_length=60)


class ControlPointForm(forms.ModelForm[ControlPoint]):
    process_name = forms.CharField(
        label="Process", max_length=200, help_text="Befintlig eller ny process, t.ex. ”Inköp”."
    )
    target = SwedishDecimalField(
        label="Mål", unit=None, help_text="Lämna tomt om kontrollen inte mäts med ett tal."
    )
    warning_limit = SwedishDecimalField(label="Gräns för gult", unit=None)

    class Meta:
        model = ControlPoint
        fields = [
            "code",
            "kind",
            "question",
            "purpose",
            "scope",
            "method",
            "owner_text",
            "unit_text",
            "unit",
            "owner_person",
            "frequency",
            "measure_unit",
            "target",
            "direction",
            "warning_limit",
            "local_note",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "question": forms.Textarea(attrs={"rows": 2}),
            "purpose": forms.Textarea(attrs={"rows": 2}),
            "scope": forms.Textarea(attrs={"rows": 2}),
            "method": forms.Textarea(attrs={"rows": 2}),
            "local_note": forms.Textarea(attrs={"rows": 2}),
            "direction": forms.RadioSelect,
        }

    field_order = [
        "code",
        "kind",
        "process_name",
        "question",
        "purpose",
        "scope",
        "method",
        "owner_text",
        "unit_text",
        "unit",
        "owner_person",
        "frequency",
        "measure_unit",
        "target",
        "direction",
        "warning_limit",
        "local_note",
    ]

    def __init__(
        self, *args: Any, organisation_id: int, committee_id: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if committee_id is None and self.instance.pk:
            committee_id = self.instance.plan.committee_id
        owner = cast(forms.ModelChoiceField[Person], self.fields["owner_person"])
        owner.queryset = Person.objects.choosable(organisation_id, self.instance.owner_person_id)
        unit = cast(forms.ModelChoiceField[Unit], self.fields["unit"])
        unit.queryset = Unit.objects.filter(
            Q(committee_id=committee_id, is_active=True) | Q(pk=self.instance.unit_id)
        ).order_by("name")
        unit.empty_label = "(ingen vald)"
        owner.empty_label = "(ingen vald)"
        cast(forms.ChoiceField, self.fields["direction"]).choices = Direction.choices
        kind = cast(forms.ChoiceField, self.fields["kind"])
        kind.choices = ControlPoint.Kind.choices
        kind.required = False
        if self.instance.pk:
            self.fields["process_name"].initial = self.instance.process.name
        if self.instance.pk and (self.instance.is_common or not self.instance.plan.is_draft):
            # The executive board decides a common point, and the committee has decided an
            # adopted plan: what is left is naming the person responsible and adding notes.
            for name in list(self.fields):
                if name not in {"owner_person", "local_note"}:
                    self.fields[name].disabled = True

    def clean_kind(self) -> str:
        return str(self.cleaned_data.get("kind") or ControlPoint.Kind.CONTROL)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check_warning_limit(self, data)
        return data


def _check_warning_limit(form: forms.BaseForm, data: dict[str, Any]) -> None:
    target, limit = data.get("target"), data.get("warning_limit")
    if limit is not None and target is None:
        form.add_error("warning_limit", "Ange ett mål innan du anger en gräns för gult.")
    elif limit is not None and target is not None:
        wrong = limit < target if data.get("direction") == Direction.AT_MOST else limit > target
        if wrong:
            form.add_error(
                "warning_limit",
                "Gränsen för gult måste ligga utanför målet, åt det håll som är sämre.",
            )


class PlanReturnForm(forms.Form):
    reason = forms.CharField(
        label="Skäl",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Skälet sparas i händelseloggen.",
        error_messages={"required": "Ange varför planen återförvisas."},
    )


class CommonControlPointForm(forms.ModelForm[CommonControlPoint]):
    target = SwedishDecimalField(
        label="Mål", unit=None, help_text="Lämna tomt om kontrollen inte mäts med ett tal."
    )
    warning_limit = SwedishDecimalField(label="Gräns för gult", unit=None)

    class Meta:
        model = CommonControlPoint
        fields = [
            "year",
            "process",
            "question",
            "method",
            "owner_text",
            "frequency",
            "measure_unit",
            "target",
            "direction",
            "warning_limit",
        ]
        widgets = {
            "question": forms.Textarea(attrs={"rows": 2}),
            "method": forms.Textarea(attrs={"rows": 2}),
            "direction": forms.RadioSelect,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["direction"]).choices = Direction.choices
        if self.instance.pk:
            # The year decides which plans the point is in; moving it is a new decision.
            del self.fields["year"]

    def clean_year(self) -> int:
        year: int = self.cleaned_data["year"]
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise forms.ValidationError(f"Året måste ligga mellan {MIN_YEAR} och {MAX_YEAR}.")
        return year

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check_warning_limit(self, data)
        return data


class DeadlineForm(forms.ModelForm[CycleDeadline]):
    cutoff = SwedishDateField(
        label="Brytdatum", required=False, help_text="Bara för uppföljningar, t.ex. 2018-08-31."
    )
    due_on = SwedishDateField(label="Senast")

    class Meta:
        model = CycleDeadline
        fields = ["year", "kind", "cutoff", "due_on"]
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = cast(forms.ChoiceField, self.fields["kind"])
        kind.choices = CycleDeadline.Kind.choices
        self.fields["year"].help_text = (
            "Året planerna och uppföljningarna gäller. Planerna för 2019 fastställs "
            "oftast senast i december 2018."
        )
