"""Who may see and change an organisation's system register.

Reading: everyone who reads the organisation (`organisations_for_user`), politicians of
one of its committees included; the register holds no personal data beyond operators' names.

Writing: the central controller, and control owners who own a control point in the
organisation's plans. The IT function keeps the register, and in practice it is the IT
manager who owns the continuity controls that read it; ownership is the one link to the IT
function the data model has. Auditors, politicians, secretaries and managers only read.

As in `ik.access.core`: an object of another organisation, or a malformed id, is a 404;
a visible object the user may not change is a 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from ik.access.core import Access, get_organisation_for_user, organisations_for_user
from ik.org.models import Organisation, Role
from ik.plans.models import ControlPoint
from ik.systems.models import Competence, System


def can_edit_register(access: Access, organisation: Organisation) -> bool:
    if access.is_controller(organisation):
        return True
    if access.person_id is None or Role.CONTROL_OWNER not in access.roles_in(organisation):
        return False
    return ControlPoint.objects.filter(
        owner_person_id=access.person_id, plan__committee__organisation=organisation
    ).exists()


def _deny_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("Du har inte behörighet att ändra systemregistret.")


def get_register_for_user(access: Access, org_code: str, *, write: bool = False) -> Organisation:
    """The organisation whose register the user opens; 404 unless they read it."""
    organisation = get_organisation_for_user(access, org_code)
    if write:
        _deny_unless(can_edit_register(access, organisation))
    return organisation


def get_system_for_user(access: Access, public_id: Any, *, write: bool = False) -> System:
    try:
        system = System.objects.select_related("organisation", "owner_unit").get(
            public_id=public_id, organisation__in=organisations_for_user(access)
        )
    except (System.DoesNotExist, ValueError, ValidationError):
        raise Http404("Systemet finns inte.") from None
    if write:
        _deny_unless(can_edit_register(access, system.organisation))
    return system


def get_competence_for_user(access: Access, public_id: Any, *, write: bool = False) -> Competence:
    try:
        competence = Competence.objects.select_related("system__organisation").get(
            public_id=public_id, system__organisation__in=organisations_for_user(access)
        )
    except (Competence.DoesNotExist, ValueError, ValidationError):
        raise Http404("Kompetensen finns inte.") from None
    if write:
        _deny_unless(can_edit_register(access, competence.system.organisation))
    return competence
