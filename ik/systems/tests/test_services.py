from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from ik.org.models import AuditEvent, Person, Unit
from ik.systems import services
from ik.systems.inputs import engine_competence, engine_systems
from ik.systems.models import Competence, CompetenceRole, Criticality, System, SystemDependency
from ik.test import TEST_SETUP, BaseTestCase

EXAMPLES = Path(__file__).resolve().parents[2] / "engine" / "examples"
HEADER = "system;agare;kritikalitet;prioritet;beror_pa;rto_timmar;larm;larmmetod;larmmottagare\n"


def csv(*rows: str, header: str = HEADER) -> bytes:
    return (header + "\n".join(rows) + "\n").encode("utf-8")


def competence_csv(*rows: str) -> bytes:
    return csv(*rows, header="system;person;roll\n")


NETWORK = "Nätverk;;samhällskritisk;1;;2;ja;SNMP;IT-jour"
MAIL = "E-post;;verksamhetskritisk;2;Nätverk;8;ja;;IT-jour"


def register_state(organisation):
    """Everything the register holds, in a form two registers can be compared by."""
    systems = {
        s.name: (
            s.owner_unit_id,
            s.owner,
            s.criticality,
            s.priority,
            s.rto_hours,
            s.has_alarm,
            s.alarm_method,
            s.alarm_recipient,
            s.notes,
            frozenset(s.depends_on.values_list("name", flat=True)),
        )
        for s in System.objects.filter(organisation=organisation)
    }
    competence = set(
        Competence.objects.filter(system__organisation=organisation).values_list(
            "system__name", "person_name", "person_id", "role"
        )
    )
    return systems, competence


class SystemServiceTests(BaseTestCase):
    def test_create_records_fields_dependencies_and_the_audit_trail(self):
        network = services.system_create(
            organisation=self.org, by=self.controller, name="  Nätverk  kärna ", priority=1
        )
        mail = self.system
        services.system_update(system=mail, by=self.controller, depends_on=[network])
        assert network.name == "Nätverk kärna"
        assert list(mail.depends_on.all()) == [network]
        event = AuditEvent.objects.filter(action="system_update").get()
        assert event.changes["depends_on"] == [[], ["Nätverk kärna"]]
        assert AuditEvent.objects.filter(action="system_create", object_id=str(network.public_id))

    def test_a_name_is_unique_in_the_organisation_regardless_of_case(self):
        with pytest.raises(ValidationError) as exc:
            services.system_create(organisation=self.org, by=TEST_SETUP, name="e-POST", priority=1)
        assert "finns redan ett system som heter" in str(exc.value)
        other = System.objects.get(organisation__code="annan")
        assert other.name == "E-post"  # the same name in another organisation is fine

    def test_a_system_cannot_depend_on_itself_or_on_another_organisations_system(self):
        with pytest.raises(ValidationError, match="sig självt"):
            services.system_update(system=self.system, by=TEST_SETUP, depends_on=[self.system])
        with pytest.raises(ValidationError, match="samma systemregister"):
            services.system_update(
                system=self.system, by=TEST_SETUP, depends_on=[self.foreign_system]
            )
        assert not SystemDependency.objects.exists()

    def test_an_owner_unit_of_another_organisation_is_refused(self):
        foreign_unit = Unit.objects.create(committee=self.foreign_plan.committee, name="IT")
        with pytest.raises(ValidationError, match="annan organisation"):
            services.system_update(system=self.system, by=TEST_SETUP, owner_unit=foreign_unit)

    def test_delete_is_refused_while_others_depend_on_the_system(self):
        network = services.system_create(
            organisation=self.org, by=TEST_SETUP, name="Nätverk", priority=1
        )
        services.system_update(system=self.system, by=TEST_SETUP, depends_on=[network])
        with pytest.raises(ValidationError) as exc:
            services.system_delete(system=network, by=self.controller)
        assert "”Nätverk” kan inte tas bort eftersom ”E-post” beror på det" in exc.value.messages[0]
        assert System.objects.filter(pk=network.pk).exists()
        services.system_update(system=self.system, by=TEST_SETUP, depends_on=[])
        services.system_delete(system=network, by=self.controller)
        assert not System.objects.filter(pk=network.pk).exists()
        assert AuditEvent.objects.filter(action="system_delete").count() == 1

    def test_competence_is_added_once_per_person_and_links_a_registered_person(self):
        person = Person.objects.create(organisation=self.org, name="Berit Backe")
        entry = services.competence_add(
            system=self.system, by=TEST_SETUP, person_name="berit backe", role=CompetenceRole.BACKUP
        )
        assert entry.person == person
        with pytest.raises(ValidationError, match="finns redan i kompetenslistan"):
            services.competence_add(
                system=self.system, by=TEST_SETUP, person=person, role=CompetenceRole.PRIMARY
            )
        services.competence_remove(competence=entry, by=self.controller)
        assert list(self.system.competences.values_list("person_name", flat=True)) == ["Anna Lind"]
        assert AuditEvent.objects.filter(action="competence_remove").count() == 1

    def test_competence_of_a_person_in_another_organisation_is_refused(self):
        stranger = Person.objects.create(organisation=self.foreign_system.organisation, name="X")
        with pytest.raises(ValidationError, match="annan organisation"):
            services.competence_add(
                system=self.system, by=TEST_SETUP, person=stranger, role="primär"
            )


class RegisterImportTests(BaseTestCase):
    def test_the_example_files_are_read_with_units_and_names(self):
        Unit.objects.create(committee=self.ks, name="IT-enheten")
        summary = services.register_import(
            organisation=self.org,
            by=self.controller,
            systems_file=(EXAMPLES / "exempel_system.csv").read_bytes(),
            competence_file=(EXAMPLES / "exempel_kompetens.csv").read_bytes(),
            replace=True,
        )
        assert (summary.created, summary.updated, summary.deleted) == (16, 1, 0)
        assert summary.competence == 30
        mail = System.objects.get(organisation=self.org, name="E-post")
        assert mail.public_id == self.system.public_id  # matched by name, so links survive
        assert set(mail.competences.values_list("person_name", flat=True)) == {
            "Johan Falk",
            "Cecilia Berg",
        }
        rescue = System.objects.get(organisation=self.org, name="Räddningstjänstens larmsystem")
        assert rescue.owner_unit is None and rescue.owner == "Räddningstjänsten"
        assert rescue.rto_hours == Decimal("1.00")
        assert sorted(rescue.depends_on.values_list("name", flat=True)) == [
            "Brandvägg",
            "Nätverk (kärna)",
            "Telefoni och växel",
        ]
        network = System.objects.get(organisation=self.org, name="Nätverk (kärna)")
        assert network.owner_unit.name == "IT-enheten" and network.owner_label == "IT-enheten"
        assert AuditEvent.objects.filter(action="system_register_import").count() == 1

    def test_a_bad_priority_names_row_and_value_and_changes_nothing(self):
        before = register_state(self.org)
        with pytest.raises(ValidationError) as exc:
            services.register_import(
                organisation=self.org,
                by=TEST_SETUP,
                systems_file=csv(NETWORK, "Ny;;övrig;först;;;nej;;"),
                competence_file=None,
                replace=True,
            )
        message = exc.value.message_dict["systems_file"][0]
        assert "Prioriteten är inget heltal: 'först'" in message
        assert "rad 3" in message and "kolumn prioritet" in message
        assert register_state(self.org) == before
        assert not AuditEvent.objects.filter(action="system_register_import").exists()

    def test_an_unknown_dependency_is_refused_with_its_row(self):
        with pytest.raises(ValidationError) as exc:
            services.register_import(
                organisation=self.org,
                by=TEST_SETUP,
                systems_file=csv(NETWORK, "Ny;;övrig;2;Nätverk, Saknas;;nej;;"),
                competence_file=None,
                replace=False,
            )
        assert exc.value.message_dict["systems_file"] == [
            "Beroendet finns inte i systemregistret: 'Saknas' (rad 3, kolumn beror_pa)"
        ]
        assert not System.objects.filter(name="Nätverk").exists()

    def test_a_bad_competence_file_leaves_the_systems_unwritten_too(self):
        before = register_state(self.org)
        with pytest.raises(ValidationError) as exc:
            services.register_import(
                organisation=self.org,
                by=TEST_SETUP,
                systems_file=csv(NETWORK),
                competence_file=competence_csv("Nätverk;Anna;primär", "Nätverk;anna;backup"),
                replace=False,
            )
        assert "Personen finns redan för systemet på rad 2" in str(exc.value)
        assert register_state(self.org) == before

    def test_duplicate_names_self_dependency_and_unknown_competence_systems_are_refused(self):
        cases = [
            (csv(NETWORK, "nätverk;;övrig;1;;;nej;;"), None, "Systemet finns redan på rad 2"),
            (csv("A;;övrig;1;A;;nej;;"), None, "bero på sig självt"),
            (csv(NETWORK), competence_csv("Okänt;Anna;primär"), "finns inte i systemregistret"),
            (csv(NETWORK, "B;;övrig;0;;;nej;;"), None, "1 eller högre"),
            (csv("B;;övrig;1;;100000;nej;;"), None, "för lång"),
            (csv("B;;viktig;1;;;nej;;"), None, "Okänd kritikalitet"),
            (HEADER.encode(), None, "inga system"),
        ]
        for systems_file, competence_file, expected in cases:
            with pytest.raises(ValidationError) as exc:
                services.register_import(
                    organisation=self.org,
                    by=TEST_SETUP,
                    systems_file=systems_file,
                    competence_file=competence_file,
                    replace=True,
                )
            assert expected in str(exc.value), (expected, str(exc.value))
        assert list(System.objects.filter(organisation=self.org)) == [self.system]

    def test_merge_keeps_other_systems_their_ids_and_notes_and_may_depend_on_them(self):
        services.system_update(system=self.system, by=TEST_SETUP, notes="Exchange Online")
        summary = services.register_import(
            organisation=self.org,
            by=TEST_SETUP,
            systems_file=csv(NETWORK, "e-post;;samhällskritisk;2;Nätverk;4;ja;;IT-jour"),
            competence_file=competence_csv("E-post;Anna Lind;backup", "Nätverk;Bo;primär"),
            replace=False,
        )
        assert (summary.created, summary.updated, summary.deleted) == (1, 1, 0)
        mail = System.objects.get(pk=self.system.pk)
        assert (mail.name, mail.criticality, mail.notes) == (
            "e-post",
            Criticality.SOCIETY,
            "Exchange Online",
        )
        assert mail.competences.get().role == CompetenceRole.BACKUP
        services.register_import(
            organisation=self.org,
            by=TEST_SETUP,
            systems_file=csv("Brevlåda;;övrig;3;E-post;;nej;;"),
            competence_file=None,
            replace=False,
        )
        assert System.objects.filter(organisation=self.org).count() == 3
        assert Competence.objects.filter(system__organisation=self.org).count() == 2

    def test_replace_removes_systems_and_competence_the_files_do_not_list(self):
        services.register_import(
            organisation=self.org,
            by=TEST_SETUP,
            systems_file=csv(NETWORK, MAIL),
            competence_file=competence_csv("Nätverk;Bo;primär"),
            replace=True,
        )
        assert System.objects.get(organisation=self.org, name="E-post").pk == self.system.pk
        assert set(
            Competence.objects.filter(system__organisation=self.org).values_list(
                "person_name", flat=True
            )
        ) == {"Bo"}
        services.register_import(
            organisation=self.org,
            by=TEST_SETUP,
            systems_file=csv(NETWORK),
            competence_file=None,
            replace=True,
        )
        assert [s.name for s in System.objects.filter(organisation=self.org)] == ["Nätverk"]
        assert System.objects.filter(organisation__code="annan").count() == 1


class RegisterExportTests(BaseTestCase):
    def load_example(self, organisation):
        Unit.objects.create(committee=self.ks, name="IT-enheten")
        Person.objects.create(organisation=self.org, name="Anna Lind")
        services.register_import(
            organisation=organisation,
            by=TEST_SETUP,
            systems_file=(EXAMPLES / "exempel_system.csv").read_bytes(),
            competence_file=(EXAMPLES / "exempel_kompetens.csv").read_bytes(),
            replace=True,
        )

    def test_an_export_reads_back_into_the_same_register(self):
        self.load_example(self.org)
        before = register_state(self.org)
        for export in (services.register_export_csv, services.register_export_xlsx):
            files = export(self.org)
            services.register_import(
                organisation=self.org,
                by=TEST_SETUP,
                systems_file=files.systems,
                competence_file=files.competence,
                replace=True,
            )
            assert register_state(self.org) == before, export.__name__
        # CSV carries no timestamps, so the second export is byte for byte the first.
        files = services.register_export_csv(self.org)
        summary = services.register_import(
            organisation=self.org,
            by=TEST_SETUP,
            systems_file=files.systems,
            competence_file=files.competence,
            replace=False,
        )
        assert (summary.unchanged, summary.updated, summary.created) == (17, 0, 0)
        assert services.register_export_csv(self.org) == files

    def test_an_export_fills_an_empty_register_of_another_organisation_alike(self):
        self.load_example(self.org)
        files = services.register_export_csv(self.org)
        other = self.foreign_system.organisation
        services.register_import(
            organisation=other,
            by=TEST_SETUP,
            systems_file=files.systems,
            competence_file=files.competence,
            replace=True,
        )
        assert engine_systems(other) == engine_systems(self.org)
        assert engine_competence(other) == engine_competence(self.org)

    def test_the_csv_export_is_what_swedish_excel_opens(self):
        services.system_update(system=self.system, by=TEST_SETUP, rto_hours=Decimal("0.5"))
        files = services.register_export_csv(self.org)
        assert files.systems.startswith(b"\xef\xbb\xbfsystem;agare;kritikalitet;prioritet")
        assert "E-post;;verksamhetskritisk;3;;0,5;nej;;" in files.systems.decode("utf-8-sig")
        assert files.competence.decode("utf-8-sig").splitlines() == [
            "system;person;roll",
            "E-post;Anna Lind;primär",
        ]
