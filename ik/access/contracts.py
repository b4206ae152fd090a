"""Who may see and change an organisation's contract register and procurement settings.

Reading: everyone who reads the organisation (`organisations_for_user`); the register holds
suppliers and contracts, public records in a municipality, and no personal data.
Writing: the central controller only. The register comes from the procurement function's
own system; the controller imports it and sets the limits the controls apply.

As in `ik.access.core`: another organisation's register is a 404; a visible register the
user may not change is a 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from ik.access.core import Access, get_organisation_for_user, organisations_for_user
from ik.contracts.models import Contract
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


def get_contract_for_user(access: Access, public_id: Any, *, write: bool = False) -> Contract:
    """One row of a register the user reads; 404 otherwise, 403 on writing without the right."""
    try:
        contract = Contract.objects.select_related("organisation").get(
            public_id=public_id, organisation__in=organisations_for_user(access)
        )
    except (Contract.DoesNotExist, ValueError, ValidationError):
        raise Http404("Avtalet finns inte.") from None
    if write and not can_edit_contracts(access, contract.organisation):
        raise PermissionDenied("Du har inte behörighet att ändra avtalsregistret.")
    return contract
