from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from ik.accounts import services
from ik.accounts.models import Invitation, hash_token
from ik.accounts.services import Grant
from ik.org.models import AuditEvent, Membership, Person, Role
from ik.test import BaseTestCase


def token_from_mail() -> str:
    body = mail.outbox[-1].body
    return body.split("/inbjudan/")[1].split("/")[0]


class InvitationServiceTests(BaseTestCase):
    def invite(self, email="ny@testkommun.se", grants=None):
        return services.invitation_create(
            organisation=self.org,
            email=email,
            grants=grants or [Grant(Role.SECRETARY, self.sn), Grant(Role.CONTROL_OWNER)],
            by=self.controller,
            site_url="https://ik.testkommun.se/",
        )

    def test_the_invitation_is_mailed_with_a_link_and_only_its_hash_is_stored(self):
        invitation = self.invite()
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["ny@testkommun.se"]
        assert "https://ik.testkommun.se/inbjudan/" in message.body
        assert "Nämndsekreterare, Socialnämnden" in message.body
        token = token_from_mail()
        assert len(token) >= 40
        assert token not in invitation.token_hash
        assert invitation.token_hash == hash_token(token)

    def test_the_invitation_is_valid_for_seven_days(self):
        invitation = self.invite()
        left = invitation.expires_at - timezone.now()
        assert timedelta(days=6, hours=23) < left <= timedelta(days=7)
        assert invitation.state == Invitation.State.PENDING

    def test_an_invitation_needs_a_role(self):
        with pytest.raises(ValidationError):
            services.invitation_create(
                organisation=self.org, email="x@y.se", grants=[], by=self.controller, site_url="/"
            )
        assert not mail.outbox

    def test_an_existing_users_address_is_refused(self):
        self.owner.email = "olle@testkommun.se"
        self.owner.save()
        with pytest.raises(ValidationError, match="redan en användare"):
            self.invite(email="Olle@testkommun.se")

    def test_creating_an_invitation_is_recorded(self):
        invitation = self.invite()
        event = AuditEvent.objects.get(action="invitation_create")
        assert event.actor == self.controller
        assert event.object_id == str(invitation.public_id)
        assert "Kontrollansvarig" in event.changes["roles"]

    def accept(self, invitation, username="nyanvandare"):
        return services.invitation_accept(
            invitation=invitation,
            username=username,
            first_name="Nina",
            last_name="Ny",
            password="ett-långt-lösenord-2018",
        )

    def test_accepting_creates_the_user_with_the_roles_and_a_person(self):
        user = self.accept(self.invite())
        assert user.check_password("ett-långt-lösenord-2018")
        assert user.email == "ny@testkommun.se"
        roles = set(Membership.objects.filter(user=user).values_list("role", "committee__code"))
        assert roles == {("secretary", "sn"), ("control_owner", None)}
        assert Person.objects.get(user=user).name == "Nina Ny"
        event = AuditEvent.objects.get(action="invitation_accept")
        assert event.actor == user

    def test_accepting_links_a_person_already_named_with_that_address(self):
        person = Person.objects.create(
            organisation=self.org, name="Nina Ny", email="ny@testkommun.se"
        )
        user = self.accept(self.invite())
        person.refresh_from_db()
        assert person.user == user

    def test_an_invitation_can_be_used_once(self):
        invitation = self.invite()
        self.accept(invitation)
        invitation.refresh_from_db()
        assert invitation.state == Invitation.State.USED
        with pytest.raises(ValidationError, match="redan använd eller har gått ut"):
            self.accept(invitation, username="andra")

    def test_an_expired_invitation_is_refused(self):
        invitation = self.invite()
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
        invitation.refresh_from_db()
        assert invitation.state == Invitation.State.EXPIRED
        with pytest.raises(ValidationError):
            self.accept(invitation)
        assert not get_user_model().objects.filter(username="nyanvandare").exists()

    def test_a_taken_username_is_refused(self):
        with pytest.raises(ValidationError, match="upptaget"):
            self.accept(self.invite(), username="SECRETARY")


class RoleServiceTests(BaseTestCase):
    def test_a_committee_role_needs_a_committee_of_the_organisation(self):
        with pytest.raises(ValidationError, match="behöver en nämnd"):
            services.grant_from(self.org, "secretary", None)
        with pytest.raises(ValidationError, match="Nämnden finns inte"):
            services.grant_from(self.org, "secretary", "finns-inte")
        with pytest.raises(ValidationError, match="Okänd roll"):
            services.parse_grant(self.org, "kung")
        assert services.parse_grant(self.org, "manager:sn") == Grant(Role.MANAGER, self.sn)

    def test_granting_a_role_is_recorded_on_the_user(self):
        services.role_grant(
            organisation=self.org, user=self.owner, grant=Grant(Role.AUDITOR), by=self.controller
        )
        assert Membership.objects.filter(user=self.owner, role=Role.AUDITOR).exists()
        event = AuditEvent.objects.get(action="role_grant")
        assert event.object_type == "auth.user"
        assert event.changes == {"role": "Revisor", "committee": ""}

    def test_granting_a_role_twice_is_refused(self):
        with pytest.raises(ValidationError, match="har redan rollen"):
            services.role_grant(
                organisation=self.org,
                user=self.secretary,
                grant=Grant(Role.SECRETARY, self.ks),
                by=self.controller,
            )

    def test_revoking_a_role_is_recorded(self):
        services.role_revoke(
            organisation=self.org,
            user=self.secretary,
            grant=Grant(Role.SECRETARY, self.ks),
            by=self.controller,
        )
        assert not Membership.objects.filter(user=self.secretary).exists()
        event = AuditEvent.objects.get(action="role_revoke")
        assert event.changes["committee"] == "Kommunstyrelsen"

    def test_revoking_a_role_the_user_lacks_is_refused(self):
        with pytest.raises(ValidationError, match="har inte rollen"):
            services.role_revoke(
                organisation=self.org,
                user=self.owner,
                grant=Grant(Role.AUDITOR),
                by=self.controller,
            )

    def test_a_controller_cannot_remove_their_own_last_controller_role(self):
        with pytest.raises(ValidationError, match="sista controllerroll"):
            services.role_revoke(
                organisation=self.org,
                user=self.controller,
                grant=Grant(Role.CONTROLLER),
                by=self.controller,
            )
        assert Membership.objects.filter(user=self.controller, role=Role.CONTROLLER).exists()
        assert not AuditEvent.objects.filter(action="role_revoke").exists()

    def test_a_controller_may_remove_another_controller(self):
        other = get_user_model().objects.create_user("controller2")
        Membership.objects.create(user=other, organisation=self.org, role=Role.CONTROLLER)
        services.role_revoke(
            organisation=self.org, user=other, grant=Grant(Role.CONTROLLER), by=self.controller
        )
        assert not Membership.objects.filter(user=other).exists()
