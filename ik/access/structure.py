"""Who may see and change an organisation's structure: committees, units and people.

The structure pages belong to the organisation's central controller, as users and roles
do. Anyone else in the organisation gets a 403 on them, and a user of another organisation
(or a malformed id) a 404, as in `ik.access.core`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from ik.access.core import Access, get_organisation_for_user, organisations_for_user
from ik.org.models import Committee, Organisation, Person, Unit

REFUSAL = "Nämnder, enheter och personer hanteras av organisationens controller."


def _deny_unless_controller(access: Access, organisation: Organisation | int) -> None:
    if not access.is_controller(organisation):
        raise PermissionDenied(REFUSAL)


def get_structure_organisation_for_user(access: Access, org_code: str) -> Organisation:
    organisation = get_organisation_for_user(access, org_code)
    _deny_unless_controller(access, organisation)
    return organisation


def get_structure_committee_for_user(access: Access, org_code: str, code: str) -> Committee:
    organisation = get_organisation_for_user(access, org_code)
    try:
        committee = Committee.objects.select_related("organisation").get(
            organisation=organisation, code=code
        )
    except Committee.DoesNotExist:
        raise Http404("Nämnden finns inte.") from None
    _deny_unless_controller(access, organisation)
    return committee


def get_unit_for_user(access: Access, public_id: Any) -> Unit:
    try:
        unit = Unit.objects.select_related("committee__organisation", "parent").get(
            public_id=public_id, committee__organisation__in=organisations_for_user(access)
        )
    except (Unit.DoesNotExist, ValueError, ValidationError):
        raise Http404("Enheten finns inte.") from None
    _deny_unless_controller(access, unit.committee.organisation_id)
    return unit


def get_person_for_user(access: Access, public_id: Any) -> Person:
    try:
        person = Person.objects.select_related("organisation", "unit", "user").get(
            public_id=public_id, organisation__in=organisations_for_user(access)
        )
    except (Person.DoesNotExist, ValueError, ValidationError):
        raise Http404("Personen finns inte.") from None
    _deny_unless_controller(access, person.organisation_id)
    return person
