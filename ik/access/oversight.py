"""Who may see the whole organisation's internal control at once (uppsiktsplikt).

The central controller, the organisation's auditors, and the executive board's own members
(its secretary, manager and politicians). Everyone else in the organisation gets a 403; users
of other organisations a 404, as everywhere.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from ik.access.core import Access, get_organisation_for_user
from ik.org.models import Organisation


def overseen_organisations(access: Access) -> QuerySet[Organisation]:
    """The organisations whose overview the user may see (the rule: `ik.access.core.oversees`)."""
    return Organisation.objects.filter(id__in=access.overseen_orgs)


def overseen_codes(access: Access) -> list[str]:
    """Codes of the organisations the user oversees, by name: for menus, without a query."""
    overseen = [access.organisations[org_id] for org_id in access.overseen_orgs]
    return [org.code for org in sorted(overseen, key=lambda org: (org.name, org.code))]


def get_organisation_to_oversee(access: Access, code: str) -> Organisation:
    """The organisation for its overview page; 404 outside it, 403 for other roles in it."""
    organisation = get_organisation_for_user(access, code)
    if organisation.pk not in access.overseen_orgs:
        raise PermissionDenied(
            "Översikten är för kommunstyrelsen, den centrala controllern och revisorerna."
        )
    return organisation
