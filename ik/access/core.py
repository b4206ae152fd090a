"""The only way views fetch objects: what a user may see and change.

Reading: a user sees the organisations they have a role in. Auditors, controllers,
secretaries, managers and control owners read every committee of their organisation;
politicians read their own committee. Anything else is a 404, so ids in URLs reveal nothing.

Writing: controllers change everything in their organisation; secretaries and managers
their committee's plans and follow-ups; control owners the follow-up entries of the control
points they own, with deviations and actions on them. Auditors and politicians change
nothing. A visible object the user may not change is a 403.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet, Subquery
from django.http import Http404

from ik.controls.models import ControlRun, LedgerMapping
from ik.followups.models import Action, Deviation, FollowUp, FollowUpEntry
from ik.org.models import COMMITTEE_ROLES, Committee, Membership, Organisation, Person, Role
from ik.plans.models import ControlPoint, Plan
from ik.reports.models import ArchivedItem

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    AnyUser = AbstractBaseUser | AnonymousUser

ORG_WIDE_READERS = {Role.CONTROLLER, Role.AUDITOR, Role.SECRETARY, Role.MANAGER, Role.CONTROL_OWNER}
COMMITTEE_WRITERS = {Role.SECRETARY, Role.MANAGER}
# Roles that change something in their organisation; auditors and politicians only read.
WRITING_ROLES = {Role.CONTROLLER, Role.CONTROL_OWNER, *COMMITTEE_WRITERS}


@dataclass
class Access:
    """A user's rights, computed once per request from their memberships."""

    user_id: int | None
    person_id: int | None
    read_orgs: set[int] = field(default_factory=set)
    read_committees: set[int] = field(default_factory=set)
    write_orgs: set[int] = field(default_factory=set)
    write_committees: set[int] = field(default_factory=set)
    controller_orgs: set[int] = field(default_factory=set)
    # Every role the user holds somewhere: for menus only. A right is always decided by
    # `roles_in` the object's own organisation, since one user may audit one municipality
    # and own controls in another.
    roles: set[str] = field(default_factory=set)
    org_roles: dict[int, set[str]] = field(default_factory=dict)

    # Organisations whose overview the user may see (uppsiktsplikt): see `oversees`.
    overseen_orgs: set[int] = field(default_factory=set)
    # Every organisation the user has a role in, with only its code and name loaded: menus.
    organisations: dict[int, Organisation] = field(default_factory=dict)

    @classmethod
    def for_user(cls, user: Any) -> Access:
        """Every right of the user from one query: memberships with their organisation and
        committee, and the user's own entry in the people register."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return cls(user_id=None, person_id=None)
        memberships = (
            Membership.objects.filter(user=user)
            .select_related("organisation", "committee")
            .annotate(own_person=Subquery(Person.objects.filter(user=user).values("pk")[:1]))
            .only(
                "organisation_id",
                "role",
                "committee_id",
                "organisation__code",
                "organisation__name",
                "committee__organisation_id",
                "committee__is_executive_board",
            )
        )
        access = cls(user_id=user.pk, person_id=None)
        for m in memberships:
            access.person_id = m.own_person
            access.organisations[m.organisation_id] = m.organisation
            access._add(m)
        return access

    def _add(self, m: Membership) -> None:
        self.roles.add(m.role)
        self.org_roles.setdefault(m.organisation_id, set()).add(m.role)
        if m.role in ORG_WIDE_READERS:
            self.read_orgs.add(m.organisation_id)
        elif m.committee_id:
            self.read_committees.add(m.committee_id)
        if m.role == Role.CONTROLLER:
            self.controller_orgs.add(m.organisation_id)
            self.write_orgs.add(m.organisation_id)
        elif m.role in COMMITTEE_WRITERS and m.committee_id:
            self.write_committees.add(m.committee_id)
        if oversees(m):
            self.overseen_orgs.add(m.organisation_id)

    # Committees -----------------------------------------------------------------------
    def committee_filter(self, prefix: str = "") -> Q:
        return Q(**{f"{prefix}organisation_id__in": self.read_orgs}) | Q(
            **{f"{prefix}id__in": self.read_committees}
        )

    def can_read_committee(self, committee: Committee) -> bool:
        return committee.organisation_id in self.read_orgs or committee.pk in self.read_committees

    def can_write_committee(self, committee: Committee) -> bool:
        return committee.organisation_id in self.write_orgs or committee.pk in self.write_committees

    def roles_in(self, organisation: Organisation | int) -> set[str]:
        """The roles the user holds in this organisation, and in no other."""
        org_id = organisation if isinstance(organisation, int) else organisation.pk
        return self.org_roles.get(org_id, set())

    def is_controller(self, organisation: Organisation | int) -> bool:
        org_id = organisation if isinstance(organisation, int) else organisation.pk
        return org_id in self.controller_orgs

    # Entries --------------------------------------------------------------------------
    def is_named_owner(self, person_id: int | None, organisation_id: int) -> bool:
        """The user is the person named, and holds a writing role in that organisation."""
        return (
            self.person_id is not None
            and person_id == self.person_id
            and bool(self.roles_in(organisation_id) & WRITING_ROLES)
        )

    def can_edit_entry(self, entry: FollowUpEntry) -> bool:
        committee = entry.followup.plan.committee
        if not entry.followup.is_open:
            return False
        return self.can_write_committee(committee) or self.is_named_owner(
            entry.control_point.owner_person_id, committee.organisation_id
        )

    def can_edit_action(self, action: Action) -> bool:
        # Actions outlive the follow-up they came from, so a reported follow-up does not
        # freeze them: the owner must still be able to close one with its effect check.
        entry = action.deviation.entry
        committee = entry.followup.plan.committee
        return (
            self.can_write_committee(committee)
            or self.is_named_owner(entry.control_point.owner_person_id, committee.organisation_id)
            or self.is_named_owner(action.owner_person_id, committee.organisation_id)
        )

    def can_manage_mappings(self, organisation: Organisation) -> bool:
        """Saved ledger mappings belong to those who run controls in the organisation."""
        return bool(self.roles_in(organisation) & WRITING_ROLES)

    @property
    def is_read_only(self) -> bool:
        return not (self.write_orgs or self.write_committees or Role.CONTROL_OWNER in self.roles)


def oversees(m: Membership) -> bool:
    """Who may see the whole organisation's internal control at once (uppsiktsplikt): the
    central controller, the organisation's auditors, and the executive board's own members
    (its secretary, manager and politicians). The rule, in one place."""
    if m.role in (Role.CONTROLLER, Role.AUDITOR):
        return True
    committee = m.committee
    return (
        m.role in COMMITTEE_ROLES
        and committee is not None
        and committee.is_executive_board
        and committee.organisation_id == m.organisation_id
    )


def access_for(request: Any) -> Access:
    """The request's Access, computed once and cached on the request."""
    cached = getattr(request, "_ik_access", None)
    if cached is None:
        cached = Access.for_user(request.user)
        request._ik_access = cached
    return cached


def _deny_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("Du har inte behörighet att ändra detta.")


def organisations_for_user(access: Access) -> QuerySet[Organisation]:
    committee_orgs = Committee.objects.filter(id__in=access.read_committees).values(
        "organisation_id"
    )
    return Organisation.objects.filter(Q(id__in=access.read_orgs) | Q(id__in=committee_orgs))


def get_organisation_for_user(access: Access, code: str) -> Organisation:
    try:
        return organisations_for_user(access).get(code=code)
    except Organisation.DoesNotExist:
        raise Http404("Organisationen finns inte.") from None


def committees_for_user(access: Access) -> QuerySet[Committee]:
    return Committee.objects.filter(access.committee_filter()).select_related("organisation")


def get_committee_for_user(
    access: Access, org_code: str, code: str, *, write: bool = False
) -> Committee:
    try:
        committee = committees_for_user(access).get(organisation__code=org_code, code=code)
    except Committee.DoesNotExist:
        raise Http404("Nämnden finns inte.") from None
    if write:
        _deny_unless(access.can_write_committee(committee))
    return committee


def plans_for_user(access: Access) -> QuerySet[Plan]:
    return Plan.objects.filter(access.committee_filter("committee__")).select_related(
        "committee__organisation"
    )


def get_plan_for_user(access: Access, public_id: Any, *, write: bool = False) -> Plan:
    try:
        plan = plans_for_user(access).get(public_id=public_id)
    except (Plan.DoesNotExist, ValueError, ValidationError):
        raise Http404("Planen finns inte.") from None
    if write:
        _deny_unless(access.can_write_committee(plan.committee))
    return plan


def get_control_point_for_user(
    access: Access, public_id: Any, *, write: bool = False
) -> ControlPoint:
    try:
        point = ControlPoint.objects.select_related(
            "plan__committee__organisation", "process", "common", "owner_person"
        ).get(Q(public_id=public_id) & access.committee_filter("plan__committee__"))
    except (ControlPoint.DoesNotExist, ValueError, ValidationError):
        raise Http404("Kontrollmomentet finns inte.") from None
    if write:
        _deny_unless(access.can_write_committee(point.plan.committee))
    return point


def get_followup_for_user(access: Access, public_id: Any, *, write: bool = False) -> FollowUp:
    try:
        followup = FollowUp.objects.select_related(
            "plan__committee__organisation", "case_officer", "signatory", "minutes_officer"
        ).get(Q(public_id=public_id) & access.committee_filter("plan__committee__"))
    except (FollowUp.DoesNotExist, ValueError, ValidationError):
        raise Http404("Uppföljningen finns inte.") from None
    if write:
        _deny_unless(access.can_write_committee(followup.plan.committee))
    return followup


def get_archived_item_for_user(access: Access, public_id: Any) -> ArchivedItem:
    """An archived item, for whoever may read its follow-up's committee."""
    try:
        return ArchivedItem.objects.select_related("followup__plan__committee").get(
            Q(public_id=public_id) & access.committee_filter("followup__plan__committee__")
        )
    except (ArchivedItem.DoesNotExist, ValueError, ValidationError):
        raise Http404("Det arkiverade ärendet finns inte.") from None


def get_entry_for_user(access: Access, public_id: Any, *, write: bool = False) -> FollowUpEntry:
    try:
        entry = FollowUpEntry.objects.select_related(
            "followup__plan__committee__organisation",
            "control_point__process",
            "control_point__owner_person",
            "control_point__common",
        ).get(Q(public_id=public_id) & access.committee_filter("followup__plan__committee__"))
    except (FollowUpEntry.DoesNotExist, ValueError, ValidationError):
        raise Http404("Posten finns inte.") from None
    if write:
        _deny_unless(access.can_edit_entry(entry))
    return entry


def get_deviation_for_user(access: Access, public_id: Any, *, write: bool = False) -> Deviation:
    try:
        deviation = Deviation.objects.select_related(
            "entry__followup__plan__committee__organisation", "entry__control_point"
        ).get(
            Q(public_id=public_id) & access.committee_filter("entry__followup__plan__committee__")
        )
    except (Deviation.DoesNotExist, ValueError, ValidationError):
        raise Http404("Avvikelsen finns inte.") from None
    if write:
        _deny_unless(access.can_edit_entry(deviation.entry))
    return deviation


def get_action_for_user(access: Access, public_id: Any, *, write: bool = False) -> Action:
    try:
        action = Action.objects.select_related(
            "deviation__entry__followup__plan__committee__organisation",
            "deviation__entry__control_point",
            "owner_person",
        ).get(
            Q(public_id=public_id)
            & access.committee_filter("deviation__entry__followup__plan__committee__")
        )
    except (Action.DoesNotExist, ValueError, ValidationError):
        raise Http404("Åtgärden finns inte.") from None
    if write:
        _deny_unless(access.can_edit_action(action))
    return action


def get_control_run_for_user(access: Access, public_id: Any) -> ControlRun:
    try:
        return ControlRun.objects.select_related(
            "entry__followup__plan__committee__organisation",
            "entry__control_point__process",
            "entry__control_point__common",
            "created_by",
        ).get(
            Q(public_id=public_id) & access.committee_filter("entry__followup__plan__committee__")
        )
    except (ControlRun.DoesNotExist, ValueError, ValidationError):
        raise Http404("Kontrollkörningen finns inte.") from None


def get_ledger_mapping_for_user(
    access: Access, public_id: Any, *, write: bool = False
) -> LedgerMapping:
    try:
        mapping = LedgerMapping.objects.select_related("organisation").get(
            public_id=public_id, organisation__in=organisations_for_user(access)
        )
    except (LedgerMapping.DoesNotExist, ValueError, ValidationError):
        raise Http404("Kolumnmappningen finns inte.") from None
    if write:
        _deny_unless(access.can_manage_mappings(mapping.organisation))
    return mapping
