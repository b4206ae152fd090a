"""Export one organisation's data and files to a zip (see README, Säkerhetskopiering)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ik.backup.archive import ArchiveError, export_organisation
from ik.org.models import Organisation


class Command(BaseCommand):
    help = "Exporterar en organisations alla uppgifter och filer till en zip-fil."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="Organisationens kod, t.ex. mjolby.")
        parser.add_argument("--output", required=True, help="Zip-filen som skrivs.")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(code=options["code"]).first()
        if organisation is None:
            raise CommandError(f"Organisationen {options['code']} finns inte.")
        try:
            manifest = export_organisation(organisation, options["output"])
        except (ArchiveError, OSError) as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            f"{organisation.name}: {rows} rader och {len(manifest['files'])} filer "
            f"skrivna till {options['output']}."
        )
