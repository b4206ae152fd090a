from __future__ import annotations

from typing import Any, cast

from django import forms

from ik.plans.models import ControlPoint, Plan
from ik.risks import matrix
from ik.risks.models import Handling, Risk, RiskCategory, RiskScale


class ControlPointChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        question = obj.question if len(obj.question) <= 90 else obj.question[:88] + "…"
        return f"{obj.position}. {obj.process.name}: {question}"


def _level_choices(labels: tuple[str, ...]) -> list[tuple[int, str]]:
    return [(i, f"{i} – {label}") for i, label in enumerate(labels, start=1)]


class RiskForm(forms.ModelForm[Risk]):
    likelihood = forms.TypedChoiceField(label="Sannolikhet", coerce=int, widget=forms.RadioSelect)
    impact = forms.TypedChoiceField(label="Konsekvens", coerce=int, widget=forms.RadioSelect)
    control_points = ControlPointChoices(
        label="Kontrollmoment som hanterar risken",
        queryset=ControlPoint.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Risk
        fields = [
            "description",
            "process",
            "category",
            "likelihood",
            "impact",
            "handling",
            "action_text",
            "owner_text",
            "control_points",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "action_text": forms.Textarea(attrs={"rows": 2}),
            "handling": forms.RadioSelect,
        }
        help_texts = {
            "description": "Vad kan gå fel, och vad blir följden?",
            "process": "Processen eller området risken gäller, t.ex. ”Inköp”.",
            "action_text": "Krävs när risken hanteras med en direktåtgärd.",
            "owner_text": "Rollen som ansvarar för risken.",
        }

    def __init__(self, *args: Any, plan: Plan, scale: matrix.Scale, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category = cast(forms.ModelChoiceField[RiskCategory], self.fields["category"])
        category.queryset = RiskCategory.objects.filter(
            organisation_id=plan.committee.organisation_id
        )
        category.empty_label = "(ingen kategori)"
        cast(forms.ChoiceField, self.fields["likelihood"]).choices = _level_choices(
            scale.likelihood_labels
        )
        cast(forms.ChoiceField, self.fields["impact"]).choices = _level_choices(scale.impact_labels)
        cast(forms.ChoiceField, self.fields["handling"]).choices = Handling.choices
        points = cast(ControlPointChoices, self.fields["control_points"])
        points.queryset = plan.control_points.select_related("process").order_by("position", "id")


MAX_LEVELS = max(matrix.SIZES)


class ScaleForm(forms.Form):
    size = forms.TypedChoiceField(
        label="Skala",
        coerce=int,
        choices=RiskScale.Size.choices,
        widget=forms.RadioSelect,
        help_text="Med 5 × 5 används nivå 5 på båda axlarna.",
    )
    yellow_from = forms.IntegerField(label="Gult från riskvärde", min_value=2, max_value=25)
    red_from = forms.IntegerField(label="Rött från riskvärde", min_value=3, max_value=25)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for axis, label in (("likelihood", "Sannolikhet"), ("impact", "Konsekvens")):
            for level in range(1, MAX_LEVELS + 1):
                self.fields[f"{axis}_{level}"] = forms.CharField(
                    label=f"{label} {level}",
                    max_length=40,
                    required=False,
                    help_text="Bara med 5 × 5." if level == MAX_LEVELS else "",
                )

    @classmethod
    def initial_from(cls, scale: RiskScale) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "size": scale.size,
            "yellow_from": scale.yellow_from,
            "red_from": scale.red_from,
        }
        five = matrix.default_scale(5)
        defaults = {"likelihood": five.likelihood_labels, "impact": five.impact_labels}
        for axis in ("likelihood", "impact"):
            labels = list(getattr(scale, f"{axis}_labels"))
            for level in range(1, MAX_LEVELS + 1):
                fallback = defaults[axis][level - 1]
                initial[f"{axis}_{level}"] = labels[level - 1] if level <= len(labels) else fallback
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        size = data.get("size")
        if not size:
            return data
        for axis in ("likelihood", "impact"):
            for level in range(1, size + 1):
                if not (data.get(f"{axis}_{level}") or "").strip():
                    self.add_error(f"{axis}_{level}", "Ge nivån en benämning.")
        for message in matrix.band_errors(
            size, data.get("yellow_from") or 0, data.get("red_from") or 0
        ):
            self.add_error(None, message)
        return data

    def values(self) -> dict[str, Any]:
        """The service's keyword arguments; labels beyond the size are kept for later."""
        data = self.cleaned_data
        return {
            "size": data["size"],
            "yellow_from": data["yellow_from"],
            "red_from": data["red_from"],
            "likelihood_labels": [
                data[f"likelihood_{i}"].strip() for i in range(1, MAX_LEVELS + 1)
            ],
            "impact_labels": [data[f"impact_{i}"].strip() for i in range(1, MAX_LEVELS + 1)],
        }


class CategoryForm(forms.Form):
    name = forms.CharField(label="Ny kategori", max_length=80)
