"""The overview rule: the central controller, the auditors and the executive board."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from ik.access.core import Access
from ik.access.oversight import get_organisation_to_oversee, overseen_organisations
from ik.org.models import Committee, Role
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
