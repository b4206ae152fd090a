"""Form fields shared across apps: Swedish numbers and dates, bounded uploads, and groups of
fields shown under their own heading."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from ik.lib.filelimits import size_text
from ik.lib.swedish import format_decimal, parse_decimal


class SwedishDecimalField(forms.CharField):
    """Accepts "8", "8,5", "8.5" and "8,5 %"; refuses words with a message saying so."""

    def __init__(self, *args: Any, unit: str | None = "%", **kwargs: Any) -> None:
        self.unit = unit
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        )
        super().__init__(*args, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return format_decimal(value).replace("\u00a0", " ")
        return value

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            number = parse_decimal(text, allow_unit=self.unit)
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None
        if abs(number) >= Decimal(10) ** 10:
            raise forms.ValidationError("Talet är för stort.", code="max_value")
        return number


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class SwedishDateField(forms.DateField):
    default_error_messages = {
        "invalid": "Ange ett datum som ÅÅÅÅ-MM-DD, till exempel 2018-08-31.",
    }
    widget = DateInput

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["%Y-%m-%d", "%Y%m%d", "%d/%m/%Y"])
        super().__init__(*args, **kwargs)


def upload_bytes(upload: UploadedFile[bytes], limit: int) -> bytes:
    """The uploaded file's bytes, refused above `limit` before they are read into memory."""
    if upload.size is not None and upload.size > limit:
        raise forms.ValidationError(
            f"Filen är {size_text(upload.size)}; gränsen är {size_text(limit)}."
        )
    data: bytes = upload.read()
    return data


@dataclass(frozen=True)
class FieldGroup:
    """Fields shown together under a legend, with a line saying what they are for."""

    legend: str
    fields: tuple[str, ...]
    help: str = ""


class GroupedForm:
    """A form whose visible fields are shown in `field_groups`, each as a fieldset.

    Every visible field must be in exactly one group, so a field added later without a
    group is an error at once rather than a field that silently disappears from the page.
    """

    field_groups: tuple[FieldGroup, ...] = ()

    def grouped_fields(self) -> list[tuple[FieldGroup, list[forms.BoundField]]]:
        form: forms.BaseForm = self  # type: ignore[assignment]
        visible = {bound.name: bound for bound in form.visible_fields()}
        named = [name for group in self.field_groups for name in group.fields]
        if sorted(named) != sorted(visible):
            missing = sorted(set(visible) - set(named))
            extra = sorted(set(named) - set(visible))
            raise ValueError(f"Field groups do not match: missing {missing}, extra {extra}")
        return [(group, [visible[name] for name in group.fields]) for group in self.field_groups]
