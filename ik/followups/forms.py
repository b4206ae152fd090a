from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms

from ik.engine.errors import InputError
from ik.engine.tables import Table, table_from_json
from ik.followups.models import Action, Assessment, Deviation, FollowUp, FollowUpEntry
from ik.lib.forms import (
    FieldGroup,
    GroupedForm,
    SwedishDateField,
    SwedishDecimalField,
    upload_bytes,
)
from ik.lib.swedish import format_measure
from ik.org.models import Person


class _Confirmable(forms.Form):
    """A form that, when there is something to warn about, asks the user to confirm it."""

    def __init__(self, *args: Any, warning: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if warning:
            self.fields["confirmed"] = forms.BooleanField(
                label=warning,
                error_messages={"required": "Kryssa i rutan för att gå vidare ändå."},
            )


class FollowUpCreateForm(_Confirmable):
    cutoff = SwedishDateField(label="Per datum", help_text="Brytdatum, t.ex. 2018-08-31.")
    due_on = SwedishDateField(label="Kontrollansvariga rapporterar senast", required=False)


# The case details of a follow-up, as the edit page groups them.
EDIT_GROUPS = (
    FieldGroup("Uppföljningen", ("due_on",)),
    FieldGroup(
        "Tjänsteskrivelsen",
        (
            "case_number",
            "document_date",
            "case_officer",
            "signatory",
            "summary",
            "proposal_source",
            "proposed_decisions",
            "distribution",
        ),
        "Förvaltningens skrivelse till nämnden, med förslag till beslut.",
    ),
    FieldGroup(
        "Protokollsutdraget",
        (
            "protocol_body",
            "meeting_date",
            "decision_paragraph",
            "protocol_title",
            "protocol_background",
            "protocol_summary",
            "protocol_decisions",
            "protocol_distribution",
            "minutes_officer",
        ),
        "Fylls i när nämnden eller arbetsutskottet har behandlat ärendet.",
    ),
)


class FollowUpEditForm(GroupedForm, forms.ModelForm[FollowUp]):
    field_groups = EDIT_GROUPS

    class Meta:
        model = FollowUp
        fields = [name for group in EDIT_GROUPS for name in group.fields]
        field_classes = {
            "meeting_date": SwedishDateField,
            "due_on": SwedishDateField,
            "document_date": SwedishDateField,
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 6}),
            "proposed_decisions": forms.Textarea(attrs={"rows": 3}),
            "distribution": forms.Textarea(attrs={"rows": 3}),
            "proposal_source": forms.RadioSelect,
            "protocol_body": forms.RadioSelect,
            "protocol_background": forms.Textarea(attrs={"rows": 3}),
            "protocol_summary": forms.Textarea(attrs={"rows": 6}),
            "protocol_decisions": forms.Textarea(attrs={"rows": 3}),
            "protocol_distribution": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = Person.objects.choosable(
            self.instance.plan.committee.organisation_id,
            self.instance.case_officer_id,
            self.instance.signatory_id,
            self.instance.minutes_officer_id,
        )
        for name in ("case_officer", "signatory", "minutes_officer"):
            field = cast(forms.ModelChoiceField[Person], self.fields[name])
            field.queryset = people
            field.empty_label = "(ingen vald)"
        body = cast(forms.ChoiceField, self.fields["protocol_body"])
        body.choices = [("", "Inget protokollsutdrag än"), *FollowUp.ProtocolBody.choices]


DIRECT_ACTION_CHOICES = [
    (FollowUpEntry.Execution.DONE.value, FollowUpEntry.Execution.DONE.label),
    (FollowUpEntry.Execution.NOT_DONE.value, FollowUpEntry.Execution.NOT_DONE.label),
]


class EntryForm(forms.Form):
    execution_status = forms.ChoiceField(
        label="Genomförande", choices=FollowUpEntry.Execution.choices
    )
    not_done_reason = forms.CharField(
        label="Skäl till att kontrollen inte genomförts",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    result_text = forms.CharField(
        label="Resultat", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    measured_value = SwedishDecimalField(label="Mätvärde")
    assessment = forms.ChoiceField(
        label="Bedömning",
        required=False,
        choices=[("", "(ingen bedömning än)"), *Assessment.choices],
    )

    def __init__(self, *args: Any, entry: FollowUpEntry, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "execution_status": entry.execution_status,
                "not_done_reason": entry.not_done_reason,
                "result_text": entry.result_text,
                "measured_value": entry.measured_value,
                "assessment": entry.assessment,
            },
        )
        super().__init__(*args, **kwargs)
        self.entry = entry
        point = entry.control_point
        if point.is_direct_action:
            # A direct action is either done or not: nothing to measure or assess.
            status = cast(forms.ChoiceField, self.fields["execution_status"])
            status.choices = DIRECT_ACTION_CHOICES
            status.help_text = "En direktåtgärd följs upp som genomförd eller inte genomförd."
            del self.fields["measured_value"], self.fields["assessment"]
        elif point.is_quantitative:
            unit = point.measure_unit or ""
            self.fields["measured_value"].label = f"Mätvärde ({unit})" if unit else "Mätvärde"
            cast(SwedishDecimalField, self.fields["measured_value"]).unit = unit or None
            self.fields["measured_value"].help_text = (
                f"Målet är {point.get_direction_display()} "
                f"{format_measure(point.target, unit)}. "
                "Bedömningen räknas fram ur mätvärdet."
            )
            self.fields["assessment"].help_text = "Används bara om inget mätvärde anges."
        else:
            del self.fields["measured_value"]

    def clean_measured_value(self) -> Decimal | None:
        """A measured value within what its unit allows: a percentage 0–100, anything else
        (counts, days, kronor) not negative."""
        value: Decimal | None = self.cleaned_data.get("measured_value")
        if value is None:
            return None
        unit = (self.entry.control_point.measure_unit or "").strip()
        typed = format_measure(value, unit)
        if unit == "%" and not 0 <= value <= 100:
            raise forms.ValidationError(
                f"Mätvärdet är en andel och ska vara mellan 0 och 100 %, inte {typed}."
            )
        if value < 0:
            raise forms.ValidationError(f"Mätvärdet kan inte vara negativt ({typed}).")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("execution_status") == FollowUpEntry.Execution.NOT_DONE
            and not (data.get("not_done_reason") or "").strip()
        ):
            self.add_error("not_done_reason", "Ange varför kontrollen inte har genomförts.")
        data.setdefault("measured_value", None)
        return data


class DeviationForm(forms.ModelForm[Deviation]):
    class Meta:
        model = Deviation
        fields = ["description", "severity"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "severity": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Without this the radio buttons start with Django's untranslated empty choice.
        cast(forms.ChoiceField, self.fields["severity"]).choices = Deviation.Severity.choices


class ActionForm(forms.ModelForm[Action]):
    class Meta:
        model = Action
        fields = ["description", "owner_text", "owner_person", "due_date"]
        field_classes = {"due_date": SwedishDateField}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = cast(forms.ModelChoiceField[Person], self.fields["owner_person"])
        owner.queryset = Person.objects.choosable(organisation_id, self.instance.owner_person_id)
        owner.empty_label = "(ingen vald)"


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=[c for c in Action.Status.choices if c[0] != Action.Status.CLOSED],
    )


class ActionCloseForm(forms.Form):
    effect_check = forms.CharField(
        label="Effektkontroll",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Hur har ni kontrollerat att åtgärden fått avsedd effekt?",
        error_messages={"required": "Beskriv hur åtgärdens effekt har kontrollerats."},
    )
    closed_on = SwedishDateField(label="Avslutad den")


class FollowUpReportForm(_Confirmable):
    meeting_date = SwedishDateField(label="Nämndens sammanträdesdatum")
    decision_paragraph = forms.CharField(
        label="Paragraf", max_length=20, help_text="Paragrafen i protokollet, t.ex. § 137."
    )

    def clean_decision_paragraph(self) -> str:
        value = self.cleaned_data["decision_paragraph"].strip().lstrip("§").strip()
        if not value:
            raise forms.ValidationError("Ange paragrafen i protokollet.")
        return f"§ {value}"


class FollowUpReopenForm(forms.Form):
    reason = forms.CharField(
        label="Skäl",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Skälet sparas i händelseloggen.",
        error_messages={"required": "Ange varför uppföljningen öppnas igen."},
    )


# Result sheets are a few hundred rows; a file far above this is not one.
MAX_RESULT_FILE_BYTES = 20 * 1024 * 1024


class ResultsUploadForm(forms.Form):
    file = forms.FileField(
        label="Ifyllt resultatblad",
        help_text="Excel (.xlsx, .xls, .ods) eller CSV, med kolumnerna från resultatbladet.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xlsm,.xls,.ods,.csv,.txt"}),
    )

    def clean_file(self) -> bytes:
        return upload_bytes(self.cleaned_data["file"], MAX_RESULT_FILE_BYTES)


class ResultsConfirmForm(forms.Form):
    """The preview's form: the sheet as read, sent back to be saved."""

    source = forms.CharField(widget=forms.HiddenInput, max_length=255)
    table = forms.CharField(widget=forms.HiddenInput, max_length=8_000_000, strip=False)

    def clean_table(self) -> Table:
        try:
            return table_from_json(self.cleaned_data["table"])
        except InputError as exc:
            raise forms.ValidationError(exc.message) from None
