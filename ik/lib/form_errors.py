"""Putting a service's ValidationError onto the form the user is looking at."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def apply_validation_error(form: forms.BaseForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
