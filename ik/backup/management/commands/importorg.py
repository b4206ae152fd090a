"""Import an organisation from a zip written by exportorg."""

from __future__ import annotations

import zipfile
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ik.backup.archive import ArchiveError
from ik.backup.restore import import_organisation


class Command(BaseCommand):
    help = "Läser in en organisation från en zip-fil skriven av exportorg."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Zip-filen från exportorg.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            imported = import_organisation(options["file"])
        except zipfile.BadZipFile:
            raise CommandError(f"{options['file']} är ingen zip-fil från exportorg.") from None
        except (ArchiveError, OSError) as error:
            raise CommandError(str(error)) from None
        organisation = imported.organisation
        self.stdout.write(f"{organisation.name} ({organisation.code}) är inläst.")
        self.stdout.write("Konton:")
        for line in imported.accounts:
            self.stdout.write(f"  {line}")
