"""`python manage.py importresults --committee C --year Y --cutoff D FILE`: read results in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ik.engine.errors import InputError
from ik.engine.result_sheet import STATUS_LABELS, read_results, refuse_problems
from ik.engine.tables import read_grids
from ik.followups.importing import results_import
from ik.org.actors import IMPORTRESULTS
from ik.web.management.lookup import committee_named, followup_of, plan_of, read_file


class Command(BaseCommand):
    help = (
        "Läser in ifyllda resultat (genomförande, resultat, mätvärde) från ett resultatblad "
        "i Excel eller CSV till en uppföljning som inte är rapporterad."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Resultatbladet: .xlsx, .xls, .ods, .csv eller .docx.")
        parser.add_argument("--organisation", help="Organisationens namn eller kod.")
        parser.add_argument("--committee", required=True, help="Nämndens namn eller kod.")
        parser.add_argument("--year", type=int, required=True, help="Planens år.")
        parser.add_argument("--cutoff", required=True, help="Uppföljningens datum, ÅÅÅÅ-MM-DD.")
        parser.add_argument("--dry-run", action="store_true", help="Visa bara; spara inget.")
        parser.add_argument("--sheet", help="Bladet i arbetsboken (standard: det som passar).")
        parser.add_argument("--header-row", type=int, help="Rubrikradens nummer (från 1).")

    def handle(self, *args: Any, **options: Any) -> None:
        committee = committee_named(options["committee"], options["organisation"])
        try:
            cutoff = dt.date.fromisoformat(options["cutoff"])
        except ValueError:
            raise CommandError(f"Ogiltigt datum ”{options['cutoff']}”; skriv ÅÅÅÅ-MM-DD.") from None
        followup = followup_of(plan_of(committee, options["year"]), cutoff)
        path = Path(options["file"])
        try:
            grids = read_grids(read_file(path), path.name, sheet=options["sheet"])
            results = read_results(grids, header_row=options["header_row"])
            refuse_problems(results)
        except InputError as exc:
            problems = [str(p) for p in exc.problems[1:20]]
            raise CommandError("\n".join([str(exc), *problems])) from None
        try:
            done = results_import(
                followup=followup,
                rows=results.rows,
                by=IMPORTRESULTS,
                source=path.name,
                dry_run=options["dry_run"],
            )
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from None
        for row, entry in done.recorded:
            status = STATUS_LABELS.get(row.status or entry.execution_status, "")
            self.stdout.write(f"Rad {row.row}: {entry.control_point.number}. {status}")
        verb = "Skulle läsa in" if options["dry_run"] else "Läste in"
        tail = " Inget sparades (--dry-run)." if options["dry_run"] else ""
        self.stdout.write(f"{verb} {len(done.recorded)} resultat i {followup}.{tail}")
