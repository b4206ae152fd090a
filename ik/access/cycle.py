"""Who may see and change the organisation-wide parts of the yearly cycle.

Common control points and the cycle's deadlines belong to the organisation, not to one
committee. Everyone who reads the organisation reads them; only its central controller
changes them. As in `ik.access.core`: an object of another organisation, or a malformed id,
is a 404; a visible object the user may not change is a 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from ik.access.core import Access, get_organisation_for_user, organisations_for_user
from ik.org.models import Organisation
from ik.plans.models import CommonControlPoint, CycleDeadline


def _deny_unless_controller(access: Access, organisation: Organisation) -> None:
    if not access.is_controller(organisation):
        raise PermissionDenied("Bara organisationens controller kan ändra detta.")


def get_cycle_organisation_for_user(
    access: Access, org_code: str, *, write: bool = False
) -> Organisation:
    organisation = get_organisation_for_user(access, org_code)
    if write:
        _deny_unless_controller(access, organisation)
    return organisation


def get_common_for_user(
    access: Access, public_id: Any, *, write: bool = False
) -> CommonControlPoint:
    try:
        common = CommonControlPoint.objects.select_related("organisation").get(
            public_id=public_id, organisation__in=organisations_for_user(access)
        )
    except (CommonControlPoint.DoesNotExist, ValueError, ValidationError):
        raise Http404("Det kommungemensamma kontrollmomentet finns inte.") from None
    if write:
        _deny_unless_controller(access, common.organisation)
    return common


def get_deadline_for_user(access: Access, public_id: Any, *, write: bool = False) -> CycleDeadline:
    try:
        deadline = CycleDeadline.objects.select_related("organisation").get(
            public_id=public_id, organisation__in=organisations_for_user(access)
        )
    except (CycleDeadline.DoesNotExist, ValueError, ValidationError):
        raise Http404("Datumet finns inte i tidsplanen.") from None
    if write:
        _deny_unless_controller(access, deadline.organisation)
    return deadline
