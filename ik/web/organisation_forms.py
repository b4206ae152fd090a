from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from ik.org.models import Organisation
from ik.reports.render_docx import validate_docx_template
from ik.reports.render_pdf import validate_logo

MAX_TEMPLATE_BYTES = 10 * 1024 * 1024


def _checked(
    upload: UploadedFile[bytes] | None, validate: Any, what: str
) -> UploadedFile[bytes] | None:
    if not upload or not hasattr(upload, "read"):
        return upload
    if upload.size and upload.size > MAX_TEMPLATE_BYTES:
        raise forms.ValidationError(f"{what} är för stor; högst 10 MB.")
    data = upload.read()
    upload.seek(0)
    try:
        validate(data)
    except ValueError as exc:
        raise forms.ValidationError(str(exc)) from None
    return upload


class OrganisationSettingsForm(forms.ModelForm[Organisation]):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "postal_address",
            "visiting_address",
            "phone",
            "fax",
            "website",
            "email",
            "bankgiro",
            "logo",
            "word_template",
        ]
        widgets = {
            "postal_address": forms.Textarea(attrs={"rows": 3}),
            "visiting_address": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_word_template(self) -> UploadedFile[bytes] | None:
        return _checked(
            self.cleaned_data.get("word_template"), validate_docx_template, "Word-mallen"
        )

    def clean_logo(self) -> UploadedFile[bytes] | None:
        return _checked(self.cleaned_data.get("logo"), validate_logo, "Logotypen")
