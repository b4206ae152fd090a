"""Who may see and change an organisation's contract register and procurement settings.

Reading: everyone who reads the organisation (`organisations_for_user`); the register holds
suppliers and contracts, public records in a municipality, and no personal data.
Writing: the central controller only. The register comes from the procurement function's
own system; the controller imports it and sets the limits the controls apply.

As in `ik.access.core`: another organisation's register is a 404; a visible register the
user may not change is a 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from ik.access.core import Access, get_organisation_for_user
from ik.org.models import Organisation


def can_edit_contracts(access: Access, organisation: Organisation) -> bool:
    return access.is_controller(organisation)


def get_contract_register_for_user(
    access: Access, org_code: str, *, write: bool = False
) -> Organisation:
    """The organisation whose contract register the user opens; 404 unless they read it."""
    organisation = get_organisation_for_user(access, org_code)
    if write and not can_edit_contracts(access, organisation):
        raise PermissionDenied("Du har inte behörighet att ändra avtalsregistret.")
    return organisation
