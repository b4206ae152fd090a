import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from ik.access.core import (
    Access,
    get_action_for_user,
    get_entry_for_user,
    get_plan_for_user,
    plans_for_user,
)
from ik.test import BaseTestCase


class AccessTests(BaseTestCase):
    def access(self, user):
        return Access.for_user(user)

    def test_controller_reads_and_writes_every_committee_of_the_organisation(self):
        access = self.access(self.controller)
        assert set(plans_for_user(access)) == {self.plan, self.sn_plan}
        assert get_plan_for_user(access, self.sn_plan.public_id, write=True) == self.sn_plan

    def test_secretary_writes_own_committee_and_only_reads_others(self):
        access = self.access(self.secretary)
        assert get_plan_for_user(access, self.plan.public_id, write=True) == self.plan
        assert get_plan_for_user(access, self.sn_plan.public_id) == self.sn_plan
        with pytest.raises(PermissionDenied):
            get_plan_for_user(access, self.sn_plan.public_id, write=True)

    def test_politician_reads_only_own_committee(self):
        access = self.access(self.politician)
        assert set(plans_for_user(access)) == {self.plan}
        with pytest.raises(Http404):
            get_plan_for_user(access, self.sn_plan.public_id)
        with pytest.raises(PermissionDenied):
            get_plan_for_user(access, self.plan.public_id, write=True)

    def test_auditor_reads_everything_in_the_organisation_and_changes_nothing(self):
        access = self.access(self.auditor)
        assert set(plans_for_user(access)) == {self.plan, self.sn_plan}
        assert access.is_read_only
        with pytest.raises(PermissionDenied):
            get_entry_for_user(access, self.entry.public_id, write=True)

    def test_control_owner_edits_own_entry_but_not_others(self):
        access = self.access(self.owner)
        assert get_entry_for_user(access, self.entry.public_id, write=True) == self.entry
        with pytest.raises(PermissionDenied):
            get_entry_for_user(access, self.other_entry.public_id, write=True)
        with pytest.raises(PermissionDenied):
            get_plan_for_user(access, self.plan.public_id, write=True)

    def test_control_owner_edits_actions_on_own_entries(self):
        access = self.access(self.owner)
        assert get_action_for_user(access, self.action.public_id, write=True) == self.action

    def test_nobody_writes_to_a_reported_followup_entry(self):
        self.followup.status = "reported"
        self.followup.save()
        for user in (self.controller, self.owner):
            with pytest.raises(PermissionDenied):
                get_entry_for_user(self.access(user), self.entry.public_id, write=True)

    def test_stranger_sees_nothing_of_another_organisation(self):
        access = self.access(self.stranger)
        assert self.plan not in set(plans_for_user(access))
        with pytest.raises(Http404):
            get_plan_for_user(access, self.plan.public_id)
        with pytest.raises(Http404):
            get_entry_for_user(access, self.entry.public_id)

    def test_malformed_ids_are_404_not_500(self):
        with pytest.raises(Http404):
            get_plan_for_user(self.access(self.controller), "inte-ett-uuid")
