"""IK's own error pages: Swedish, in the site's layout with its navigation.

Django's defaults are bare English pages. These render the site layout so a user who hits
one still finds their way; the 500 page falls back to plain HTML when the layout itself
cannot be rendered (for instance with the database down).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)

DEFAULT_REFUSAL = "Du har inte behörighet att se eller ändra det här."

PLAIN_500 = (
    '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Något gick fel – IK '
    "internkontroll</title></head><body><main><h1>Något gick fel</h1><p>Ett oväntat fel "
    "inträffade och det är loggat. Försök igen om en stund, eller gå till "
    '<a href="/">startsidan</a>.</p></main></body></html>'
)


def _page(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    # A refused write is rolled back before the error page is drawn (ik.ops.middleware), so
    # the page cannot read the database then: it gets the layout without the user's menus.
    template = "error_plain.html" if transaction.get_connection().needs_rollback else "error.html"
    return render(
        request, template, {"status": status, "title": title, "text": text}, status=status
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request,
        400,
        "Felaktig begäran",
        "Sidan kunde inte visas eftersom begäran var felaktig. Gå tillbaka och försök igen.",
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # IK's own refusals (PermissionDenied raised by the access layer) say what is refused.
    reason = str(exception) if exception is not None and exception.args else ""
    return _page(request, 403, "Du har inte behörighet", reason or DEFAULT_REFUSAL)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request,
        404,
        "Sidan finns inte",
        "Sidan finns inte, eller så har du inte tillgång till den. Kontrollera adressen eller "
        "gå vidare från menyn.",
    )


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return _page(
            request,
            500,
            "Något gick fel",
            "Ett oväntat fel inträffade och det är loggat. Försök igen om en stund.",
        )
    except Exception:
        logger.exception("The error page could not be rendered; sending plain HTML.")
        return HttpResponse(PLAIN_500, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _page(
        request,
        403,
        "Formuläret kunde inte skickas",
        "Formuläret var för gammalt eller kom inte från IK, så inget sparades. Ladda om sidan "
        "och försök igen. Cookies måste vara påslagna för att logga in.",
    )
