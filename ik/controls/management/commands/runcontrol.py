"""`python manage.py runcontrol <control> …`: run an automated control on files."""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.db.models import Q

from ik.controls.running import organisation_options, register_file
from ik.controls.services import AttachError, control_run_attach_by_path
from ik.engine.controls.registry import CONTROLS, control_label, finding_kind_label, get_control
from ik.engine.controls.spec import ControlSpec
from ik.engine.errors import InputError
from ik.engine.result import ControlResult
from ik.lib.swedish import format_decimal, format_percent
from ik.org.models import Organisation


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
        self._print(result, as_json=options["json"])

    def _print(self, result: ControlResult, *, as_json: bool) -> None:
        if as_json:
            # Streamed: --json holds every finding, hundreds of thousands on a large ledger.
            result.write_json(_Unended(self.stdout))
            self.stdout.write("")
            return
        for line in text_lines(result):
            self.stdout.write(line)


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


# The text output is for reading in a terminal; --json holds everything.
TEXT_UNITS = 50
TEXT_FINDINGS = 50


def text_lines(result: ControlResult) -> list[str]:
    """The result as Swedish text: the same figures as the JSON, long lists cut and said so."""
    lines = [f"{control_label(result.control)} ({result.control}): {result.verdict.label}"]
    lines.append(result.summary)
    details = result.details
    if details.get("header_row"):
        lines.append(f"Rubrikraden är rad {details['header_row']}; raderna ovanför är rubriker.")
    for left_out in details.get("left_out_rows", []):
        lines.append(f"Rad {left_out['row']} lästes inte som data: {left_out['reason']}.")
    if details.get("skipped_rows"):
        lines.append(f"{format_decimal(details['skipped_rows'])} felaktiga rader hoppades över.")
    if result.by_unit:
        lines.append("Per enhet:")
    for unit in result.by_unit[:TEXT_UNITS]:
        value = "" if unit.value is None else f" ({format_percent(unit.value)})"
        lines.append(
            f"  {unit.unit}: {format_decimal(unit.count)} av {format_decimal(unit.n)}{value}"
        )
    if len(result.by_unit) > TEXT_UNITS:
        more = len(result.by_unit) - TEXT_UNITS
        lines.append(f"  … och {format_decimal(more)} enheter till (alla finns i --json)")
    if result.findings:
        lines.append("Fynd:")
    for finding in result.findings[:TEXT_FINDINGS]:
        lines.append(f"  [{finding_kind_label(finding.kind)}] {finding.message}")
    total = int(details.get("findings_total", len(result.findings)))
    if total > TEXT_FINDINGS:
        kept = len(result.findings)
        where = "se --json" if kept == total else f"--json har de {format_decimal(kept)} första"
        lines.append(
            f"  … och {format_decimal(total - min(TEXT_FINDINGS, total))} fynd till ({where})"
        )
    return lines
