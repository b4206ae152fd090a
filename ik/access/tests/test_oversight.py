"""The overview rule: the central controller, the auditors and the executive board."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from ik.access.core import Access
from ik.access.oversight import (
    get_organisation_to_oversee,
    overseen_codes,
    overseen_organisations,
)
from ik.org.models import Committee, Person, Role
from ik.test import BaseTestCase, make_user


class OversightRuleTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        org = cls.org
        cls.ks_manager = make_user(
            "ks-manager", organisation=org, role=Role.MANAGER, committee=cls.ks
        )
        cls.sn_secretary = make_user(
            "sn-secretary", organisation=org, role=Role.SECRETARY, committee=cls.sn
        )
        cls.sn_manager = make_user(
            "sn-manager", organisation=org, role=Role.MANAGER, committee=cls.sn
        )
        cls.sn_politician = make_user(
            "sn-politician", organisation=org, role=Role.POLITICIAN, committee=cls.sn
        )

    def allowed(self, user) -> bool:
        try:
            get_organisation_to_oversee(Access.for_user(user), "testkommun")
        except PermissionDenied:
            return False
        return True

    def test_controller_and_auditor_oversee_their_organisation(self):
        assert self.allowed(self.controller)
        assert self.allowed(self.auditor)

    def test_the_executive_boards_secretary_manager_and_politicians_oversee_it(self):
        assert self.allowed(self.secretary)
        assert self.allowed(self.ks_manager)
        assert self.allowed(self.politician)

    def test_other_committees_people_and_control_owners_are_refused(self):
        for user in (self.sn_secretary, self.sn_manager, self.sn_politician, self.owner):
            assert not self.allowed(user), user.username

    def test_a_user_of_another_organisation_does_not_see_it_exists(self):
        with pytest.raises(Http404):
            get_organisation_to_oversee(Access.for_user(self.stranger), "testkommun")
        with pytest.raises(Http404):
            get_organisation_to_oversee(Access.for_user(self.controller), "annan")

    def test_anonymous_users_oversee_nothing(self):
        assert not overseen_organisations(Access.for_user(AnonymousUser())).exists()

    def test_a_board_role_in_one_organisation_grants_nothing_in_another(self):
        other_ks = Committee.objects.get(organisation__code="annan", code="ks")
        # An auditor of Annan kommun who is also a Socialnämnden secretary in Testkommun.
        user = make_user("mixed", organisation=other_ks.organisation, role=Role.AUDITOR)
        user.memberships.create(organisation=self.org, role=Role.SECRETARY, committee=self.sn)
        access = Access.for_user(user)
        assert list(overseen_organisations(access).values_list("code", flat=True)) == ["annan"]
        with pytest.raises(PermissionDenied):
            get_organisation_to_oversee(access, "testkommun")

    def test_a_membership_pointing_at_another_organisations_board_grants_nothing(self):
        # A hand-made row: a secretary role in Testkommun whose committee is Annan's board.
        other_ks = Committee.objects.get(organisation__code="annan", code="ks")
        user = make_user("crossed", organisation=self.org, role=Role.SECRETARY, committee=self.sn)
        user.memberships.update(committee=other_ks)
        access = Access.for_user(user)
        assert access.overseen_orgs == set()
        with pytest.raises(PermissionDenied):
            get_organisation_to_oversee(access, "testkommun")


class OneQueryForRightsTests(BaseTestCase):
    """Every page reads the user's rights; that costs one query, whatever the roles."""

    def test_rights_menus_and_own_person_come_from_one_query(self):
        user = make_user("many", organisation=self.org, role=Role.AUDITOR)
        user.memberships.create(organisation=self.org, role=Role.SECRETARY, committee=self.ks)
        other = Committee.objects.get(organisation__code="annan", code="ks")
        user.memberships.create(organisation=other.organisation, role=Role.CONTROLLER)
        person = Person.objects.create(organisation=self.org, name="Mia Många", user=user)
        with self.assertNumQueries(1):
            access = Access.for_user(user)
            codes = overseen_codes(access)
            names = [access.organisations[pk].name for pk in access.controller_orgs]
        assert access.person_id == person.pk
        by_code = {org.code: org.name for org in access.organisations.values()}
        assert codes == sorted(codes, key=by_code.__getitem__)
        assert set(codes) == {"annan", "testkommun"}
        assert names == [other.organisation.name]
