"""The "Översikt" link in the main menu, for those who may see the overview."""

from __future__ import annotations

from typing import Any

from django import template

from ik.access.core import access_for
from ik.access.oversight import overseen_codes

register = template.Library()


def _overseen_codes(request: Any) -> list[str]:
    cached = getattr(request, "_ik_overseen", None)
    if cached is None:
        cached = overseen_codes(access_for(request))
        request._ik_overseen = cached
    return cached


@register.inclusion_tag("oversight/nav_link.html", takes_context=True)
def oversight_nav_link(context: template.Context) -> dict[str, Any]:
    """Links to the overview of the organisation on screen, or else the first one."""
    request = context.get("request")
    codes = _overseen_codes(request) if request is not None else []
    shown = getattr(context.get("organisation"), "code", None)
    code = shown if shown in codes else (codes[0] if codes else None)
    match = getattr(request, "resolver_match", None)
    current = match is not None and match.view_name == "oversight:overview"
    return {"code": code, "current": current}
