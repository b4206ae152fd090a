"""`python manage.py importplan --organisation O --committee C --year Y FILE`: read a plan in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ik.engine.errors import InputError
from ik.engine.plan_import import FIELD_LABELS, PlanFile, read_plan, refuse_problems
from ik.engine.tables import read_grids
from ik.followups.services import entries_for_new_point
from ik.org.actors import IMPORTPLAN
from ik.plans.importing import plan_import
from ik.web.management.lookup import committee_named, read_file


def parse_map(pairs: list[str]) -> dict[str, str]:
    """`["question=Vad kontrolleras", …]` as {field: header}."""
    mapping = {}
    for pair in pairs:
        name, sep, header = pair.partition("=")
        if not sep or not name.strip() or not header.strip():
            raise CommandError(f"Skriv --map som fält=Rubrik, inte ”{pair}”.")
        mapping[name.strip()] = header.strip()
    return mapping


def describe(plan: PlanFile) -> list[str]:
    """The mapping and every row as it will be saved, for the terminal."""
    lines = [f"Tabellen i {plan.table.where}, rubrikrad {plan.table.header_row}. Kolumner:"]
    for name, header in plan.mapped_headers().items():
        lines.append(f"  {FIELD_LABELS[name]:<24} ← ”{header}”")
    for row in plan.rows:
        kind = " (direktåtgärd)" if row.kind == "direct_action" else ""
        common = " (kommungemensamt)" if row.common else ""
        number = f"{row.code} " if row.code else ""
        lines.append(f"Rad {row.row}: {number}{row.process}{common}{kind}: {row.question}")
    return lines


class Command(BaseCommand):
    help = (
        "Läser in en internkontrollplan från en Excel-, CSV- eller Word-fil till nämndens "
        "utkast för året (som skapas om det saknas). En fastställd plan tas inte emot."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Planen: .xlsx, .xls, .ods, .csv eller .docx.")
        parser.add_argument("--organisation", help="Organisationens namn eller kod.")
        parser.add_argument("--committee", required=True, help="Nämndens namn eller kod.")
        parser.add_argument("--year", type=int, required=True, help="Planens år.")
        parser.add_argument("--dry-run", action="store_true", help="Visa bara; spara inget.")
        parser.add_argument("--sheet", help="Bladet i arbetsboken (standard: det som passar).")
        parser.add_argument("--header-row", type=int, help="Rubrikradens nummer (från 1).")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FÄLT=RUBRIK",
            help=f"Kolumnen för ett fält, t.ex. question=Vad. Fält: {', '.join(FIELD_LABELS)}.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        committee = committee_named(options["committee"], options["organisation"])
        path = Path(options["file"])
        try:
            grids = read_grids(read_file(path), path.name, sheet=options["sheet"])
            plan = read_plan(
                grids, header_row=options["header_row"], overrides=parse_map(options["map"])
            )
            refuse_problems(plan)
        except InputError as exc:
            problems = [str(p) for p in exc.problems[1:20]]
            raise CommandError("\n".join([str(exc), *problems])) from None
        for line in describe(plan):
            self.stdout.write(line)
        try:
            result = plan_import(
                committee=committee,
                year=options["year"],
                rows=plan.rows,
                by=IMPORTPLAN,
                on_added=entries_for_new_point,
                source=path.name,
                dry_run=options["dry_run"],
            )
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from None
        for note in result.notes:
            self.stdout.write(note)
        common = f" och placerade {result.common_placed} kommungemensamma" * bool(
            result.common_placed
        )
        new = " (ny plan)" if result.created_plan else ""
        if options["dry_run"]:
            self.stdout.write(
                f"Skulle läsa in {result.created} kontrollmoment{common} i {result.plan}{new}. "
                "Inget sparades (--dry-run)."
            )
        else:
            self.stdout.write(
                f"Läste in {result.created} kontrollmoment{common} i {result.plan}{new}."
            )
