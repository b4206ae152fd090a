from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from ik.accounts import services
from ik.accounts.models import Invitation, hash_token
from ik.org.models import AuditEvent, Membership, Organisation, Role
from ik.test import TEST_SETUP


def run(*args: str) -> str:
    out = StringIO()
    call_command("createorganisation", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_an_empty_database_gets_an_organisation_and_an_invitation_for_its_controller():
    output = run("--name", "Malmö stad", "--controller-email", "Anna@Malmo.se", "--slug", "malmo")
    organisation = Organisation.objects.get(code="malmo")
    assert organisation.name == "Malmö stad"
    invitation = Invitation.objects.get(organisation=organisation)
    assert invitation.email == "anna@malmo.se"
    assert invitation.grants == [{"role": "controller", "committee": None}]
    token = output.split("/inbjudan/")[1].split("/")[0]
    assert invitation.token_hash == hash_token(token)
    assert mail.outbox[0].to == ["anna@malmo.se"]
    assert f"/inbjudan/{token}/" in mail.outbox[0].body
    assert AuditEvent.objects.filter(organisation=organisation, action="organisation_create")


@pytest.mark.django_db
def test_the_code_is_made_from_the_name_when_none_is_given():
    run("--name", "Region Östergötland", "--controller-email", "a@rg.se")
    assert Organisation.objects.filter(code="region-ostergotland").exists()


@pytest.mark.django_db
def test_a_second_organisation_with_the_same_name_is_refused_in_swedish():
    run("--name", "Malmö stad", "--controller-email", "anna@malmo.se")
    with pytest.raises(CommandError, match="Det finns redan en organisation som heter"):
        run("--name", "MALMÖ STAD", "--controller-email", "bo@malmo.se", "--slug", "annan")
    assert Organisation.objects.count() == 1
    assert Invitation.objects.count() == 1


@pytest.mark.django_db
def test_a_second_organisation_with_the_same_code_is_refused():
    run("--name", "Malmö stad", "--controller-email", "anna@malmo.se", "--slug", "malmo")
    with pytest.raises(CommandError, match="koden ”malmo”"):
        run("--name", "Malmö kommun", "--controller-email", "bo@malmo.se", "--slug", "malmo")


@pytest.mark.django_db
def test_a_bad_code_or_address_is_refused_before_anything_is_saved():
    with pytest.raises(CommandError, match="små bokstäver"):
        run("--name", "Malmö stad", "--controller-email", "anna@malmo.se", "--slug", "Malmö")
    with pytest.raises(CommandError, match="Ogiltig e-postadress"):
        run("--name", "Malmö stad", "--controller-email", "anna")
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_a_duplicate_ends_the_command_with_a_non_zero_exit_status():
    run("--name", "Malmö stad", "--controller-email", "anna@malmo.se")
    with pytest.raises(CommandError) as caught:
        run("--name", "Malmö stad", "--controller-email", "anna@malmo.se")
    assert caught.value.returncode != 0


@pytest.mark.django_db
def test_accepting_the_invitation_makes_the_first_controller():
    organisation, invitation, _ = services.organisation_setup(
        name="Malmö stad", controller_email="anna@malmo.se", by=TEST_SETUP, site_url="/"
    )
    user = services.invitation_accept(
        invitation=invitation,
        username="anna",
        first_name="Anna",
        last_name="Ström",
        password="ett-långt-lösenord-2018",
    )
    assert Membership.objects.get(user=user).role == Role.CONTROLLER
    assert Membership.objects.get(user=user).organisation == organisation
