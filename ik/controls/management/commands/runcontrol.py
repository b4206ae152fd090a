"""`python manage.py runcontrol <control> …`: run an automated control on files."""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.db.models import Q

from ik.controls.running import organisation_options, register_file
from ik.controls.services import AttachError, control_run_attach_by_path
from ik.engine.controls.cli import add_control_parsers, write_result
from ik.engine.controls.registry import get_control
from ik.engine.controls.spec import ControlSpec
from ik.engine.errors import InputError
from ik.org.models import Organisation


class Command(BaseCommand):
    help = "Kör en automatisk kontroll på en eller flera filer och skriver resultatet."
    # A data command run on large files: Django's system checks cost about 0.7 s a run and
    # check nothing the control depends on. `manage.py check` and the web server run them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        # The options here need the database; a run without them never starts Django
        # (manage.py, ik.engine.controls.cli).
        for p in add_control_parsers(parser).values():
            p.add_argument(
                "--attach",
                metavar="NÄMND/ÅR/BRYTDATUM/KONTROLLMOMENT",
                help="Spara resultatet som underlag på uppföljningens kontrollmoment.",
            )
            p.add_argument(
                "--organisation",
                help="Organisationens namn eller kod, när nämndens namn finns i flera. För "
                "kontroller som läser ett register: organisationens register används när "
                "ingen fil anges.",
            )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with ExitStack() as stack:
                spec = get_control(options["control"])
                options = _with_registers(spec, options, stack)
                result = spec.run(options)
            if options.get("attach"):
                control_run_attach_by_path(result=result, path=options["attach"], options=options)
        except (InputError, AttachError) as exc:
            raise CommandError(str(exc)) from exc
        write_result(result, _Unended(self.stdout), as_json=options["json"])


class _Unended:
    """Django's command output without the line ending it adds to every write."""

    def __init__(self, out: OutputWrapper) -> None:
        self.out = out

    def write(self, text: str) -> None:
        self.out.write(text, ending="")


def _with_registers(spec: ControlSpec, options: dict[str, Any], stack: ExitStack) -> dict[str, Any]:
    """Fill in what the command line left out from `--organisation`: its contract register,
    and its settings for the control (as a run from a follow-up entry gets them)."""
    if "contracts" not in spec.registers or not options.get("organisation"):
        return options
    name = options["organisation"]
    found = list(Organisation.objects.filter(Q(code=name) | Q(name=name))[:2])
    if len(found) != 1:
        raise InputError(f"Organisationen {name!r} finns inte (ange dess kod, t.ex. mjolby).")
    options = organisation_options(spec, options, found[0])
    if not options.get("contracts"):
        options["contracts"] = register_file(stack, "contracts", found[0])
    return options
