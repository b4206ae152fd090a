"""Users, roles and invitations. Each function is one transaction and writes the trail."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ik.accounts.models import Invitation, hash_token
from ik.org.actors import Actor, user_or_none
from ik.org.audit import audit_record
from ik.org.models import COMMITTEE_ROLES, Committee, Membership, Organisation, Person, Role
from ik.org.services import organisation_create

INVITATION_VALID_FOR = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Grant:
    """One role to give, with its committee for the committee-bound roles."""

    role: Role
    committee: Committee | None = None

    @property
    def key(self) -> str:
        return f"{self.role}:{self.committee.code}" if self.committee else str(self.role)

    @property
    def label(self) -> str:
        label = str(self.role.label)
        return f"{label}, {self.committee.name}" if self.committee else label

    def as_json(self) -> dict[str, Any]:
        return {
            "role": str(self.role),
            "committee": self.committee.code if self.committee else None,
        }


def grant_from(organisation: Organisation, role: str, committee_code: str | None) -> Grant:
    """A validated Grant: committee roles need a committee of this organisation, others none."""
    if role not in Role.values:
        raise ValidationError({"role": "Okänd roll."})
    chosen = Role(role)
    if chosen not in COMMITTEE_ROLES:
        return Grant(chosen)
    if not committee_code:
        raise ValidationError({"committee": f"{chosen.label} behöver en nämnd."})
    try:
        committee = Committee.objects.get(organisation=organisation, code=committee_code)
    except Committee.DoesNotExist:
        raise ValidationError({"committee": "Nämnden finns inte."}) from None
    return Grant(chosen, committee)


def parse_grant(organisation: Organisation, key: str) -> Grant:
    role, _, code = key.partition(":")
    return grant_from(organisation, role, code or None)


def grants_of(invitation: Invitation) -> list[Grant]:
    return [
        grant_from(invitation.organisation, g["role"], g.get("committee"))
        for g in invitation.grants
    ]


def _role_changes(grant: Grant) -> dict[str, Any]:
    return {
        "role": str(grant.role.label),
        "committee": grant.committee.name if grant.committee else "",
    }


# Roles -------------------------------------------------------------------------------------


@transaction.atomic
def role_grant(*, organisation: Organisation, user: User, grant: Grant, by: Actor) -> Membership:
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=grant.role, committee=grant.committee
    )
    if not created:
        raise ValidationError(f"{user.get_username()} har redan rollen {grant.label}.")
    audit_record(
        organisation=organisation,
        actor=by,
        action="role_grant",
        obj=user,
        summary=f"Gav {user.get_username()} rollen {grant.label}",
        changes=_role_changes(grant),
    )
    return membership


@transaction.atomic
def role_revoke(*, organisation: Organisation, user: User, grant: Grant, by: Actor) -> None:
    """Remove a role. A controller cannot remove their own last controller role, so an
    organisation is never left without someone who can give the role back by mistake."""
    memberships = Membership.objects.select_for_update().filter(
        user=user, organisation=organisation
    )
    found = memberships.filter(role=grant.role, committee=grant.committee).first()
    if found is None:
        raise ValidationError(f"{user.get_username()} har inte rollen {grant.label}.")
    if (
        grant.role == Role.CONTROLLER
        and user_or_none(by) == user
        and memberships.filter(role=Role.CONTROLLER).count() == 1
    ):
        raise ValidationError("Du kan inte ta bort din egen sista controllerroll.")
    found.delete()
    audit_record(
        organisation=organisation,
        actor=by,
        action="role_revoke",
        obj=user,
        summary=f"Tog bort rollen {grant.label} från {user.get_username()}",
        changes=_role_changes(grant),
    )


# Invitations --------------------------------------------------------------------------------


@transaction.atomic
def invitation_create(
    *,
    organisation: Organisation,
    email: str,
    grants: list[Grant],
    by: Actor,
    site_url: str,
    person: Person | None = None,
) -> Invitation:
    """Store an invitation and e-mail its link. The token itself is only in the e-mail."""
    invitation, _ = invitation_issue(
        organisation=organisation,
        email=email,
        grants=grants,
        by=by,
        site_url=site_url,
        person=person,
    )
    return invitation


@transaction.atomic
def invitation_issue(
    *,
    organisation: Organisation,
    email: str,
    grants: list[Grant],
    by: Actor,
    site_url: str,
    person: Person | None = None,
) -> tuple[Invitation, str]:
    """`invitation_create`, also handing back the one-time link for a command to print.

    With a person from the register, the new account becomes that person and so gets the
    control points, actions and follow-ups already assigned to them.
    """
    if not grants:
        raise ValidationError({"grants": "Välj minst en roll."})
    email = email.strip().lower()
    if get_user_model().objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {
                "email": "Det finns redan en användare med den e-postadressen. Ge rollen på "
                "användarens sida i stället."
            }
        )
    if person is not None and (person.organisation_id != organisation.pk or person.user_id):
        raise ValidationError("Personen har redan ett konto eller hör till en annan organisation.")
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        grants=[g.as_json() for g in grants],
        token_hash=hash_token(token),
        expires_at=timezone.now() + INVITATION_VALID_FOR,
        invited_by=user_or_none(by),
        person=person,
    )
    link = site_url.rstrip("/") + reverse("accounts:invitation_accept", kwargs={"token": token})
    _send_invitation(invitation, link, by)
    changes = {"email": email, "roles": ", ".join(g.label for g in grants)}
    if person is not None:
        changes["person"] = person.name
    audit_record(
        organisation=organisation,
        actor=by,
        action="invitation_create",
        obj=invitation,
        summary=f"Bjöd in {email}",
        changes=changes,
    )
    return invitation, link


@transaction.atomic
def organisation_setup(
    *, name: str, controller_email: str, by: Actor, site_url: str, code: str = ""
) -> tuple[Organisation, Invitation, str]:
    """A new organisation and an invitation for its first central controller.

    Returns the one-time link as well, for the person setting up the instance to pass on
    when e-mail is not yet configured.
    """
    organisation = organisation_create(name=name, code=code, by=by)
    invitation, link = invitation_issue(
        organisation=organisation,
        email=controller_email,
        grants=[Grant(Role.CONTROLLER)],
        by=by,
        site_url=site_url,
    )
    return organisation, invitation, link


def _send_invitation(invitation: Invitation, link: str, by: Actor) -> None:
    user = user_or_none(by)
    inviter = (user.get_full_name() or user.get_username()) if user is not None else "IK"
    roles = "\n".join(f"- {g.label}" for g in grants_of(invitation))
    send_mail(
        subject=f"Inbjudan till IK internkontroll, {invitation.organisation.name}",
        message=(
            f"Hej!\n\n{inviter} har bjudit in dig till IK internkontroll för "
            f"{invitation.organisation.name} med rollerna:\n{roles}\n\n"
            f"Öppna länken för att välja användarnamn och lösenord:\n{link}\n\n"
            f"Länken gäller till {timezone.localtime(invitation.expires_at):%Y-%m-%d %H:%M} "
            "och kan bara användas en gång.\n"
        ),
        from_email=None,
        recipient_list=[invitation.email],
    )


def _link_person(invitation: Invitation, user: User) -> None:
    # Someone already named in plans (e.g. a control owner) becomes that person, so the
    # control points they own show up under "Mina uppgifter" at once: the person the
    # invitation was made for, or else the one registered with the same e-mail address.
    person = None
    if invitation.person_id is not None:
        person = Person.objects.filter(pk=invitation.person_id, user__isnull=True).first()
    if person is None:
        person = Person.objects.filter(
            organisation=invitation.organisation,
            email__iexact=invitation.email,
            user__isnull=True,
        ).first()
    if person is None:
        person = Person(organisation=invitation.organisation, email=invitation.email)
        person.name = user.get_full_name() or user.get_username()
    person.user = user
    person.save()


def invitation_for_token(token: str) -> Invitation:
    """The invitation behind a token, whatever its state; Invitation.DoesNotExist if none."""
    return Invitation.objects.select_related("organisation", "person").get(
        token_hash=hash_token(token)
    )


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, username: str, first_name: str, last_name: str, password: str
) -> Any:
    """Create the invited user with the invitation's roles. Usable once, within 7 days."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.state != Invitation.State.PENDING:
        raise ValidationError("Inbjudan är redan använd eller har gått ut.")
    users = get_user_model()
    if users.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "Användarnamnet är upptaget."})
    user = users.objects.create_user(
        username=username,
        email=invitation.email,
        password=password,
        first_name=first_name,
        last_name=last_name,
    )
    grants = grants_of(invitation)
    for grant in grants:
        Membership.objects.create(
            user=user,
            organisation=invitation.organisation,
            role=grant.role,
            committee=grant.committee,
        )
    _link_person(invitation, user)
    invitation.used_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["used_at", "user"])
    audit_record(
        organisation=invitation.organisation,
        actor=user,
        action="invitation_accept",
        obj=invitation,
        summary=f"{username} tog emot inbjudan till {invitation.email}",
        changes={"username": username, "roles": ", ".join(g.label for g in grants)},
    )
    return user
