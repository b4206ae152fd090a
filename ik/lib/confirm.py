"""One confirmation page for the changes that cannot be undone, without JavaScript."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ik.lib.breadcrumbs import Crumb


def confirm_then(
    request: HttpRequest,
    *,
    title: str,
    text: str,
    button: str,
    cancel_url: str,
    breadcrumbs: Sequence[Crumb],
    check: Callable[[], None],
    act: Callable[[], Any],
    done: Callable[[Any], tuple[str, str]],
    items: Sequence[str] = (),
    danger: bool = False,
) -> HttpResponse:
    """GET shows what will happen (or why it cannot); POST does it and redirects.

    `breadcrumbs` is the page's trail, ending in the confirmation page itself;
    `check` raises the service's ValidationError when the change is not allowed, so the
    page says why instead of offering a button; `done` turns the result into the success
    message and the address to go to.
    """
    refusal = ""
    try:
        check()
        if request.method == "POST":
            result = act()
            message, target = done(result)
            messages.success(request, message)
            return redirect(target)
    except ValidationError as exc:
        refusal = " ".join(exc.messages)
    context = {
        "title": title,
        "text": text,
        "button": button,
        "cancel_url": cancel_url,
        "breadcrumbs": breadcrumbs,
        "items": items,
        "danger": danger,
        "refusal": refusal,
    }
    status = 422 if refusal and request.method == "POST" else 200
    return render(request, "confirm.html", context, status=status)
