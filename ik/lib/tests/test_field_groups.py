"""Long forms in parts: every visible field in exactly one group."""

from __future__ import annotations

import pytest
from django import forms

from ik.lib.forms import FieldGroup, GroupedForm


class _Form(GroupedForm, forms.Form):
    name = forms.CharField()
    phone = forms.CharField(required=False)
    note = forms.CharField(required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)
    field_groups = (
        FieldGroup("Vem", ("name", "phone"), "Den som svarar."),
        FieldGroup("Övrigt", ("note",)),
    )


def test_the_groups_hold_the_visible_fields_in_their_order():
    groups = _Form().grouped_fields()
    assert [(g.legend, [f.name for f in fields]) for g, fields in groups] == [
        ("Vem", ["name", "phone"]),
        ("Övrigt", ["note"]),
    ]


def test_a_field_added_without_a_group_is_an_error_not_a_missing_field():
    class Grown(_Form):
        email = forms.EmailField(required=False)

    with pytest.raises(ValueError, match="missing \\['email'\\]"):
        Grown().grouped_fields()


def test_a_group_naming_a_field_the_form_lacks_is_an_error():
    class Stale(_Form):
        field_groups = (FieldGroup("Vem", ("name", "phone", "note", "fax")),)

    with pytest.raises(ValueError, match="extra \\['fax'\\]"):
        Stale().grouped_fields()
