"""Changes to an organisation's own settings."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ik.org.actors import Actor
from ik.org.audit import audit_changes, snapshot
from ik.org.models import Organisation

SETTINGS_FIELDS = (
    "name",
    "postal_address",
    "visiting_address",
    "phone",
    "fax",
    "website",
    "email",
    "bankgiro",
    "logo",
    "word_template",
    "session_idle_minutes",
)


@transaction.atomic
def organisation_update(*, organisation: Organisation, by: Actor, form: Any) -> Organisation:
    before = snapshot(organisation, SETTINGS_FIELDS)
    form.save()
    audit_changes(
        organisation=organisation,
        actor=by,
        action="organisation_update",
        obj=organisation,
        fields=SETTINGS_FIELDS,
        before=before,
        summary=f"Ändrade inställningar för {organisation}",
    )
    return organisation
