"""The overview of every committee's internal control, and its consolidated report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_safe

from ik.access.core import Access, access_for, committees_for_user
from ik.access.oversight import get_organisation_to_oversee
from ik.lib.breadcrumbs import organisation_trail
from ik.org.actors import signed_in_user
from ik.org.models import Organisation
from ik.oversight.lateness import missed_deadlines
from ik.oversight.queries import available_cutoffs, available_years, load_overview
from ik.oversight.trends import common_trends
from ik.plans.cycle import Lateness
from ik.reports.forms import OversightCaseForm
from ik.reports.models import OversightCase
from ik.reports.oversight import (
    aggregate_counts_text,
    aggregate_method_text,
    build_oversight,
    committee_verdicts,
    common_point_values,
)
from ik.reports.queries import word_template
from ik.reports.render import FORMATS
from ik.reports.render import render as render_document
from ik.reports.services import oversight_case_save
from ik.reports.trends import trend_figures

TOTALS = ("green", "yellow", "red", "unassessed", "open_deviations", "overdue_actions")


@dataclass(frozen=True, slots=True)
class Selection:
    """The year and cut-off shown, and the ones the user can switch to."""

    year: int | None
    cutoff: dt.date | None
    years: list[int]
    cutoffs: list[dt.date]


def _select(organisation: Organisation, query: QueryDict) -> Selection:
    """Defaults: the latest year with plans and the latest cut-off of that year."""
    years = available_years(organisation)
    year = years[0] if years else None
    if "ar" in query:
        try:
            year = int(query.get("ar", ""))
        except ValueError:
            raise Http404("Okänt år.") from None
        if year not in years:
            raise Http404("Det finns inga planer för det året.")
    cutoffs = available_cutoffs(organisation, year) if year is not None else []
    cutoff = cutoffs[0] if cutoffs else None
    if "per" in query:
        try:
            cutoff = dt.date.fromisoformat(query.get("per", ""))
        except ValueError:
            raise Http404("Okänt datum.") from None
        if cutoff not in cutoffs:
            raise Http404("Det finns ingen uppföljning per det datumet.")
    return Selection(year=year, cutoff=cutoff, years=years, cutoffs=cutoffs)


def _readable_codes(access: Access, organisation: Organisation) -> set[str]:
    # A board politician oversees every committee but may open only their own committee's
    # plan, so drill-down links appear only where they lead somewhere.
    committees = committees_for_user(access).filter(organisation=organisation)
    return set(committees.values_list("code", flat=True))


def _late(organisation: Organisation, year: int) -> list[tuple[Lateness, str]]:
    """The year's missed deadlines, each with the committee's code for a link to its row."""
    committees = list(organisation.committees.order_by("name").values_list("pk", "name", "code"))
    codes = {name: code for _, name, code in committees}
    missed = missed_deadlines(
        organisation.pk, [(pk, name) for pk, name, _ in committees], year, timezone.localdate()
    )
    return [(item, codes[item.committee]) for item in missed]


@require_safe
def overview(request: HttpRequest, org: str) -> HttpResponse:
    access = access_for(request)
    organisation = get_organisation_to_oversee(access, org)
    selection = _select(organisation, request.GET)
    context: dict[str, Any] = {
        "organisation": organisation,
        "breadcrumbs": organisation_trail(organisation, "Översikt"),
        "selection": selection,
    }
    if selection.year is not None:
        data = load_overview(organisation, selection.year, selection.cutoff)
        data = common_trends(organisation, data)
        context["data"] = data
        context["points"] = [
            (
                point,
                total := point.aggregate,
                aggregate_counts_text(total),
                aggregate_method_text(total),
                common_point_values(point, number),
                trend_figures([(f"trend-common-{number}", point.trend)] if point.trend else []),
            )
            for number, point in enumerate(data.common_points, start=1)
        ]
        context["verdict_chart"] = committee_verdicts(data)
        context["totals"] = {key: sum(getattr(s, key) for s in data.committees) for key in TOTALS}
        context["readable"] = _readable_codes(access, organisation)
        context["late"] = _late(organisation, selection.year)
        context["today"] = timezone.localdate()
        context["can_edit_case"] = access.is_controller(organisation)
    return render(request, "oversight/overview.html", context)


@require_safe
def overview_report(request: HttpRequest, org: str, fmt: str) -> HttpResponse:
    organisation = get_organisation_to_oversee(access_for(request), org)
    if fmt not in FORMATS:
        raise Http404("Okänt format.")
    selection = _select(organisation, request.GET)
    if selection.year is None or selection.cutoff is None:
        raise Http404("Det finns ingen uppföljning att sammanställa.")
    data = load_overview(
        organisation,
        selection.year,
        selection.cutoff,
        with_entries=True,
    )
    content = render_document(
        build_oversight(common_trends(organisation, data)), fmt, word_template(organisation)
    )
    response = HttpResponse(content, content_type=FORMATS[fmt].content_type)
    stem = slugify(f"samlad-uppfoljning-{organisation.code}-{selection.cutoff.isoformat()}")
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


@require_http_methods(["GET", "POST"])
def overview_case(request: HttpRequest, org: str) -> HttpResponse:
    """Diarienummer, date, handläggare and decision of the consolidated follow-up."""
    access = access_for(request)
    organisation = get_organisation_to_oversee(access, org)
    if not access.is_controller(organisation):
        raise PermissionDenied("Bara organisationens controller kan ändra ärendeuppgifterna.")
    selection = _select(organisation, request.GET)
    if selection.year is None or selection.cutoff is None:
        raise Http404("Det finns ingen uppföljning att sammanställa.")
    instance = OversightCase.objects.filter(
        organisation=organisation, year=selection.year, cutoff=selection.cutoff
    ).first()
    form = OversightCaseForm(request.POST or None, instance=instance, organisation=organisation)
    query = f"?ar={selection.year}&per={selection.cutoff.isoformat()}"
    if request.method == "POST" and form.is_valid():
        oversight_case_save(
            organisation=organisation,
            year=selection.year,
            cutoff=selection.cutoff,
            by=signed_in_user(request),
            fields={name: form.cleaned_data[name] for name in form.changed_data},
        )
        messages.success(request, "Ärendeuppgifterna är sparade.")
        return redirect(reverse("oversight:overview", args=[organisation.code]) + query)
    return render(
        request,
        "oversight/overview_case.html",
        {
            "form": form,
            "organisation": organisation,
            "selection": selection,
            "back": reverse("oversight:overview", args=[organisation.code]) + query,
            "breadcrumbs": organisation_trail(organisation, "Samlad uppföljning, ärendeuppgifter"),
        },
    )
