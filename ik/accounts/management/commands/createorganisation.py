"""`python manage.py createorganisation`: a new organisation and its first controller."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email

from ik.accounts.services import organisation_setup
from ik.org.actors import CREATEORGANISATION


class Command(BaseCommand):
    help = (
        "Skapar en organisation (kommun eller region) och en inbjudan till dess första "
        "centrala controller. Inbjudan skickas med e-post och länken skrivs också ut."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--name", required=True, help="Organisationens namn, t.ex. ”Malmö stad”."
        )
        parser.add_argument(
            "--controller-email", required=True, help="E-postadress till den första controllern."
        )
        parser.add_argument(
            "--slug",
            default="",
            help="Kod i adresserna, t.ex. ”malmo” (standard: bildas av namnet).",
        )
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000",
            help="Adressen som IK nås på, för länken i inbjudan (standard: %(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["controller_email"].strip()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"Ogiltig e-postadress: {email!r}.") from None
        try:
            organisation, invitation, link = organisation_setup(
                name=options["name"],
                code=options["slug"],
                controller_email=email,
                by=CREATEORGANISATION,
                site_url=options["url"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(
            f"Organisationen {organisation.name} är skapad (kod {organisation.code})."
        )
        self.stdout.write(f"Inbjudan till central controller är skickad till {invitation.email}.")
        self.stdout.write("Engångslänk (gäller i sju dagar):")
        self.stdout.write(link)
