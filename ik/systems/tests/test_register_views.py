from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ik.systems import forms, services
from ik.systems.models import Competence, System
from ik.systems.tests.test_services import MAIL, NETWORK, competence_csv, csv
from ik.test import TEST_SETUP, BaseTestCase


def upload(data: bytes, name: str = "system.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


class RegisterListTests(BaseTestCase):
    def url(self, org="testkommun"):
        return reverse("systems:register_list", kwargs={"org": org})

    def test_lists_the_systems_in_start_up_order_with_the_reference_columns(self):
        network = services.system_create(
            organisation=self.org, by=TEST_SETUP, name="Nätverk", priority=1, has_alarm=True
        )
        services.system_create(organisation=self.org, by=TEST_SETUP, name="Ärenden", priority=3)
        services.system_create(organisation=self.org, by=TEST_SETUP, name="Arkiv", priority=3)
        services.system_update(system=self.system, by=TEST_SETUP, depends_on=[network])
        self.client.force_login(self.auditor)
        response = self.client.get(self.url())
        assert response.status_code == 200
        html = response.content.decode()
        for heading in (
            "Namn",
            "Kritikalitet",
            "Prioritet",
            "Beror på",
            "RTO (timmar)",
            "Larm",
            "Larmmottagare",
            "Kompetens (primär/backup)",
        ):
            assert f">{heading}</th>" in html
        names = [html.index(f">{n}</a>") for n in ("Nätverk", "Arkiv", "E-post", "Ärenden")]
        assert names == sorted(names)
        assert "<td>1/0</td>" in html
        assert "Nytt system" not in html and "Importera" not in html
        assert "Exportera CSV" in html

    def test_the_caption_says_the_order_is_by_priority_not_a_start_order(self):
        self.client.force_login(self.auditor)
        html = self.client.get(self.url()).content.decode()
        assert "1 system efter prioritet vid uppstart (1 startar först), sedan namn" in html
        assert "i ordning för uppstart" not in html

    def test_an_editor_sees_the_buttons(self):
        self.client.force_login(self.owner)
        html = self.client.get(self.url()).content.decode()
        assert "Nytt system" in html and "Importera" in html

    def test_the_organisation_page_links_to_the_register_for_every_reader(self):
        self.client.force_login(self.politician)
        html = self.client.get(reverse("web:organisation_detail", args=["testkommun"])).content
        assert self.url().encode() in html

    def test_stranger_gets_404_and_post_is_not_allowed(self):
        self.client.force_login(self.stranger)
        assert self.client.get(self.url()).status_code == 404
        self.client.force_login(self.controller)
        assert self.client.post(self.url()).status_code == 405

    def test_query_count_does_not_grow_with_the_register(self):
        self.client.force_login(self.controller)
        self.client.get(self.url())
        with CaptureQueriesContext(connection) as small:
            self.client.get(self.url())
        for i in range(12):
            system = services.system_create(
                organisation=self.org, by=TEST_SETUP, name=f"Extra {i}", priority=4
            )
            services.system_update(system=system, by=TEST_SETUP, depends_on=[self.system])
            services.competence_add(system=system, by=TEST_SETUP, person_name="Bo", role="backup")
        with CaptureQueriesContext(connection) as large:
            response = self.client.get(self.url())
        assert response.content.decode().count("Extra ") >= 12
        assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


class SystemFormTests(BaseTestCase):
    def create_url(self, org="testkommun"):
        return reverse("systems:system_create", kwargs={"org": org})

    def edit_url(self, system=None):
        return reverse("systems:system_edit", args=[(system or self.system).public_id])

    def data(self, **extra):
        return {
            "name": "Nätverk",
            "criticality": "samhällskritisk",
            "priority": "1",
            "rto_hours": "0,5",
            "owner": "IT-enheten",
            **extra,
        }

    def test_controller_adds_a_system_with_a_decimal_comma(self):
        self.client.force_login(self.controller)
        assert self.client.get(self.create_url()).status_code == 200
        response = self.client.post(self.create_url(), self.data())
        system = System.objects.get(organisation=self.org, name="Nätverk")
        assert response.status_code == 302 and response["Location"] == system.get_absolute_url()
        assert str(system.rto_hours) == "0.50"

    def test_a_taken_name_and_a_bad_priority_are_shown_on_the_form(self):
        self.client.force_login(self.controller)
        response = self.client.post(self.create_url(), self.data(name="e-post", priority="0"))
        assert response.status_code == 200
        assert "1" in response.context["form"].errors["priority"][0]
        response = self.client.post(self.create_url(), self.data(name="e-post"))
        assert "finns redan ett system som heter" in response.content.decode()

    def test_edit_changes_fields_and_dependencies(self):
        network = services.system_create(
            organisation=self.org, by=TEST_SETUP, name="Nätverk", priority=1
        )
        self.client.force_login(self.owner)
        form = self.client.get(self.edit_url()).content.decode()
        assert "Nätverk" in form and 'value="3"' in form
        data = self.data(
            name="E-post",
            priority="2",
            depends_on=[str(network.pk)],
            version=str(self.system.version),
        )
        response = self.client.post(self.edit_url(), data)
        assert response.status_code == 302
        self.system.refresh_from_db()
        assert self.system.priority == 2
        assert list(self.system.depends_on.all()) == [network]
        change = self.system.organisation.audit_events.get(action="system_update").changes
        assert change["priority"] == [3, 2]

    def test_a_system_of_another_organisation_is_not_offered_as_dependency(self):
        self.client.force_login(self.controller)
        data = self.data(depends_on=[str(self.foreign_system.pk)])
        response = self.client.post(self.create_url(), data)
        assert response.status_code == 200
        assert "depends_on" in response.context["form"].errors

    def test_read_only_users_get_403_and_strangers_404(self):
        self.client.force_login(self.auditor)
        assert self.client.get(self.create_url()).status_code == 403
        assert self.client.post(self.edit_url(), self.data()).status_code == 403
        self.client.force_login(self.stranger)
        assert self.client.get(self.create_url()).status_code == 404
        assert self.client.get(self.edit_url()).status_code == 404
        self.client.force_login(self.controller)
        assert self.client.put(self.edit_url()).status_code == 405
        assert self.client.delete(self.create_url()).status_code == 405


class SystemDetailTests(BaseTestCase):
    def url(self, system=None):
        return reverse("systems:system_detail", args=[(system or self.system).public_id])

    def test_shows_fields_dependencies_and_competence(self):
        network = services.system_create(
            organisation=self.org, by=TEST_SETUP, name="Nätverk", priority=1
        )
        services.system_update(system=self.system, by=TEST_SETUP, depends_on=[network])
        self.client.force_login(self.auditor)
        html = self.client.get(self.url()).content.decode()
        assert "Nätverk" in html and "Anna Lind" in html and "Primär" in html
        assert "Lägg till person" not in html and "Ta bort" not in html
        html = self.client.get(self.url(network)).content.decode()
        assert "E-post" in html  # listed as depending on the network

    def test_stranger_gets_404_and_post_is_not_allowed(self):
        self.client.force_login(self.stranger)
        assert self.client.get(self.url()).status_code == 404
        self.client.force_login(self.controller)
        assert self.client.post(self.url()).status_code == 405


class SystemDeleteTests(BaseTestCase):
    def url(self, system=None):
        return reverse("systems:system_delete", args=[(system or self.system).public_id])

    def test_delete_removes_the_system(self):
        self.client.force_login(self.controller)
        response = self.client.post(self.url())
        assert response["Location"] == reverse("systems:register_list", args=["testkommun"])
        assert not System.objects.filter(pk=self.system.pk).exists()

    def test_delete_of_a_system_others_need_says_why_and_keeps_it(self):
        other = services.system_create(
            organisation=self.org, by=TEST_SETUP, name="Kalender", priority=4
        )
        services.system_update(system=other, by=TEST_SETUP, depends_on=[self.system])
        self.client.force_login(self.controller)
        response = self.client.post(self.url(), follow=True)
        assert "”Kalender” beror på det" in response.content.decode()
        assert System.objects.filter(pk=self.system.pk).exists()

    def test_get_is_not_allowed_and_others_may_not_delete(self):
        self.client.force_login(self.controller)
        assert self.client.get(self.url()).status_code == 405
        self.client.force_login(self.auditor)
        assert self.client.post(self.url()).status_code == 403
        self.client.force_login(self.stranger)
        assert self.client.post(self.url()).status_code == 404
        assert System.objects.filter(pk=self.system.pk).exists()


class CompetenceViewTests(BaseTestCase):
    def add_url(self, system=None):
        return reverse("systems:competence_add", args=[(system or self.system).public_id])

    def remove_url(self, competence=None):
        return reverse(
            "systems:competence_remove", args=[(competence or self.competence).public_id]
        )

    def test_an_editor_adds_and_removes_competence(self):
        self.client.force_login(self.owner)
        response = self.client.post(self.add_url(), {"person_name": "Bo Backe", "role": "backup"})
        assert response["Location"] == self.system.get_absolute_url()
        assert self.system.competences.filter(person_name="Bo Backe", role="backup").exists()
        response = self.client.post(self.remove_url())
        assert response.status_code == 302
        assert not Competence.objects.filter(pk=self.competence.pk).exists()

    def test_a_registered_person_can_be_chosen(self):
        person = self.point.owner_person
        self.client.force_login(self.controller)
        self.client.post(self.add_url(), {"person": str(person.pk), "role": "primär"})
        assert self.system.competences.get(person=person).person_name == person.name

    def test_no_person_or_a_repeated_one_is_refused_on_the_page(self):
        self.client.force_login(self.controller)
        response = self.client.post(self.add_url(), {"role": "backup"})
        assert response.status_code == 400
        assert "Välj en registrerad person eller skriv ett namn" in response.content.decode()
        response = self.client.post(self.add_url(), {"person_name": "anna lind", "role": "backup"})
        assert "finns redan i kompetenslistan" in response.content.decode()
        assert self.system.competences.count() == 1

    def test_get_is_not_allowed_readers_get_403_and_strangers_404(self):
        self.client.force_login(self.controller)
        assert self.client.get(self.add_url()).status_code == 405
        assert self.client.get(self.remove_url()).status_code == 405
        self.client.force_login(self.auditor)
        assert self.client.post(self.add_url(), {"person_name": "X"}).status_code == 403
        assert self.client.post(self.remove_url()).status_code == 403
        self.client.force_login(self.stranger)
        assert self.client.post(self.add_url(), {"person_name": "X"}).status_code == 404
        assert self.client.post(self.remove_url()).status_code == 404
        assert Competence.objects.filter(pk=self.competence.pk).exists()


class RegisterImportViewTests(BaseTestCase):
    def url(self, org="testkommun"):
        return reverse("systems:register_import", kwargs={"org": org})

    def test_the_page_documents_the_columns(self):
        self.client.force_login(self.controller)
        html = self.client.get(self.url()).content.decode()
        assert "system;kritikalitet;prioritet;beror_pa;rto_timmar;larm;larmmottagare" in html
        assert "system;person;roll" in html

    def test_a_good_file_is_read_and_the_counts_are_shown(self):
        self.client.force_login(self.controller)
        response = self.client.post(
            self.url(),
            {
                "systems_file": upload(csv(NETWORK, MAIL)),
                "competence_file": upload(competence_csv("Nätverk;Bo;primär"), "k.csv"),
                "replace": "1",
            },
            follow=True,
        )
        html = response.content.decode()
        assert (
            "2 system inlästa (1 nya, 1 ändrade, 0 oförändrade, 0 borttagna) och 1 kompetensrader"
            in html
        )
        assert System.objects.filter(organisation=self.org).count() == 2

    def test_a_bad_priority_is_named_with_row_and_value(self):
        self.client.force_login(self.controller)
        response = self.client.post(
            self.url(),
            {"systems_file": upload(csv(NETWORK, "Ny;;övrig;tre;;;nej;;")), "replace": "0"},
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "Prioriteten är inget heltal: &#x27;tre&#x27; (rad 3, kolumn prioritet)" in html
        assert not System.objects.filter(name="Ny").exists()

    def test_a_file_over_the_size_limit_is_refused(self):
        self.client.force_login(self.controller)
        original = forms.MAX_IMPORT_BYTES
        forms.MAX_IMPORT_BYTES = 10
        try:
            response = self.client.post(
                self.url(), {"systems_file": upload(csv(NETWORK)), "replace": "0"}
            )
        finally:
            forms.MAX_IMPORT_BYTES = original
        assert "Filen är för stor; högst 0 MB." in response.content.decode()
        assert not System.objects.filter(name="Nätverk").exists()

    def test_readers_get_403_strangers_404_and_other_methods_405(self):
        self.client.force_login(self.auditor)
        assert self.client.get(self.url()).status_code == 403
        self.client.force_login(self.stranger)
        assert self.client.get(self.url()).status_code == 404
        self.client.force_login(self.controller)
        assert self.client.put(self.url()).status_code == 405


class RegisterExportViewTests(BaseTestCase):
    def url(self, name="register_export", fmt="csv", org="testkommun"):
        return reverse(f"systems:{name}", kwargs={"org": org, "fmt": fmt})

    def test_every_reader_downloads_csv_and_excel(self):
        self.client.force_login(self.politician)
        response = self.client.get(self.url())
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert 'filename="systemregister-testkommun.csv"' in response["Content-Disposition"]
        assert "E-post;;verksamhetskritisk;3" in response.content.decode("utf-8-sig")
        response = self.client.get(self.url("competence_export", "xlsx"))
        assert response.content.startswith(b"PK")
        assert 'filename="kompetens-testkommun.xlsx"' in response["Content-Disposition"]

    def test_unknown_format_and_stranger_get_404_and_post_is_not_allowed(self):
        self.client.force_login(self.controller)
        assert self.client.get(self.url(fmt="pdf")).status_code == 404
        assert self.client.post(self.url()).status_code == 405
        self.client.force_login(self.stranger)
        assert self.client.get(self.url()).status_code == 404
