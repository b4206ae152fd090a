"""Signing users out after a period without activity, as their organisation decides.

Django's SESSION_COOKIE_AGE counts from the last time the session was saved, not from the
last request, so on its own it is no idle limit. Signing in stores the time and the user's
limit in the session; every later response carries a signed cookie with the time of that
request, bound to the session. A request whose latest activity (the later of the two) lies
further back than the limit is signed out before the view runs. No request pays for a
database write or query to keep the time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.db.models import Min
from django.http import HttpRequest, HttpResponseBase
from django_htmx.http import HttpResponseClientRedirect

from ik.lib.swedish import format_duration_minutes
from ik.org.models import DEFAULT_IDLE_MINUTES, Organisation

SIGNED_IN_AT = "ik_signed_in_at"
IDLE_LIMIT = "ik_idle_limit"
ACTIVITY_COOKIE = "ik_activity"
_SALT = "ik.security.idle"


def idle_limit_seconds(user: Any) -> int:
    """The strictest limit of the organisations the user holds a role in."""
    minutes = Organisation.objects.filter(memberships__user=user).aggregate(
        limit=Min("session_idle_minutes")
    )["limit"]
    return int(minutes or DEFAULT_IDLE_MINUTES) * 60


def start_session(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """On `user_logged_in`: the clock starts, with the user's limit at this moment."""
    request.session[SIGNED_IN_AT] = int(time.time())
    request.session[IDLE_LIMIT] = idle_limit_seconds(user)


def activity_cookie(session_key: str | None, at: int) -> str:
    return signing.dumps([session_key, at], salt=_SALT)


def _last_activity(request: HttpRequest) -> int:
    last = int(request.session.get(SIGNED_IN_AT, 0))
    try:
        key, at = signing.loads(request.COOKIES.get(ACTIVITY_COOKIE, ""), salt=_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return last
    return max(last, int(at)) if key == request.session.session_key else last


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.user.is_authenticated:
            limit = int(request.session.get(IDLE_LIMIT, DEFAULT_IDLE_MINUTES * 60))
            if int(time.time()) - _last_activity(request) > limit:
                return self.sign_out(request, limit)
        response = self.get_response(request)
        if request.user.is_authenticated and request.session.session_key:
            response.set_cookie(
                ACTIVITY_COOKIE,
                activity_cookie(request.session.session_key, int(time.time())),
                max_age=int(request.session.get(IDLE_LIMIT, DEFAULT_IDLE_MINUTES * 60)),
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    @staticmethod
    def sign_out(request: HttpRequest, limit: int) -> HttpResponseBase:
        logout(request)
        messages.info(
            request,
            f"Du har loggats ut efter {format_duration_minutes(limit // 60)} utan aktivitet. "
            "Logga in igen för att fortsätta.",
        )
        response: HttpResponseBase = redirect_to_login(request.get_full_path())
        if getattr(request, "htmx", False):
            response = HttpResponseClientRedirect(response["Location"])
        response.delete_cookie(ACTIVITY_COOKIE)
        return response
