"""Template helpers for the audit history and the links to user and trail pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.db import models

from ik.access.core import access_for
from ik.org.audit import can_read_trail, history
from ik.org.models import Organisation

register = template.Library()


@register.inclusion_tag("includes/history.html")
def audit_history(obj: models.Model, history_id: str = "history") -> dict[str, Any]:
    """The "Historik" section of one object: `{% audit_history plan %}`."""
    return {"history": history(obj), "history_id": history_id}


@register.simple_tag(takes_context=True)
def administered_organisations(context: template.Context) -> list[Organisation]:
    """Organisations whose users the signed-in person administers (as controller)."""
    request = context.get("request")
    if request is None or not getattr(request.user, "is_authenticated", False):
        return []
    cached = getattr(request, "_ik_administered", None)
    if cached is None:
        access = access_for(request)
        cached = [access.organisations[org_id] for org_id in sorted(access.controller_orgs)]
        request._ik_administered = cached
    return cached


@register.simple_tag(takes_context=True)
def reads_trail(context: template.Context, organisation: Organisation) -> bool:
    request = context.get("request")
    if request is None:
        return False
    return can_read_trail(access_for(request).user_id, organisation)
