from __future__ import annotations

from typing import Any, TypeGuard

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile

from ik.lib.bounded import parse_upload
from ik.lib.filelimits import LimitError
from ik.lib.logos import clean_logo
from ik.org.models import Organisation
from ik.org.services import SETTINGS_FIELDS
from ik.reports.render_docx import validate_docx_template

MAX_TEMPLATE_BYTES = 10 * 1024 * 1024


def _contents(upload: UploadedFile[bytes], what: str) -> bytes:
    if upload.size and upload.size > MAX_TEMPLATE_BYTES:
        raise forms.ValidationError(f"{what} är för stor; högst 10 MB.")
    data: bytes = upload.read()
    upload.seek(0)
    return data


def _is_new(upload: Any) -> TypeGuard[UploadedFile[bytes]]:
    """True for a file uploaded now, False for none or the one already stored."""
    return bool(upload) and hasattr(upload, "read") and not getattr(upload, "_committed", False)


class OrganisationSettingsForm(forms.ModelForm[Organisation]):
    class Meta:
        model = Organisation
        fields = list(SETTINGS_FIELDS)
        widgets = {
            "postal_address": forms.Textarea(attrs={"rows": 3}),
            "visiting_address": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Left empty, the limit stays as it is.
        self.fields["session_idle_minutes"].required = False

    def clean_session_idle_minutes(self) -> int:
        value = self.cleaned_data.get("session_idle_minutes")
        return int(value) if value is not None else self.instance.session_idle_minutes

    def clean_word_template(self) -> UploadedFile[bytes] | None:
        upload = self.cleaned_data.get("word_template")
        if _is_new(upload):
            try:
                parse_upload(validate_docx_template, _contents(upload, "Word-mallen"))
            except ValueError as exc:
                raise forms.ValidationError(str(exc)) from None
        return upload

    def clean_logo(self) -> UploadedFile[bytes] | None:
        """The logo as IK re-encoded it, so only a file IK itself wrote is ever stored."""
        upload = self.cleaned_data.get("logo")
        if not _is_new(upload):
            return upload
        try:
            data, suffix = parse_upload(clean_logo, _contents(upload, "Logotypen"))
        except LimitError as exc:
            raise forms.ValidationError(str(exc)) from None
        content_type = "image/svg+xml" if suffix == "svg" else "image/png"
        return SimpleUploadedFile(f"logotyp.{suffix}", data, content_type)
