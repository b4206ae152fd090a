"""Check each organisation's audit trail for changed or removed events (see README)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ik.org.chain import check_chain
from ik.org.models import AuditEvent, Organisation


class Command(BaseCommand):
    help = (
        "Kontrollerar händelseloggens kedja av kontrollsummor och visar den första "
        "brutna länken. Avslutas med felkod om någon kedja är bruten."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", help="Bara denna organisation (kod).")

    def handle(self, *args: Any, **options: Any) -> None:
        organisations = Organisation.objects.order_by("code")
        if options["organisation"]:
            organisations = organisations.filter(code=options["organisation"])
            if not organisations.exists():
                raise CommandError(f"Organisationen {options['organisation']} finns inte.")
        broken = []
        for organisation in organisations:
            events = AuditEvent._base_manager.filter(organisation=organisation).order_by("id")
            result = check_chain(events.iterator(chunk_size=2000))
            if result.broken is not None:
                broken.append(organisation.code)
                self.stderr.write(
                    f"{organisation.code}: kedjan är bruten vid {result.broken.describe()} "
                    f"({result.events} händelser före den är hela)."
                )
            else:
                self.stdout.write(
                    f"{organisation.code}: {result.events} händelser, kedjan är hel. "
                    f"Senaste länk: {result.head}"
                )
        if broken:
            raise CommandError(f"Händelseloggen är bruten för {', '.join(broken)}.")
