"""Who may see the whole organisation's internal control at once (uppsiktsplikt).

The central controller, the organisation's auditors, and the executive board's own members
(its secretary, manager and politicians). Everyone else in the organisation gets a 403; users
of other organisations a 404, as everywhere.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, QuerySet

from ik.access.core import Access, get_organisation_for_user
from ik.org.models import COMMITTEE_ROLES, Membership, Organisation, Role


def overseen_organisations(access: Access) -> QuerySet[Organisation]:
    """The organisations whose overview the user may see: the rule, in one place."""
    if access.user_id is None:
        return Organisation.objects.none()
    overseers = Membership.objects.filter(user_id=access.user_id).filter(
        Q(role__in=(Role.CONTROLLER, Role.AUDITOR))
        | Q(
            role__in=COMMITTEE_ROLES,
            committee__is_executive_board=True,
            committee__organisation_id=F("organisation_id"),
        )
    )
    return Organisation.objects.filter(id__in=overseers.values("organisation_id"))


def get_organisation_to_oversee(access: Access, code: str) -> Organisation:
    """The organisation for its overview page; 404 outside it, 403 for other roles in it."""
    organisation = get_organisation_for_user(access, code)
    if not overseen_organisations(access).filter(pk=organisation.pk).exists():
        raise PermissionDenied(
            "Översikten är för kommunstyrelsen, den centrala controllern och revisorerna."
        )
    return organisation
