from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ik.accounts.models import Invitation
from ik.org.models import AuditEvent, Committee, Person, Unit
from ik.test import BaseTestCase


def url(name, *args):
    return reverse(f"web:{name}", args=args)


class StructurePageTests(BaseTestCase):
    def test_the_controller_sees_committees_with_their_unit_tree(self):
        top = Unit.objects.create(committee=self.ks, name="KS-förvaltningen", kind="forvaltning")
        Unit.objects.create(committee=self.ks, name="Ekonomiavdelningen", parent=top)
        self.client.force_login(self.controller)
        html = self.client.get(url("structure", "testkommun")).content.decode()
        assert html.index("KS-förvaltningen") < html.index("Ekonomiavdelningen")
        assert 'class="tree"' in html and html.count('<ul class="tree">') == 2
        assert "Socialnämnden" in html

    def test_the_organisation_page_links_the_structure_for_the_controller_only(self):
        self.client.force_login(self.controller)
        page = url("organisation_detail", "testkommun")
        assert url("structure", "testkommun") in self.client.get(page).content.decode()
        self.client.force_login(self.auditor)
        assert url("structure", "testkommun") not in self.client.get(page).content.decode()

    def test_other_organisation_is_404_other_roles_403_and_post_405(self):
        self.client.force_login(self.controller)
        assert self.client.get(url("structure", "annan")).status_code == 404
        assert self.client.post(url("structure", "testkommun")).status_code == 405
        for user in (self.auditor, self.secretary, self.politician, self.owner):
            self.client.force_login(user)
            assert self.client.get(url("structure", "testkommun")).status_code == 403

    def test_the_page_costs_the_same_queries_however_many_units(self):
        self.client.force_login(self.controller)
        self.client.get(url("structure", "testkommun"))
        with CaptureQueriesContext(connection) as few:
            self.client.get(url("structure", "testkommun"))
        parent = None
        for i in range(6):
            parent = Unit.objects.create(committee=self.sn, name=f"Enhet {i}", parent=parent)
        with CaptureQueriesContext(connection) as many:
            self.client.get(url("structure", "testkommun"))
        assert len(many) == len(few)


class CommitteeViewTests(BaseTestCase):
    def test_creating_a_committee(self):
        self.client.force_login(self.controller)
        response = self.client.post(
            url("committee_create", "testkommun"),
            {
                "name": "Miljönämnden",
                "short_name": "MN",
                "code": "",
                "administration_name": "Miljöförvaltningen",
                "position": "3",
            },
        )
        assert response.status_code == 302
        committee = Committee.objects.get(organisation=self.org, code="mn")
        assert committee.administration_name == "Miljöförvaltningen"

    def test_renaming_and_deactivating(self):
        self.client.force_login(self.controller)
        response = self.client.post(
            url("committee_edit", "testkommun", "sn"),
            {"name": "Omsorgsnämnden", "code": "sn", "position": "0"},
        )
        assert response.status_code == 302
        self.sn.refresh_from_db()
        assert (self.sn.name, self.sn.is_active) == ("Omsorgsnämnden", False)
        assert AuditEvent.objects.get(action="committee_update").changes["is_active"] == [
            True,
            False,
        ]

    def test_a_taken_code_is_shown_on_the_form(self):
        self.client.force_login(self.controller)
        response = self.client.post(
            url("committee_create", "testkommun"), {"name": "Ny", "code": "ks", "position": "0"}
        )
        assert response.status_code == 422
        assert "redan en nämnd med koden" in response.content.decode()

    def test_a_referenced_committee_is_not_deleted_and_the_page_says_why(self):
        self.client.force_login(self.controller)
        html = self.client.get(url("committee_delete", "testkommun", "sn")).content.decode()
        assert "Inaktivera nämnden i stället" in html and "<form" not in html.split("<main")[1]
        assert self.client.post(url("committee_delete", "testkommun", "sn")).status_code == 422
        assert Committee.objects.filter(pk=self.sn.pk).exists()

    def test_an_unused_committee_is_deleted_after_confirmation(self):
        Committee.objects.create(organisation=self.org, code="tom", name="Tom nämnd")
        self.client.force_login(self.controller)
        assert self.client.get(url("committee_delete", "testkommun", "tom")).status_code == 200
        assert Committee.objects.filter(code="tom").exists()
        assert self.client.post(url("committee_delete", "testkommun", "tom")).status_code == 302
        assert not Committee.objects.filter(code="tom").exists()

    def test_access(self):
        self.client.force_login(self.stranger)
        assert self.client.get(url("committee_edit", "testkommun", "sn")).status_code == 404
        self.client.force_login(self.secretary)
        assert self.client.get(url("committee_edit", "testkommun", "ks")).status_code == 403
        assert self.client.post(url("committee_delete", "testkommun", "ks")).status_code == 403
        self.client.force_login(self.controller)
        assert self.client.put(url("committee_edit", "testkommun", "sn")).status_code == 405


class UnitViewTests(BaseTestCase):
    def test_a_unit_is_created_under_a_parent_chosen_from_the_tree(self):
        top = Unit.objects.create(committee=self.ks, name="KS-förvaltningen", kind="forvaltning")
        self.client.force_login(self.controller)
        create = url("unit_create", "testkommun", "ks")
        html = self.client.get(f"{create}?under={top.public_id}").content.decode()
        assert f'value="{top.pk}" selected' in html
        response = self.client.post(
            create, {"name": "Ekonomiavdelningen", "kind": "avdelning", "parent": top.pk}
        )
        assert response.status_code == 302
        assert Unit.objects.get(name="Ekonomiavdelningen").parent == top

    def test_a_unit_cannot_be_moved_under_its_own_child(self):
        top = Unit.objects.create(committee=self.ks, name="A", kind="forvaltning")
        child = Unit.objects.create(committee=self.ks, name="B", parent=top)
        self.client.force_login(self.controller)
        response = self.client.post(
            url("unit_edit", top.public_id),
            {"name": "A", "kind": "forvaltning", "parent": child.pk, "is_active": "on"},
        )
        assert response.status_code == 422
        assert "ingå i sig själv" in response.content.decode()

    def test_access(self):
        unit = Unit.objects.create(committee=self.ks, name="A")
        self.client.force_login(self.stranger)
        assert self.client.get(url("unit_edit", unit.public_id)).status_code == 404
        self.client.force_login(self.auditor)
        assert self.client.get(url("unit_edit", unit.public_id)).status_code == 403
        self.client.force_login(self.controller)
        assert self.client.put(url("unit_edit", unit.public_id)).status_code == 405


class PersonViewTests(BaseTestCase):
    def test_the_register_lists_people_with_and_without_accounts(self):
        Person.objects.create(organisation=self.org, name="Karin Berg", phone="0142-1")
        self.client.force_login(self.controller)
        html = self.client.get(url("person_list", "testkommun")).content.decode()
        assert "Karin Berg" in html and "0142-1" in html
        assert "Olle Ägare" in html and ">owner<" in html
        assert "Främling" not in html

    def test_a_person_is_added_without_an_account(self):
        unit = Unit.objects.create(committee=self.ks, name="Lön")
        self.client.force_login(self.controller)
        response = self.client.post(
            url("person_create", "testkommun"),
            {"name": "Karin Berg", "title": "Lönechef", "email": "karin@t.se", "unit": unit.pk},
        )
        assert response.status_code == 302
        person = Person.objects.get(name="Karin Berg")
        assert (person.unit, person.user) == (unit, None)

    def test_inviting_a_person_links_the_invitation_to_them(self):
        person = Person.objects.create(organisation=self.org, name="Karin", email="karin@t.se")
        self.client.force_login(self.controller)
        invite = url("person_invite", person.public_id)
        assert 'value="karin@t.se"' in self.client.get(invite).content.decode()
        response = self.client.post(invite, {"email": "karin@t.se", "grants": ["control_owner"]})
        assert response.status_code == 302
        assert Invitation.objects.get().person == person
        assert mail.outbox[0].to == ["karin@t.se"]

    def test_access(self):
        person = Person.objects.get(name="Olle Ägare")
        self.client.force_login(self.stranger)
        assert self.client.get(url("person_edit", person.public_id)).status_code == 404
        assert self.client.get(url("person_list", "testkommun")).status_code == 404
        self.client.force_login(self.owner)
        assert self.client.get(url("person_edit", person.public_id)).status_code == 403
        assert self.client.post(url("person_invite", person.public_id)).status_code == 403
        self.client.force_login(self.controller)
        assert self.client.post(url("person_list", "testkommun")).status_code == 405

    def test_the_list_costs_the_same_queries_however_many_people(self):
        self.client.force_login(self.controller)
        self.client.get(url("person_list", "testkommun"))
        with CaptureQueriesContext(connection) as few:
            self.client.get(url("person_list", "testkommun"))
        unit = Unit.objects.create(committee=self.ks, name="Lön")
        for i in range(5):
            Person.objects.create(organisation=self.org, name=f"P{i}", unit=unit)
        with CaptureQueriesContext(connection) as many:
            self.client.get(url("person_list", "testkommun"))
        assert len(many) == len(few)


class StructureImportViewTests(BaseTestCase):
    def test_a_file_is_read_and_a_bad_one_names_row_and_column(self):
        self.client.force_login(self.controller)
        page = url("structure_import", "testkommun")
        bad = SimpleUploadedFile("personer.csv", b"namn;epost\nKarin;karin-at-t\n")
        response = self.client.post(page, {"people_file": bad})
        assert response.status_code == 422
        assert "rad 2, kolumn epost" in response.content.decode()
        assert not Person.objects.filter(name="Karin").exists()
        good = SimpleUploadedFile("personer.csv", b"namn;epost\nKarin;karin@t.se\n")
        assert self.client.post(page, {"people_file": good}).status_code == 302
        assert Person.objects.filter(name="Karin", email="karin@t.se").exists()

    def test_access(self):
        self.client.force_login(self.stranger)
        assert self.client.get(url("structure_import", "testkommun")).status_code == 404
        self.client.force_login(self.auditor)
        assert self.client.post(url("structure_import", "testkommun")).status_code == 403
        self.client.force_login(self.controller)
        assert self.client.put(url("structure_import", "testkommun")).status_code == 405
