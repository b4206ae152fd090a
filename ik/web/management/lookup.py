"""Finding an organisation, committee, plan, follow-up or file named on the command line.

Each raises CommandError listing what exists, so a mistyped name is corrected at once.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import CommandError
from django.db.models import Q

from ik.followups.models import FollowUp
from ik.lib.swedish import sort_key
from ik.org.models import Committee, Organisation
from ik.plans.models import Plan

# Plans and result sheets are a few hundred rows; a file far above this is not one of them.
MAX_FILE_BYTES = 20 * 1024 * 1024


def organisation_named(wanted: str) -> Organisation:
    found = Organisation.objects.filter(Q(code__iexact=wanted) | Q(name__iexact=wanted)).first()
    if found is None:
        names = sorted((o.name for o in Organisation.objects.all()), key=sort_key)
        raise CommandError(
            f"Organisationen ”{wanted}” finns inte. Det finns: {', '.join(names) or 'inga'}."
        )
    return found


def committee_named(wanted: str, organisation: str | None) -> Committee:
    committees = Committee.objects.select_related("organisation")
    if organisation:
        committees = committees.filter(organisation=organisation_named(organisation))
    matches = list(
        committees.filter(
            Q(code__iexact=wanted) | Q(name__iexact=wanted) | Q(short_name__iexact=wanted)
        )
    )
    if len(matches) == 1:
        return matches[0]
    if matches:
        orgs = sorted({c.organisation.name for c in matches}, key=sort_key)
        raise CommandError(
            f"”{wanted}” finns i flera organisationer ({', '.join(orgs)}). "
            "Ange vilken med --organisation."
        )
    existing = sorted(
        (f"{c.name} ({c.code}, {c.organisation.name})" for c in committees),
        key=sort_key,
    )
    raise CommandError(
        f"Nämnden ”{wanted}” finns inte. Det finns: {'; '.join(existing) or 'inga'}."
    )


def plan_of(committee: Committee, year: int) -> Plan:
    plan = Plan.objects.filter(committee=committee, year=year).first()
    if plan is None:
        years = [str(y) for y in committee.plans.order_by("year").values_list("year", flat=True)]
        raise CommandError(
            f"{committee.name} har ingen internkontrollplan för {year}. "
            f"Planer finns för: {', '.join(years) or 'inga år'}."
        )
    return plan


def followup_of(plan: Plan, cutoff: dt.date) -> FollowUp:
    followup = plan.followups.filter(cutoff=cutoff).first()
    if followup is None:
        dates = [
            d.isoformat()
            for d in plan.followups.order_by("cutoff").values_list("cutoff", flat=True)
        ]
        raise CommandError(
            f"Planen {plan.year} för {plan.committee.name} har ingen uppföljning per "
            f"{cutoff.isoformat()}. Uppföljningar finns per: {', '.join(dates) or 'inga datum'}."
        )
    return followup


def read_file(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes, refused above `limit` before it is read."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise CommandError(f"Filen {path.name} är {size} byte; gränsen är {limit} byte.")
        return path.read_bytes()
    except FileNotFoundError:
        raise CommandError(f"Filen {path} finns inte.") from None
    except IsADirectoryError:
        raise CommandError(f"{path} är en mapp, inte en fil.") from None
