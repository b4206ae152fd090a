"""`python manage.py report followup|plan|oversight …`: write a committee document to a file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ik.followups.models import FollowUp
from ik.org.models import Organisation
from ik.oversight.queries import available_cutoffs, available_years, load_overview
from ik.oversight.trends import common_trends
from ik.reports.document import Document
from ik.reports.oversight import build_oversight
from ik.reports.queries import (
    followup_document,
    item_document,
    plan_document,
    protocol_document,
    word_template,
)
from ik.reports.render import FORMATS, render
from ik.web.management.lookup import committee_named, followup_of, organisation_named, plan_of


def _oversight(options: dict[str, Any], organisation: Organisation) -> Document:
    year = options["year"]
    years = available_years(organisation)
    if year not in years:
        listed = ", ".join(str(y) for y in sorted(years)) or "inga år"
        raise CommandError(
            f"{organisation.name} har inga internkontrollplaner för {year}. "
            f"Planer finns för: {listed}."
        )
    cutoffs = sorted(available_cutoffs(organisation, year))
    cutoff = _date(options["cutoff"]) if options["cutoff"] else (cutoffs[-1] if cutoffs else None)
    if cutoff not in cutoffs:
        wanted = f" per {cutoff.isoformat()}" if cutoff else ""
        raise CommandError(
            f"{organisation.name} har ingen uppföljning{wanted} för {year}. "
            f"Uppföljningar finns per: {', '.join(d.isoformat() for d in cutoffs) or 'inga datum'}."
        )
    data = load_overview(organisation, year, cutoff, with_entries=True)
    return build_oversight(common_trends(organisation, data))


def _followup_document(kind: str, followup: FollowUp) -> Document:
    if kind == "item":
        return item_document(followup)
    if kind == "protocol":
        if not followup.has_protocol:
            raise CommandError(
                f"{followup} har inget protokollsutdrag än. Ange beslutande organ och paragraf "
                "under Ärendeuppgifter."
            )
        return protocol_document(followup)
    return followup_document(followup)


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Ogiltigt datum ”{value}”; skriv ÅÅÅÅ-MM-DD.") from exc


def _format(options: dict[str, Any]) -> str:
    fmt = options["format"] or Path(options["output"]).suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise CommandError("Ange --format docx, pdf eller xlsx.")
    return str(fmt)


class Command(BaseCommand):
    help = (
        "Skriver en nämndhandling (uppföljning, hela ärendet, protokollsutdrag eller "
        "internkontrollplan) eller den samlade "
        "uppföljningen för kommunstyrelsen (oversight) som DOCX, PDF eller XLSX."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "kind",
            choices=["followup", "item", "protocol", "plan", "oversight"],
            help="Vilken handling: followup (tjänsteskrivelse och bilaga), item (hela ärendet "
            "med protokollsutdraget först), protocol (protokollsutdraget), plan eller oversight.",
        )
        parser.add_argument(
            "--committee", help="Nämndens namn, kortnamn eller kod (inte för oversight)."
        )
        parser.add_argument("--organisation", help="Organisationens namn eller kod.")
        parser.add_argument("--year", type=int, required=True, help="Planens år.")
        parser.add_argument("--cutoff", help="Uppföljningens datum, ÅÅÅÅ-MM-DD.")
        parser.add_argument("--format", choices=sorted(FORMATS), help="Standard: filändelsen.")
        parser.add_argument("--output", required=True, help="Filen som skrivs.")
        parser.add_argument(
            "--template",
            help="Annan Word-mall (DOCX) för formatet docx. Standard: organisationens mall.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        fmt = _format(options)
        document: Document
        if options["kind"] == "oversight":
            if not options["organisation"]:
                raise CommandError("Ange organisationen med --organisation.")
            organisation = organisation_named(options["organisation"])
            self._write(_oversight(options, organisation), fmt, options, organisation)
            return
        if not options["committee"]:
            raise CommandError("Ange nämnden med --committee.")
        committee = committee_named(options["committee"], options["organisation"])
        plan = plan_of(committee, options["year"])
        if options["kind"] == "plan":
            document = plan_document(plan)
        else:
            if not options["cutoff"]:
                raise CommandError("Ange uppföljningens datum med --cutoff ÅÅÅÅ-MM-DD.")
            followup = followup_of(plan, _date(options["cutoff"]))
            document = _followup_document(options["kind"], followup)
        self._write(document, fmt, options, committee.organisation)

    def _write(
        self, document: Document, fmt: str, options: dict[str, Any], organisation: Organisation
    ) -> None:
        # The organisation's own Word template, as on the page, unless --template names one.
        template: Path | bytes | None = (
            Path(options["template"]) if options["template"] else word_template(organisation)
        )
        try:
            data = render(document, fmt, template)
        except (ValueError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        output = Path(options["output"])
        output.write_bytes(data)
        self.stdout.write(f"Skrev {output} ({len(data)} byte).")
