from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse

from ik.test import BaseTestCase
from ik.web import error_views


class ErrorPageTests(BaseTestCase):
    def test_an_unknown_address_gets_the_swedish_404_in_the_site_layout(self):
        self.client.force_login(self.auditor)
        response = self.client.get("/finns-inte/")
        assert response.status_code == 404
        html = response.content.decode()
        assert '<html lang="sv">' in html
        assert "Sidan finns inte" in html
        assert 'aria-label="Huvudmeny"' in html
        assert "Not Found" not in html

    def test_another_organisations_plan_is_the_same_404(self):
        self.client.force_login(self.controller)
        response = self.client.get(self.foreign_plan.get_absolute_url())
        assert response.status_code == 404
        assert "Sidan finns inte" in response.content.decode()

    def test_a_refusal_says_iks_own_reason(self):
        self.client.force_login(self.auditor)
        response = self.client.get(reverse("plans:plan_edit", args=[self.plan.public_id]))
        assert response.status_code == 403
        html = response.content.decode()
        assert "Du har inte behörighet att ändra detta." in html
        assert '<html lang="sv">' in html and "Forbidden" not in html

    def test_a_form_without_its_token_gets_the_swedish_csrf_page(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.secretary)
        url = reverse("followups:followup_create", kwargs={"plan_id": self.plan.public_id})
        response = client.post(url, {"cutoff": "2018-12-31"})
        assert response.status_code == 403
        html = response.content.decode()
        assert "Formuläret kunde inte skickas" in html and "verification failed" not in html

    def test_a_refused_write_is_rolled_back_and_still_gets_the_swedish_page(self):
        self.client.force_login(self.controller)
        response = self.client.post(
            reverse("accounts:role_add", kwargs={"org": "annan", "username": "owner"}), {}
        )
        assert response.status_code == 404
        html = response.content.decode()
        assert '<html lang="sv">' in html and "Sidan finns inte" in html
        assert 'aria-label="Huvudmeny"' in html
        self.client.force_login(self.auditor)
        response = self.client.post(reverse("plans:plan_edit", args=[self.plan.public_id]))
        assert response.status_code == 403
        assert "Du har inte behörighet att ändra detta." in response.content.decode()

    def test_a_bad_host_gets_the_swedish_400(self):
        response = self.client.get("/", HTTP_HOST="angripare.example")
        assert response.status_code == 400
        assert "Felaktig begäran" in response.content.decode()

    def test_the_500_page_is_swedish_and_survives_a_broken_database(self):
        request = RequestFactory().get("/")
        request.user = self.auditor
        response = error_views.server_error(request)
        assert response.status_code == 500
        assert "Något gick fel" in response.content.decode()
        with connection.execute_wrapper(_refuse_queries):
            request = RequestFactory().get("/")
            request.user = _BrokenUser()
            response = error_views.server_error(request)
        assert response.status_code == 500
        html = response.content.decode()
        assert '<html lang="sv">' in html and "Något gick fel" in html


def _refuse_queries(execute, sql, params, many, context):
    raise RuntimeError("databasen svarar inte")


class _BrokenUser:
    @property
    def is_authenticated(self):
        raise RuntimeError("databasen svarar inte")
