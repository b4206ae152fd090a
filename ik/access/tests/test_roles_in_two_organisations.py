"""A role in one organisation grants nothing in another.

The attacker audits Testkommun (and is named there as a person, owning a control point and an
action) while owning controls in Annan kommun, or controls Annan kommun while only reading
Testkommun. Every change they try in Testkommun through the real views is refused and leaves
no trace; the same rights still work in the organisation where they hold them.
"""

from django.urls import reverse

from ik.access.core import Access
from ik.access.oversight import overseen_organisations
from ik.access.systems import can_edit_register
from ik.controls.models import LedgerMapping
from ik.followups.models import Action
from ik.org.audit import can_read_trail
from ik.org.models import AuditEvent, Membership, Organisation, Person, Role
from ik.systems.models import System
from ik.test import BaseTestCase, make_user


class TwoOrganisationTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.other = Organisation.objects.get(code="annan")
        person = Person.objects.create(organisation=cls.org, name="Dubbel Roll")
        cls.dual = make_user("dual", organisation=cls.org, role=Role.AUDITOR, person=person)
        Membership.objects.create(user=cls.dual, organisation=cls.other, role=Role.CONTROL_OWNER)
        cls.other_point.owner_person = person
        cls.other_point.save()
        Action.objects.filter(pk=cls.action.pk).update(owner_person=person)
        cls.boss = make_user("boss", organisation=cls.other, role=Role.CONTROLLER)
        Membership.objects.create(
            user=cls.boss, organisation=cls.org, role=Role.POLITICIAN, committee=cls.sn
        )

    def attempts_on_testkommun(self):
        org = {"org": self.org.code}
        mapping = {"mapping_id": self.mapping.public_id}
        return [
            ("controls:ledger_mapping_list", org, {"name": "Kapad", "col_amount": "Summa"}),
            ("controls:ledger_mapping_delete", mapping, {}),
            ("systems:system_create", org, {"name": "Kapat", "criticality": "business"}),
            ("systems:system_edit", {"system_id": self.system.public_id}, {"name": "Kapat"}),
            ("systems:system_delete", {"system_id": self.system.public_id}, {}),
            ("systems:competence_add", {"system_id": self.system.public_id}, {"person": "X"}),
            ("followups:entry_edit", {"entry_id": self.other_entry.public_id}, {}),
            ("followups:deviation_create", {"entry_id": self.other_entry.public_id}, {}),
            ("controls:control_run_create", {"entry_id": self.other_entry.public_id}, {}),
            ("followups:action_edit", {"action_id": self.action.public_id}, {}),
            ("followups:action_close", {"action_id": self.action.public_id}, {}),
            ("web:organisation_settings", org, {"name": "Kapad"}),
            ("plans:common_create", org, {}),
            ("plans:deadline_create", org, {}),
            ("risks:scale_settings", org, {}),
            ("notifications:reminder_settings", org, {"days_before": 1}),
            ("accounts:invitation_create", org, {"email": "x@example.se"}),
        ]

    def test_an_auditor_here_who_owns_controls_elsewhere_changes_nothing_here(self):
        # The auditor sees everything here, so each refusal is a 403; the politician of
        # Socialnämnden does not even see Kommunstyrelsen's entries (404).
        for user, refusals in ((self.dual, {403}), (self.boss, {403, 404})):
            self.client.force_login(user)
            before = AuditEvent.objects.filter(organisation=self.org).count()
            for name, kwargs, data in self.attempts_on_testkommun():
                response = self.client.post(reverse(name, kwargs=kwargs), data)
                assert response.status_code in refusals, (user, name, response.status_code)
            assert AuditEvent.objects.filter(organisation=self.org).count() == before
        assert LedgerMapping.objects.filter(pk=self.mapping.pk).exists()
        assert not LedgerMapping.objects.filter(name="Kapad").exists()
        assert not System.objects.filter(name="Kapat").exists()

    def test_the_same_user_keeps_the_rights_held_in_the_other_organisation(self):
        self.client.force_login(self.dual)
        url = reverse("controls:ledger_mapping_list", kwargs={"org": self.other.code})
        response = self.client.post(url, {"name": "Egen", "col_amount": "Summa"})
        assert response.status_code == 302
        mapping = LedgerMapping.objects.get(organisation=self.other, name="Egen")
        delete = reverse("controls:ledger_mapping_delete", kwargs={"mapping_id": mapping.public_id})
        assert self.client.post(delete).status_code == 302
        self.client.force_login(self.boss)
        url = reverse("web:organisation_settings", kwargs={"org": self.other.code})
        assert self.client.get(url).status_code == 200

    def test_every_permission_helper_answers_for_the_organisation_asked_about(self):
        dual, boss = Access.for_user(self.dual), Access.for_user(self.boss)
        assert dual.roles_in(self.org) == {Role.AUDITOR}
        assert boss.roles_in(self.org) == {Role.POLITICIAN}
        for access in (dual, boss):
            assert not access.can_manage_mappings(self.org)
            assert not can_edit_register(access, self.org)
            assert not access.is_controller(self.org)
            assert not access.can_write_committee(self.ks)
            assert not access.can_write_committee(self.sn)
            assert not access.can_edit_entry(self.other_entry)
            assert not access.can_edit_action(self.action)
        assert dual.can_manage_mappings(self.other) and boss.can_manage_mappings(self.other)
        assert boss.is_controller(self.other)
        assert can_read_trail(self.dual.pk, self.org)  # an auditor here reads the trail here
        assert not can_read_trail(self.dual.pk, self.other)
        assert not can_read_trail(self.boss.pk, self.org)
        assert list(overseen_organisations(boss)) == [self.other]
        assert list(overseen_organisations(dual)) == [self.org]
