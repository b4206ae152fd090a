from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ik.accounts import services
from ik.accounts.models import Invitation
from ik.accounts.services import Grant
from ik.org.models import AuditEvent, Membership, Role
from ik.test import BaseTestCase


class UserListTests(BaseTestCase):
    def url(self, org="testkommun"):
        return reverse("accounts:user_list", kwargs={"org": org})

    def test_the_controller_sees_users_with_their_roles(self):
        self.client.force_login(self.controller)
        html = self.client.get(self.url()).content.decode()
        assert "Nämndsekreterare, Kommunstyrelsen" in html
        assert reverse("accounts:user_detail", args=["testkommun", "owner"]) in html
        assert "stranger" not in html

    def test_other_organisation_is_404_and_other_roles_403(self):
        self.client.force_login(self.controller)
        assert self.client.get(self.url("annan")).status_code == 404
        for user in (self.auditor, self.secretary, self.owner, self.politician):
            self.client.force_login(user)
            assert self.client.get(self.url()).status_code == 403

    def test_post_is_not_allowed(self):
        self.client.force_login(self.controller)
        assert self.client.post(self.url()).status_code == 405

    def test_the_number_of_queries_does_not_grow_with_users(self):
        self.client.force_login(self.controller)
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.url())
        for i in range(5):
            user = get_user_model().objects.create_user(f"extra{i}")
            Membership.objects.create(user=user, organisation=self.org, role=Role.AUDITOR)
            Membership.objects.create(
                user=user, organisation=self.org, role=Role.POLITICIAN, committee=self.sn
            )
        with CaptureQueriesContext(connection) as many:
            self.client.get(self.url())
        assert len(many) == len(few)

    def test_the_users_menu_link_is_shown_to_controllers_only(self):
        self.client.force_login(self.controller)
        assert ">Användare</a>" in self.client.get(reverse("web:home")).content.decode()
        self.client.force_login(self.auditor)
        assert ">Användare</a>" not in self.client.get(reverse("web:home")).content.decode()


class RoleViewsTests(BaseTestCase):
    def url(self, name, org="testkommun", username="owner"):
        return reverse(f"accounts:{name}", kwargs={"org": org, "username": username})

    def test_the_user_page_lists_roles_and_history(self):
        services.role_grant(
            organisation=self.org, user=self.owner, grant=Grant(Role.AUDITOR), by=self.controller
        )
        self.client.force_login(self.controller)
        html = self.client.get(self.url("user_detail")).content.decode()
        assert "Kontrollansvarig" in html
        assert "Historik" in html and "Gav owner rollen Revisor" in html

    def test_the_user_page_shows_only_this_organisations_history(self):
        other = self.foreign_plan.committee.organisation
        Membership.objects.create(user=self.owner, organisation=other, role=Role.AUDITOR)
        services.role_revoke(
            organisation=other, user=self.owner, grant=Grant(Role.AUDITOR), by=self.stranger
        )
        self.client.force_login(self.controller)
        html = self.client.get(self.url("user_detail")).content.decode()
        assert "Tog bort rollen" not in html

    def test_user_page_404_403_405(self):
        self.client.force_login(self.controller)
        assert self.client.get(self.url("user_detail", username="stranger")).status_code == 404
        assert self.client.get(self.url("user_detail", org="annan")).status_code == 404
        assert self.client.post(self.url("user_detail")).status_code == 405
        self.client.force_login(self.auditor)
        assert self.client.get(self.url("user_detail")).status_code == 403

    def test_adding_a_committee_role(self):
        self.client.force_login(self.controller)
        response = self.client.post(self.url("role_add"), {"grant": "manager:sn"})
        assert response.status_code == 302
        assert Membership.objects.filter(user=self.owner, role="manager", committee=self.sn)
        assert AuditEvent.objects.filter(action="role_grant", actor=self.controller).exists()

    def test_adding_a_role_twice_shows_the_reason(self):
        self.client.force_login(self.controller)
        response = self.client.post(self.url("role_add"), {"grant": "control_owner"})
        assert response.status_code == 422
        assert "har redan rollen" in response.content.decode()

    def test_role_add_refuses_get_strangers_and_read_only_users(self):
        self.client.force_login(self.controller)
        assert self.client.get(self.url("role_add")).status_code == 405
        assert self.client.post(self.url("role_add", org="annan"), {}).status_code == 404
        self.client.force_login(self.auditor)
        assert self.client.post(self.url("role_add"), {"grant": "auditor"}).status_code == 403

    def test_removing_a_role(self):
        self.client.force_login(self.controller)
        response = self.client.post(
            self.url("role_remove", username="secretary"), {"grant": "secretary:ks"}
        )
        # The secretary had no other role, so they leave the list.
        assert response["Location"] == reverse("accounts:user_list", args=["testkommun"])
        assert not Membership.objects.filter(user=self.secretary).exists()

    def test_removing_ones_own_last_controller_role_is_refused_with_a_message(self):
        self.client.force_login(self.controller)
        response = self.client.post(
            self.url("role_remove", username="controller"), {"grant": "controller"}, follow=True
        )
        assert "sista controllerroll" in response.content.decode()
        assert Membership.objects.filter(user=self.controller, role="controller").exists()

    def test_role_remove_refuses_get_strangers_and_read_only_users(self):
        self.client.force_login(self.controller)
        assert self.client.get(self.url("role_remove")).status_code == 405
        assert self.client.post(self.url("role_remove", org="annan"), {}).status_code == 404
        self.client.force_login(self.secretary)
        response = self.client.post(self.url("role_remove"), {"grant": "control_owner"})
        assert response.status_code == 403


class InvitationViewsTests(BaseTestCase):
    def create_url(self, org="testkommun"):
        return reverse("accounts:invitation_create", kwargs={"org": org})

    def test_the_controller_invites_by_email(self):
        self.client.force_login(self.controller)
        response = self.client.post(
            self.create_url(), {"email": "ny@testkommun.se", "grants": ["auditor", "secretary:sn"]}
        )
        assert response.status_code == 302
        assert "http://testserver/inbjudan/" in mail.outbox[0].body
        pending = self.client.get(reverse("accounts:user_list", args=["testkommun"]))
        assert "ny@testkommun.se" in pending.content.decode()

    def test_an_invitation_without_roles_is_refused(self):
        self.client.force_login(self.controller)
        response = self.client.post(self.create_url(), {"email": "ny@testkommun.se"})
        assert response.status_code == 422
        assert "Välj minst en roll" in response.content.decode()
        assert not mail.outbox

    def test_invitation_create_404_403(self):
        self.client.force_login(self.controller)
        assert self.client.get(self.create_url()).status_code == 200
        assert self.client.get(self.create_url("annan")).status_code == 404
        self.client.force_login(self.secretary)
        assert self.client.get(self.create_url()).status_code == 403

    def invitation(self, **changes):
        invitation = services.invitation_create(
            organisation=self.org,
            email="ny@testkommun.se",
            grants=[Grant(Role.CONTROL_OWNER)],
            by=self.controller,
            site_url="http://testserver/",
        )
        if changes:
            Invitation.objects.filter(pk=invitation.pk).update(**changes)
        token = mail.outbox[-1].body.split("/inbjudan/")[1].split("/")[0]
        return reverse("accounts:invitation_accept", kwargs={"token": token})

    def form(self, **extra):
        return {
            "first_name": "Nina",
            "last_name": "Ny",
            "username": "nina",
            "password": "ett-långt-lösenord-2018",
            "password_again": "ett-långt-lösenord-2018",
            **extra,
        }

    def test_the_invitee_sets_a_password_and_is_logged_in(self):
        url = self.invitation()
        assert "Välkommen till IK" in self.client.get(url).content.decode()
        response = self.client.post(url, self.form(), follow=True)
        assert response.redirect_chain[-1][0] == reverse("web:home")
        assert response.context["user"].username == "nina"
        assert "Mina uppgifter" in response.content.decode()

    def test_password_validators_apply(self):
        url = self.invitation()
        response = self.client.post(url, self.form(password="nina", password_again="nina"))
        assert response.status_code == 422
        html = response.content.decode()
        assert "för kort" in html or "too short" in html
        assert not get_user_model().objects.filter(username="nina").exists()

    def test_mismatching_passwords_are_refused(self):
        response = self.client.post(self.invitation(), self.form(password_again="annat"))
        assert "Lösenorden är inte lika" in response.content.decode()

    def test_a_used_invitation_gives_a_clear_message(self):
        url = self.invitation(used_at=timezone.now())
        response = self.client.get(url)
        assert response.status_code == 410
        assert "Inbjudan är redan använd" in response.content.decode()
        assert self.client.post(url, self.form()).status_code == 410

    def test_an_expired_invitation_gives_a_clear_message(self):
        url = self.invitation(expires_at=timezone.now() - timedelta(minutes=1))
        response = self.client.get(url)
        assert response.status_code == 410
        assert "Inbjudan har gått ut" in response.content.decode()

    def test_an_unknown_token_is_404_with_a_message(self):
        url = reverse("accounts:invitation_accept", kwargs={"token": "fel"})
        response = self.client.get(url)
        assert response.status_code == 404
        assert "Länken är inte giltig" in response.content.decode()

    def test_the_invitation_page_refuses_other_methods(self):
        assert self.client.put(self.invitation()).status_code == 405
