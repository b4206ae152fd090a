import pytest
from django.core.exceptions import ValidationError

from ik.accounts import services as account_services
from ik.accounts.forms import grant_choices
from ik.accounts.services import Grant
from ik.org import services
from ik.org.models import AuditEvent, Committee, Person, Role, Unit
from ik.plans.forms import ControlPointForm
from ik.test import BaseTestCase


class CommitteeServiceTests(BaseTestCase):
    def test_a_new_committee_gets_a_code_from_its_short_name_and_is_recorded(self):
        committee = services.committee_create(
            organisation=self.org,
            by=self.controller,
            name="Miljö- och byggnämnden",
            short_name="MBN",
            administration_name="Miljöförvaltningen",
        )
        assert committee.code == "mbn"
        event = AuditEvent.objects.get(action="committee_create")
        assert event.changes["administration_name"] == "Miljöförvaltningen"
        assert event.actor == self.controller

    def test_a_second_executive_board_is_refused(self):
        with pytest.raises(ValidationError, match="redan en kommunstyrelse"):
            services.committee_create(
                organisation=self.org, by=self.controller, name="Styrelsen", is_executive_board=True
            )

    def test_a_name_taken_in_another_case_is_refused(self):
        with pytest.raises(ValidationError, match="redan en nämnd som heter"):
            services.committee_create(
                organisation=self.org, by=self.controller, name="SOCIALNÄMNDEN"
            )

    def test_renaming_records_old_and_new_name(self):
        services.committee_update(committee=self.sn, by=self.controller, name="Omsorgsnämnden")
        event = AuditEvent.objects.get(action="committee_update")
        assert event.changes["name"] == ["Socialnämnden", "Omsorgsnämnden"]

    def test_a_committee_with_plans_keeps_its_code_but_can_be_deactivated(self):
        with pytest.raises(ValidationError, match="koden kan inte ändras"):
            services.committee_update(committee=self.sn, by=self.controller, code="on")
        self.sn.refresh_from_db()
        services.committee_update(committee=self.sn, by=self.controller, is_active=False)
        assert not Committee.objects.get(pk=self.sn.pk).is_active

    def test_a_referenced_committee_cannot_be_deleted(self):
        with pytest.raises(ValidationError, match="Inaktivera nämnden i stället"):
            services.committee_delete(committee=self.sn, by=self.controller)
        assert Committee.objects.filter(pk=self.sn.pk).exists()

    def test_an_unused_committee_is_deleted_with_a_trail(self):
        committee = services.committee_create(organisation=self.org, by=self.controller, name="Ny")
        services.committee_delete(committee=committee, by=self.controller)
        assert not Committee.objects.filter(pk=committee.pk).exists()
        assert AuditEvent.objects.filter(action="committee_delete").count() == 1


class UnitServiceTests(BaseTestCase):
    def make(self, name, parent=None, committee=None):
        return services.unit_create(
            committee=committee or self.ks, by=self.controller, name=name, parent=parent
        )

    def test_units_form_a_tree_under_a_committee(self):
        top = self.make("Kommunstyrelsens förvaltning")
        department = self.make("Ekonomiska avdelningen", parent=top)
        assert list(top.children.all()) == [department]
        assert AuditEvent.objects.filter(action="unit_create").count() == 2

    def test_a_unit_cannot_be_placed_under_itself_or_its_descendant(self):
        top = self.make("Förvaltningen")
        child = self.make("Avdelningen", parent=top)
        with pytest.raises(ValidationError, match="ingå i sig själv"):
            services.unit_update(unit=top, by=self.controller, parent=child)
        assert Unit.objects.get(pk=top.pk).parent is None

    def test_a_parent_must_belong_to_the_same_committee(self):
        top = self.make("Socialförvaltningen", committee=self.sn)
        with pytest.raises(ValidationError, match="samma nämnd"):
            self.make("Avdelning", parent=top)

    def test_a_unit_with_people_is_deactivated_rather_than_deleted(self):
        unit = self.make("IT-avdelningen")
        services.person_create(organisation=self.org, by=self.controller, name="Ia", unit=unit)
        with pytest.raises(ValidationError, match="Inaktivera enheten"):
            services.unit_delete(unit=unit, by=self.controller)
        services.unit_update(unit=unit, by=self.controller, is_active=False)
        assert not Unit.objects.get(pk=unit.pk).is_active


class PersonServiceTests(BaseTestCase):
    def test_a_person_without_an_account_can_own_a_control_point_and_gets_it_on_accepting(self):
        person = services.person_create(
            organisation=self.org,
            by=self.controller,
            name="Karin  Berg",
            title="Lönechef",
            phone="0142-851 00",
            email="Karin.Berg@testkommun.se",
        )
        assert person.name == "Karin Berg"
        assert person.email == "karin.berg@testkommun.se"
        self.other_point.owner_person = person
        self.other_point.save()
        invitation = account_services.invitation_create(
            organisation=self.org,
            email="karin@privat.se",
            grants=[Grant(Role.CONTROL_OWNER)],
            by=self.controller,
            site_url="/",
            person=person,
        )
        user = account_services.invitation_accept(
            invitation=invitation,
            username="karin",
            first_name="Karin",
            last_name="Berg",
            password="ett-långt-lösenord-2018",
        )
        person.refresh_from_db()
        assert person.user == user
        assert list(user.person.control_points.all()) == [self.other_point]

    def test_two_people_cannot_share_an_address(self):
        services.person_create(organisation=self.org, by=self.controller, name="A", email="a@t.se")
        with pytest.raises(ValidationError, match="redan en person"):
            services.person_create(
                organisation=self.org, by=self.controller, name="B", email="A@t.se"
            )

    def test_a_unit_of_another_organisation_is_refused(self):
        other_committee = Committee.objects.exclude(organisation=self.org).first()
        unit = Unit.objects.create(committee=other_committee, name="Främmande")
        with pytest.raises(ValidationError, match="annan organisation"):
            services.person_create(organisation=self.org, by=self.controller, name="X", unit=unit)

    def test_changes_are_recorded_field_by_field(self):
        person = Person.objects.get(name="Olle Ägare")
        services.person_update(person=person, by=self.controller, phone="0142-1")
        event = AuditEvent.objects.get(action="person_update")
        assert event.changes == {"phone": ["", "0142-1"]}
        assert event.object_id == str(person.public_id)

    def test_an_invitation_for_a_person_with_an_account_is_refused(self):
        person = Person.objects.get(name="Olle Ägare")
        with pytest.raises(ValidationError, match="redan ett konto"):
            account_services.invitation_create(
                organisation=self.org,
                email="olle2@t.se",
                grants=[Grant(Role.CONTROL_OWNER)],
                by=self.controller,
                site_url="/",
                person=person,
            )


class InactiveTests(BaseTestCase):
    def test_an_inactive_person_is_not_offered_except_where_already_named(self):
        olle = Person.objects.get(name="Olle Ägare")
        services.person_update(person=olle, by=self.controller, is_active=False)
        new_form = ControlPointForm(organisation_id=self.org.pk)
        assert olle not in new_form.fields["owner_person"].queryset
        kept = ControlPointForm(instance=self.point, organisation_id=self.org.pk)
        assert olle in kept.fields["owner_person"].queryset

    def test_an_inactive_committee_is_not_offered_for_new_roles(self):
        services.committee_update(committee=self.sn, by=self.controller, is_active=False)
        labels = [label for _, label in grant_choices(self.org)]
        assert not any("Socialnämnden" in label for label in labels)
        assert any("Kommunstyrelsen" in label for label in labels)
