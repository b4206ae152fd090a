from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator

from ik.accounts.services import Grant, parse_grant
from ik.lib.forms import SwedishDateField
from ik.org.models import COMMITTEE_ROLES, Committee, Organisation, Role


def grant_choices(organisation: Organisation) -> list[tuple[str, str]]:
    """Every role that can be given in the organisation, committee roles per committee."""
    committees = list(Committee.objects.filter(organisation=organisation, is_active=True))
    choices = []
    for role in Role:
        if role in COMMITTEE_ROLES:
            choices += [(Grant(role, c).key, Grant(role, c).label) for c in committees]
        else:
            choices.append((Grant(role).key, Grant(role).label))
    return choices


class _GrantsMixin:
    organisation: Organisation

    def _grant(self, key: str) -> Grant:
        return parse_grant(self.organisation, key)


class InvitationForm(_GrantsMixin, forms.Form):
    email = forms.EmailField(label="E-post")
    grants = forms.MultipleChoiceField(
        label="Roller",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Välj minst en roll."},
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["grants"].choices = grant_choices(organisation)  # type: ignore[attr-defined]

    def clean_grants(self) -> list[Grant]:
        return [self._grant(key) for key in self.cleaned_data["grants"]]


class RoleForm(_GrantsMixin, forms.Form):
    grant = forms.ChoiceField(label="Roll")

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["grant"].choices = grant_choices(organisation)  # type: ignore[attr-defined]

    def clean_grant(self) -> Grant:
        return self._grant(self.cleaned_data["grant"])


class InvitationAcceptForm(forms.Form):
    first_name = forms.CharField(label="Förnamn", max_length=150)
    last_name = forms.CharField(label="Efternamn", max_length=150)
    username = forms.CharField(
        label="Användarnamn",
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text="Bokstäver, siffror och @ . + - _",
    )
    password = forms.CharField(
        label="Lösenord",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Minst 8 tecken, inte ett vanligt lösenord och inte likt ditt namn.",
    )
    password_again = forms.CharField(
        label="Lösenord igen",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("Användarnamnet är upptaget.")
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password = data.get("password")
        if password and password != data.get("password_again"):
            self.add_error("password_again", "Lösenorden är inte lika.")
        elif password:
            # The validators compare the password with the name and e-mail, so build the
            # user as it will be before asking them.
            candidate = get_user_model()(
                username=data.get("username", ""),
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
                email=self.email,
            )
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class AuditFilterForm(forms.Form):
    """Filters for the trail page and its CSV export; invalid values are simply ignored."""

    from_date = SwedishDateField(label="Från och med", required=False)
    to_date = SwedishDateField(label="Till och med", required=False)
    object_type = forms.ChoiceField(label="Objekttyp", required=False)
    actor = forms.TypedChoiceField(label="Användare", required=False, coerce=int, empty_value=None)

    def __init__(
        self,
        *args: Any,
        object_types: list[tuple[str, str]],
        actors: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", "Alla"), *object_types]  # type: ignore[attr-defined]
        self.fields["actor"].choices = [("", "Alla"), *actors]  # type: ignore[attr-defined]


class OrganisationSetupForm(forms.Form):
    name = forms.CharField(
        label="Organisationens namn", max_length=200, help_text="T.ex. ”Malmö stad”."
    )
    code = forms.SlugField(
        label="Kod",
        max_length=40,
        required=False,
        help_text="Används i adresserna, t.ex. ”malmo”. Lämna tomt så bildas koden av namnet.",
        error_messages={
            "invalid": "Koden får bara innehålla små bokstäver a–z, siffror och bindestreck."
        },
    )
    controller_email = forms.EmailField(
        label="E-post till den första centrala controllern",
        help_text="Controllern får en inbjudan och lägger sedan upp nämnder, enheter och personer.",
    )
