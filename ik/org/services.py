"""Changes to an organisation's own settings."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ik.org.audit import audit_record, diff, snapshot
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
)


@transaction.atomic
def organisation_update(*, organisation: Organisation, by: Any, form: Any) -> Organisation:
    before = snapshot(organisation, SETTINGS_FIELDS)
    form.save()
    changes = diff(before, snapshot(organisation, SETTINGS_FIELDS))
    if changes:
        audit_record(
            organisation=organisation,
            actor=by,
            action="organisation_update",
            obj=organisation,
            summary=f"Ändrade inställningar för {organisation}",
            changes=changes,
        )
    return organisation
