import pytest
from django.core.exceptions import ValidationError

from ik.org.imports import structure_import
from ik.org.models import AuditEvent, Committee, Person, Unit
from ik.test import BaseTestCase

COMMITTEES = "namn;kortnamn;kod;forvaltning\nMiljö- och byggnämnden;MBN;mbn;Miljöförvaltningen\n"
UNITS = (
    "namnd;enhet;ingar_i\n"
    "mbn;Miljöförvaltningen;\n"
    "mbn;Miljöenheten;Miljöförvaltningen\n"
    "Socialnämnden;Socialförvaltningen;\n"
)
PEOPLE = (
    "namn;titel;telefon;epost;enhet\n"
    "Karin Berg;Miljöchef;0142-1;karin@t.se;Miljöenheten\n"
    "Olle Ägare;Ekonomichef;0142-2;;\n"
)


class StructureImportTests(BaseTestCase):
    def run_import(self, committees=None, units=None, people=None):
        return structure_import(
            organisation=self.org,
            by=self.controller,
            committees_file=committees.encode() if committees else None,
            units_file=units.encode() if units else None,
            people_file=people.encode() if people else None,
        )

    def test_committees_units_and_people_are_read_together(self):
        summary = self.run_import(COMMITTEES, UNITS, PEOPLE)
        mbn = Committee.objects.get(organisation=self.org, code="mbn")
        assert mbn.administration_name == "Miljöförvaltningen"
        unit = Unit.objects.get(name="Miljöenheten")
        assert unit.parent.name == "Miljöförvaltningen" and unit.committee == mbn
        assert Unit.objects.get(name="Socialförvaltningen").committee == self.sn
        karin = Person.objects.get(email="karin@t.se")
        assert karin.unit == unit and karin.user is None
        olle = Person.objects.get(name="Olle Ägare")
        assert olle.phone == "0142-2" and olle.user == self.owner
        assert summary.created == {"committees": 1, "units": 3, "people": 1}
        assert summary.updated["people"] == 1
        assert AuditEvent.objects.filter(action="unit_create").count() == 3
        assert AuditEvent.objects.filter(action="structure_import").count() == 1

    def test_reading_the_same_files_again_changes_nothing(self):
        self.run_import(COMMITTEES, UNITS, PEOPLE)
        summary = self.run_import(COMMITTEES, UNITS, PEOPLE)
        assert summary.created == {"committees": 0, "units": 0, "people": 0}
        assert summary.updated == {"committees": 0, "units": 0, "people": 0}

    def test_an_unknown_unit_refuses_every_file_and_names_row_and_column(self):
        people = PEOPLE + "Ny Person;;;;Finns inte\n"
        with pytest.raises(ValidationError) as caught:
            self.run_import(COMMITTEES, UNITS, people)
        message = caught.value.message_dict["people_file"][0]
        assert "Okänd enhet" in message and "rad 4" in message and "kolumn enhet" in message
        assert not Committee.objects.filter(code="mbn").exists()
        assert not Unit.objects.exists()
        assert not AuditEvent.objects.filter(action="structure_import").exists()

    def test_an_unknown_committee_or_parent_is_refused(self):
        with pytest.raises(ValidationError, match="Okänd nämnd"):
            self.run_import(units="namnd;enhet\nfinns-inte;IT\n")
        with pytest.raises(ValidationError, match="Okänd överordnad enhet"):
            self.run_import(units="namnd;enhet;ingar_i\nks;IT;Saknas\n")
        with pytest.raises(ValidationError, match="ring"):
            self.run_import(units="namnd;enhet;ingar_i\nks;A;B\nks;B;A\n")

    def test_a_second_executive_board_is_refused(self):
        with pytest.raises(ValidationError) as caught:
            self.run_import("namn;ks\nRegionstyrelsen;ja\n")
        assert "Kommunstyrelsen är redan kommunstyrelse" in str(caught.value)

    def test_a_file_that_cannot_be_read_is_refused_under_its_own_field(self):
        with pytest.raises(ValidationError) as caught:
            self.run_import(people="titel\nchef\n")
        assert "Kolumnen 'namn' saknas" in caught.value.message_dict["people_file"][0]

    def test_no_files_is_refused(self):
        with pytest.raises(ValidationError, match="minst en fil"):
            self.run_import()
