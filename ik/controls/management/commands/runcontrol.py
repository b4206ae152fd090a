"""`python manage.py runcontrol <control> …`: run an automated control on files."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ik.controls.services import AttachError, control_run_attach_by_path
from ik.engine.controls.registry import CONTROLS, get_control
from ik.engine.errors import InputError
from ik.engine.result import ControlResult
from ik.lib.swedish import format_percent


class Command(BaseCommand):
    help = "Kör en automatisk kontroll på en eller flera filer och skriver resultatet."
    # A data command run on large files: Django's system checks cost about 0.7 s a run and
    # check nothing the control depends on. `manage.py check` and the web server run them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="control", required=True, metavar="<kontroll>")
        for name in sorted(CONTROLS):
            spec = CONTROLS[name]
            p = sub.add_parser(name, help=f"{spec.label}: {spec.help}")
            spec.add_arguments(p)
            p.add_argument("--json", action="store_true", help="Skriv ett JSON-objekt på stdout.")
            p.add_argument(
                "--attach",
                metavar="NÄMND/ÅR/BRYTDATUM/KONTROLLMOMENT",
                help="Spara resultatet som underlag på uppföljningens kontrollmoment.",
            )
            p.add_argument(
                "--organisation",
                help="Organisationens namn eller kod, när nämndens namn finns i flera.",
            )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = get_control(options["control"]).run(options)
            if options.get("attach"):
                control_run_attach_by_path(result=result, path=options["attach"], options=options)
        except (InputError, AttachError) as exc:
            raise CommandError(str(exc)) from exc
        self._print(result, as_json=options["json"])

    def _print(self, result: ControlResult, *, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, default=str))
            return
        self.stdout.write(f"{result.control}: {result.verdict.label}")
        self.stdout.write(result.summary)
        for unit in result.by_unit[:20]:
            value = "" if unit.value is None else f" {format_percent(unit.value)}"
            self.stdout.write(f"  {unit.unit}: {unit.count} av {unit.n}{value}")
        for finding in result.findings[:50]:
            self.stdout.write(f"  [{finding.kind}] {finding.message}")
        if len(result.findings) > 50:
            self.stdout.write(f"  … och {len(result.findings) - 50} fynd till (se --json)")
