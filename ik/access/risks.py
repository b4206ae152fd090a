"""Who may see and change the risk analysis.

A plan's risks are read by everyone who reads the plan and changed by those who may change
the plan (`Access.can_write_committee`). The scale and categories belong to the
organisation and are changed by its controller only. As in `ik.access.core`: an object of
another organisation, or a malformed id, is a 404; a visible object the user may not change
is a 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404

from ik.access.core import Access, get_organisation_for_user, organisations_for_user
from ik.org.models import Organisation
from ik.risks.models import Risk, RiskCategory


def _deny_unless(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def get_risk_for_user(access: Access, public_id: Any, *, write: bool = False) -> Risk:
    try:
        risk = Risk.objects.select_related("plan__committee__organisation", "category").get(
            Q(public_id=public_id) & access.committee_filter("plan__committee__")
        )
    except (Risk.DoesNotExist, ValueError, ValidationError):
        raise Http404("Risken finns inte.") from None
    if write:
        _deny_unless(
            access.can_write_committee(risk.plan.committee),
            "Du har inte behörighet att ändra riskanalysen.",
        )
    return risk


def get_scale_organisation_for_user(
    access: Access, org_code: str, *, write: bool = False
) -> Organisation:
    organisation = get_organisation_for_user(access, org_code)
    if write:
        _deny_unless(
            access.is_controller(organisation), "Bara organisationens controller ändrar riskskalan."
        )
    return organisation


def get_category_for_user(access: Access, public_id: Any, *, write: bool = False) -> RiskCategory:
    try:
        category = RiskCategory.objects.select_related("organisation").get(
            public_id=public_id, organisation__in=organisations_for_user(access)
        )
    except (RiskCategory.DoesNotExist, ValueError, ValidationError):
        raise Http404("Kategorin finns inte.") from None
    if write:
        _deny_unless(
            access.is_controller(category.organisation_id),
            "Bara organisationens controller ändrar riskkategorierna.",
        )
    return category
