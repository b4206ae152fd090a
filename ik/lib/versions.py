"""No lost updates: an edit form carries the version it was opened at.

The form's hidden `version` is compared with the stored one when it is saved. If someone else
saved in between, nothing is written and the person is shown, field by field, what is stored
now against what they typed; the form then carries the new version, so saving again is a
choice made knowing the other person's values. Each save moves the version on by one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Model

from ik.lib.form_errors import apply_validation_error


class StaleEdit(Exception):
    """Someone saved the object after this form was opened; `message` says what differs."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# A save without the version it was opened at cannot be checked, so it is not made.
MISSING_VERSION = (
    "Sidan saknar uppgift om vilken version du utgick från, så inget har sparats. "
    "Ladda om sidan och gör ändringen igen."
)


def add_version_field(form: forms.BaseForm, obj: Any) -> None:
    """Give `form` a hidden field holding the version of `obj` it was opened at."""
    form.fields["version"] = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        initial=obj.version,
        error_messages={"required": MISSING_VERSION, "invalid": MISSING_VERSION},
    )


def _display(field: forms.Field | None, value: Any) -> str:
    if value is None or value == "":
        return "(tomt)"
    if isinstance(value, models.Manager | models.QuerySet | list | tuple | set):
        items = value.all() if isinstance(value, models.Manager) else value
        return ", ".join(sorted(str(item) for item in items)) or "(tomt)"
    choices = dict(getattr(field, "choices", None) or ())
    if isinstance(value, str) and value in choices:
        return str(choices[value])
    return str(value)


def _comparable(value: Any) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, models.Manager):
        value = value.all()
    if isinstance(value, models.QuerySet | list | tuple | set):
        return frozenset(getattr(item, "pk", item) for item in value)
    if isinstance(value, Model):
        return value.pk
    return value


def describe_changes(form: forms.BaseForm, stored: Model) -> list[str]:
    """Each visible field whose stored value differs from the submitted one, in Swedish."""
    changes = []
    for name, field in form.fields.items():
        if isinstance(field.widget, forms.HiddenInput) or not hasattr(stored, name):
            continue
        theirs = getattr(stored, name)
        yours = form.cleaned_data.get(name)
        if _comparable(theirs) != _comparable(yours):
            label = field.label or name
            changes.append(
                f"{label}: sparat nu ”{_display(field, theirs)}”, ditt ”{_display(field, yours)}”"
            )
    return changes


def _stale_message(form: forms.BaseForm, stored: Model) -> str:
    changes = describe_changes(form, stored)
    text = (
        "Någon annan har sparat här sedan du öppnade sidan, och inget av det du skrev har sparats. "
    )
    if changes:
        text += "Skillnader: " + "; ".join(changes) + ". "
    return text + "Spara igen för att ersätta med dina värden, eller ladda om sidan."


@contextmanager
def versioned_save(form: forms.BaseForm, obj: Model) -> Iterator[None]:
    """Run the save in the block only if `obj` is still at the form's version.

    Takes `version` out of the form's cleaned data, so the block can pass the rest on. The
    row is locked first, so two saves of the same object cannot both pass the check; the
    version moves on after the block, whatever instance the block itself saved. Raises
    StaleEdit, with nothing written, when the versions differ.
    """
    model = type(obj)
    expected = form.cleaned_data.pop("version", None)
    with transaction.atomic():
        rows = model._default_manager.filter(pk=obj.pk)
        current = rows.select_for_update().values_list("version", flat=True).get()
        if expected is not None and current != expected:
            data = form.data.copy()  # type: ignore[attr-defined]
            data["version"] = str(current)
            form.data = data
            raise StaleEdit(_stale_message(form, model._default_manager.get(pk=obj.pk)))
        yield
        rows.update(version=F("version") + 1)
        obj.version = rows.values_list("version", flat=True).get()  # type: ignore[attr-defined]


def save_form(form: forms.BaseForm, obj: Model, save: Callable[[], object]) -> bool:
    """Run `save` if `obj` is still at the form's version; True when it was saved.

    When someone else saved in between, or the save refuses a value, nothing is written and
    the form carries the message: the view shows the form again.
    """
    try:
        with versioned_save(form, obj):
            save()
    except StaleEdit as stale:
        form.add_error(None, stale.message)
    except ValidationError as exc:
        apply_validation_error(form, exc)
    else:
        return True
    return False
