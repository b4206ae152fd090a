from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone

from ik.security import throttle

LOCKED = (
    "För många misslyckade inloggningar. Inloggningen är spärrad till {time}. "
    "Försök igen då, eller kontakta controllern om du har glömt lösenordet."
)


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Fel användarnamn eller lösenord. Observera att båda fälten "
        "skiljer på stora och små bokstäver.",
        "inactive": "Kontot är inaktiverat.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Användarnamn"
        self.fields["password"].label = "Lösenord"


class ThrottledLoginForm(LoginForm):
    """The login form, refusing to even try a password while the account is locked."""

    def _locked_error(self, until: Any) -> ValidationError:
        local = timezone.localtime(until)
        return ValidationError(LOCKED.format(time=f"{local:%H:%M}"), code="locked")

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        address = throttle.client_address(self.request)
        until = throttle.locked_until(username, address)
        if until is not None:
            raise self._locked_error(until)
        try:
            cleaned = super().clean()
        except ValidationError as error:
            if (
                username
                and error.code == "invalid_login"
                and throttle.login_failed(username, address)
            ):
                raise self._locked_error(throttle.locked_until(username, address)) from None
            raise
        throttle.login_succeeded(username)
        return cleaned
