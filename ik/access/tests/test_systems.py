import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from ik.access.core import Access
from ik.access.systems import (
    can_edit_register,
    get_competence_for_user,
    get_register_for_user,
    get_system_for_user,
)
from ik.org.models import Person, Role
from ik.test import BaseTestCase, make_user


class RegisterAccessTests(BaseTestCase):
    def access(self, user):
        return Access.for_user(user)

    def test_the_controller_edits(self):
        assert can_edit_register(self.access(self.controller), self.org)
        assert get_system_for_user(self.access(self.controller), self.system.public_id, write=True)

    def test_a_control_owner_who_owns_a_control_point_here_edits(self):
        access = self.access(self.owner)
        assert can_edit_register(access, self.org)
        competence = get_competence_for_user(access, self.competence.public_id, write=True)
        assert competence == self.competence

    def test_a_control_owner_without_a_control_point_here_only_reads(self):
        person = Person.objects.create(organisation=self.org, name="Nora Ny")
        user = make_user("nyowner", organisation=self.org, role=Role.CONTROL_OWNER, person=person)
        access = self.access(user)
        assert not can_edit_register(access, self.org)
        assert get_system_for_user(access, self.system.public_id) == self.system
        with pytest.raises(PermissionDenied):
            get_system_for_user(access, self.system.public_id, write=True)

    def test_a_control_owner_without_a_person_only_reads(self):
        user = make_user("noperson", organisation=self.org, role=Role.CONTROL_OWNER)
        assert not can_edit_register(self.access(user), self.org)

    def test_owning_a_point_without_the_control_owner_role_gives_no_edit_right(self):
        self.point.owner_person.user = None
        self.point.owner_person.save()
        user = make_user(
            "ownersecretary",
            organisation=self.org,
            role=Role.SECRETARY,
            committee=self.ks,
            person=self.point.owner_person,
        )
        assert not can_edit_register(self.access(user), self.org)

    def test_auditors_secretaries_and_politicians_read_and_may_not_change(self):
        for user in (self.auditor, self.secretary, self.politician):
            access = self.access(user)
            assert get_register_for_user(access, "testkommun") == self.org
            assert get_system_for_user(access, self.system.public_id) == self.system
            assert not can_edit_register(access, self.org)
            with pytest.raises(PermissionDenied):
                get_register_for_user(access, "testkommun", write=True)
            with pytest.raises(PermissionDenied):
                get_competence_for_user(access, self.competence.public_id, write=True)

    def test_another_organisations_register_is_not_found(self):
        access = self.access(self.stranger)
        assert not can_edit_register(access, self.org)
        for getter, key in (
            (get_system_for_user, self.system.public_id),
            (get_competence_for_user, self.competence.public_id),
        ):
            with pytest.raises(Http404):
                getter(access, key)
        with pytest.raises(Http404):
            get_register_for_user(access, "testkommun")

    def test_malformed_and_unknown_ids_are_not_found(self):
        access = self.access(self.controller)
        for key in ("inte-ett-uuid", uuid.uuid4()):
            with pytest.raises(Http404):
                get_system_for_user(access, key)
            with pytest.raises(Http404):
                get_competence_for_user(access, key)
