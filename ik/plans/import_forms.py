"""Forms for reading a plan from a file: the upload, then the preview's column mapping."""

from __future__ import annotations

from typing import Any

from django import forms

from ik.engine.errors import InputError
from ik.engine.plan_import import FIELD_LABELS, PLAN_SPEC
from ik.engine.tables import Table, table_from_json, table_to_json
from ik.lib.forms import upload_bytes
from ik.plans.models import MAX_YEAR, MIN_YEAR

# A plan is a few hundred rows; a file far above this is not a plan.
MAX_PLAN_FILE_BYTES = 20 * 1024 * 1024
ACCEPT = ".xlsx,.xlsm,.xls,.ods,.csv,.txt,.docx"


def _year_field() -> forms.IntegerField:
    return forms.IntegerField(
        label="År",
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        error_messages={"required": "Ange vilket år planen gäller."},
    )


class PlanUploadForm(forms.Form):
    year = _year_field()
    file = forms.FileField(
        label="Fil med planen",
        help_text="Excel (.xlsx, .xls, .ods), CSV eller Word (.docx).",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    sheet = forms.CharField(
        label="Blad",
        required=False,
        max_length=100,
        help_text="Lämna tomt så väljs bladet med kolumnen Kontrollmoment.",
    )
    header_row = forms.IntegerField(
        label="Rubrikrad",
        required=False,
        min_value=1,
        max_value=1000,
        help_text="Lämna tomt så hittas rubrikraden under eventuella titelrader.",
    )

    def clean_file(self) -> bytes:
        return upload_bytes(self.cleaned_data["file"], MAX_PLAN_FILE_BYTES)


class PlanMappingForm(forms.Form):
    """The preview's form: the table as read, and which column each field comes from."""

    year = forms.IntegerField(widget=forms.HiddenInput, min_value=MIN_YEAR, max_value=MAX_YEAR)
    source = forms.CharField(widget=forms.HiddenInput, max_length=255)
    table = forms.CharField(widget=forms.HiddenInput, max_length=8_000_000, strip=False)

    def __init__(self, *args: Any, table: Table | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if table is None and self.is_bound:
            table = self._bound_table()
        self.table_value = table
        headers = table.headers if table is not None else ()
        choices = [("", "(läses inte in)")] + [
            (str(i), f"{table.column_name(i) if table else ''}")
            for i, h in enumerate(headers)
            if h.strip()
        ]
        found = PLAN_SPEC.match(headers)
        for name, label in FIELD_LABELS.items():
            self.fields[f"map_{name}"] = forms.ChoiceField(
                label=label,
                choices=choices,
                required=name == "question",
                initial=str(found[name]) if name in found else "",
                error_messages={"required": "Välj kolumnen med kontrollmomenten."},
            )
        if table is not None and not self.is_bound:
            self.initial["table"] = table_to_json(table)

    def _bound_table(self) -> Table | None:
        try:
            return table_from_json(self.data.get("table", ""))
        except InputError:
            return None

    def clean_table(self) -> Table:
        try:
            return table_from_json(self.cleaned_data["table"])
        except InputError as exc:
            raise forms.ValidationError(exc.message) from None

    def mapping(self) -> dict[str, int]:
        """Field -> column index, from the chosen columns (after `is_valid`)."""
        chosen = {
            name: int(self.cleaned_data[f"map_{name}"])
            for name in FIELD_LABELS
            if self.cleaned_data.get(f"map_{name}")
        }
        return chosen

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        used: dict[str, str] = {}
        for name, label in FIELD_LABELS.items():
            column = data.get(f"map_{name}")
            if column and column in used:
                self.add_error(
                    f"map_{name}", f"Kolumnen är redan vald för {used[column]}; välj en annan."
                )
            elif column:
                used[column] = label
        return data

    def mapping_fields(self) -> list[forms.BoundField]:
        return [self[f"map_{name}"] for name in FIELD_LABELS]
