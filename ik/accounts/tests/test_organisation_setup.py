from django.contrib.auth import get_user_model
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from ik.accounts.models import Invitation
from ik.org.models import Organisation
from ik.test import PASSWORD, BaseTestCase

URL = reverse("accounts:organisation_setup")


class FirstRunTests(TestCase):
    def setUp(self):
        self.admin = get_user_model().objects.create_superuser(
            username="admin", email="admin@ik.se", password=PASSWORD
        )
        self.client.force_login(self.admin)

    def test_a_superuser_without_organisations_is_offered_the_set_up_on_the_start_page(self):
        html = self.client.get(reverse("web:home")).content.decode()
        assert "Kom igång" in html
        assert URL in html

    def test_the_set_up_creates_the_organisation_and_shows_the_one_time_link(self):
        response = self.client.post(
            URL, {"name": "Malmö stad", "code": "malmo", "controller_email": "anna@malmo.se"}
        )
        assert response.status_code == 200
        organisation = Organisation.objects.get(code="malmo")
        invitation = Invitation.objects.get(organisation=organisation)
        html = response.content.decode()
        assert "http://testserver/inbjudan/" in html
        assert mail.outbox[0].to == [invitation.email]
        token = html.split("/inbjudan/")[1].split("/")[0]
        assert f"/inbjudan/{token}/" in mail.outbox[0].body

    def test_a_duplicate_name_is_shown_on_the_form(self):
        Organisation.objects.create(code="malmo", name="Malmö stad")
        response = self.client.post(
            URL, {"name": "Malmö stad", "code": "", "controller_email": "anna@malmo.se"}
        )
        assert response.status_code == 422
        assert "Det finns redan en organisation som heter" in response.content.decode()
        assert not Invitation.objects.exists()

    def test_put_is_not_allowed(self):
        assert self.client.put(URL).status_code == 405


class FirstRunRefusalTests(BaseTestCase):
    def test_only_a_superuser_may_set_up_an_organisation(self):
        for user in (self.controller, self.auditor, self.stranger):
            self.client.force_login(user)
            assert self.client.get(URL).status_code == 403
            response = self.client.post(
                URL, {"name": "Ny kommun", "code": "ny", "controller_email": "a@ny.se"}
            )
            assert response.status_code == 403
        assert not Organisation.objects.filter(code="ny").exists()

    def test_a_controller_is_not_offered_the_set_up(self):
        self.client.force_login(self.controller)
        assert URL not in self.client.get(reverse("web:home")).content.decode()
