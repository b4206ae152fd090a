"""Demo user accounts, one per role. The password is printed by `make run`."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from ik.org.models import Committee, Membership, Organisation, Person, Role

DEMO_PASSWORD = "internkontroll"  # noqa: S105 - demo data, printed for the user on purpose

# username, first name, last name, role, organisation code, committee code, person key
USERS = [
    ("controller", "Kim", "Controller", Role.CONTROLLER, "mjolby", None, None),
    ("controller", "Kim", "Controller", Role.CONTROLLER, "exempelkommun", None, None),
    ("sekreterare", "Carina", "Åsman", Role.SECRETARY, "mjolby", "ks", "sekreterare"),
    ("ekonomichef", "Eva", "Ekonom", Role.CONTROL_OWNER, "mjolby", None, "ekonomichef"),
    ("itchef", "Ivar", "IT", Role.CONTROL_OWNER, "mjolby", None, "itchef"),
    ("revisor", "Rut", "Revisor", Role.AUDITOR, "mjolby", None, None),
    ("revisor", "Rut", "Revisor", Role.AUDITOR, "exempelkommun", None, None),
    (
        "exempel-ekonomichef",
        "Elin",
        "Exempel",
        Role.CONTROL_OWNER,
        "exempelkommun",
        None,
        "exempel_ekonomichef",
    ),
    ("politiker", "Per", "Politiker", Role.POLITICIAN, "mjolby", "ks", None),
]


def load(people: dict[str, Person]) -> list[tuple[str, str]]:
    """Create the accounts and roles; return (username, description) for printing."""
    User = get_user_model()
    printed: list[tuple[str, str]] = []
    for username, first, last, role, org_code, committee_code, person_key in USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        org = Organisation.objects.get(code=org_code)
        committee = (
            Committee.objects.get(organisation=org, code=committee_code) if committee_code else None
        )
        Membership.objects.get_or_create(
            user=user, organisation=org, role=role, committee=committee
        )
        if person_key and person_key in people and people[person_key].user_id is None:
            people[person_key].user = user
            people[person_key].save(update_fields=["user"])
        where = committee.name if committee else org.name
        printed.append((username, f"{role.label}, {where}"))
    return printed
