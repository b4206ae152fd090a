"""The organisation's yearly cycle: common control points and deadlines."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ik.access.core import access_for, committees_for_user
from ik.access.cycle import (
    get_common_for_user,
    get_cycle_organisation_for_user,
    get_deadline_for_user,
)
from ik.followups.services import entries_for_new_point
from ik.lib.breadcrumbs import Crumb, organisation_trail
from ik.lib.confirm import confirm_then
from ik.lib.form_errors import apply_validation_error
from ik.org.actors import signed_in_user
from ik.org.models import Organisation
from ik.oversight.lateness import missed_deadlines
from ik.oversight.queries import available_cutoffs
from ik.plans import services
from ik.plans.forms import CommonControlPointForm, DeadlineForm
from ik.plans.models import MAX_YEAR, MIN_YEAR, CycleDeadline, Plan


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("ar", ""))
    except ValueError:
        return timezone.localdate().year
    return year if MIN_YEAR <= year <= MAX_YEAR else timezone.localdate().year


def _years(organisation: Organisation, shown: int) -> list[int]:
    """Every year with plans, common points or dates in the cycle, together with this year,
    next year (to plan ahead) and the year shown."""
    found: set[int] = set()
    for years in (
        Plan.objects.filter(committee__organisation=organisation),
        organisation.common_control_points.all(),
        organisation.cycle_deadlines.all(),
    ):
        found.update(years.order_by().values_list("year", flat=True).distinct())
    this_year = timezone.localdate().year
    return sorted(found | {this_year, this_year + 1, shown})


def _common_list_url(organisation: Organisation, year: int) -> str:
    return f"{reverse('plans:common_list', kwargs={'org': organisation.code})}?ar={year}"


def _deadline_list_url(organisation: Organisation, year: int) -> str:
    return f"{reverse('plans:deadline_list', kwargs={'org': organisation.code})}?ar={year}"


def _common_trail(organisation: Organisation, year: int, page: str) -> list[Crumb]:
    step = (f"Kommungemensamma kontrollmoment {year}", _common_list_url(organisation, year))
    return organisation_trail(organisation, step, page)


def _deadline_trail(organisation: Organisation, year: int, page: str) -> list[Crumb]:
    step = (f"Tidsplan {year}", _deadline_list_url(organisation, year))
    return organisation_trail(organisation, step, page)


@require_safe
def common_list(request: HttpRequest, org: str) -> HttpResponse:
    access = access_for(request)
    organisation = get_cycle_organisation_for_user(access, org)
    year = _year(request)
    commons = list(
        organisation.common_control_points.filter(year=year)
        .annotate(plans=Count("control_points"))
        .order_by("process", "id")
    )
    plan_count = Plan.objects.filter(committee__organisation=organisation, year=year).count()
    return render(
        request,
        "plans/common_list.html",
        {
            "organisation": organisation,
            "breadcrumbs": organisation_trail(organisation, "Kommungemensamma kontrollmoment"),
            "year": year,
            "years": _years(organisation, year),
            "commons": commons,
            "plan_count": plan_count,
            "is_controller": access.is_controller(organisation),
        },
    )


@require_http_methods(["GET", "POST"])
def common_create(request: HttpRequest, org: str) -> HttpResponse:
    access = access_for(request)
    organisation = get_cycle_organisation_for_user(access, org, write=True)
    form = CommonControlPointForm(request.POST or None, initial={"year": _year(request)})
    if request.method == "POST" and form.is_valid():
        try:
            common = services.common_create(
                on_added=entries_for_new_point,
                organisation=organisation,
                by=signed_in_user(request),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request, "Det kommungemensamma kontrollmomentet är tillagt i årets planer."
            )
            return redirect(_common_list_url(organisation, common.year))
    return render(
        request,
        "plans/common_form.html",
        {
            "form": form,
            "organisation": organisation,
            "common": None,
            "year": _year(request),
            "breadcrumbs": _common_trail(organisation, _year(request), "Nytt"),
        },
    )


@require_http_methods(["GET", "POST"])
def common_edit(request: HttpRequest, common_id: str) -> HttpResponse:
    access = access_for(request)
    common = get_common_for_user(access, common_id, write=True)
    # The form works on a copy so the service sees the values before the change.
    form = CommonControlPointForm(request.POST or None, instance=copy.copy(common))
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in form.changed_data}
        try:
            services.common_update(common=common, by=signed_in_user(request), **data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "Det kommungemensamma kontrollmomentet är sparat.")
            return redirect(_common_list_url(common.organisation, common.year))
    return render(
        request,
        "plans/common_form.html",
        {
            "form": form,
            "organisation": common.organisation,
            "common": common,
            "year": common.year,
            "breadcrumbs": _common_trail(common.organisation, common.year, "Redigera"),
        },
    )


@require_http_methods(["GET", "POST"])
def common_copy(request: HttpRequest, org: str) -> HttpResponse:
    access = access_for(request)
    organisation = get_cycle_organisation_for_user(access, org, write=True)
    year = _year(request)
    commons = list(organisation.common_control_points.filter(year=year).order_by("process", "id"))
    return confirm_then(
        request,
        title=f"Kopiera kommungemensamma kontrollmoment till {year + 1}",
        text=f"De {len(commons)} kommungemensamma kontrollmomenten för {year} beslutas också för "
        f"{year + 1} och läggs in i varje nämnds plan för {year + 1}, även i planer som skapas "
        "senare. Moment som redan finns för det året hoppas över.",
        items=[f"{c.process}: {c.question}" for c in commons],
        button=f"Kopiera till {year + 1}",
        cancel_url=_common_list_url(organisation, year),
        breadcrumbs=_common_trail(organisation, year, f"Kopiera till {year + 1}"),
        check=lambda: None,
        act=lambda: services.common_copy_to_next_year(
            organisation=organisation,
            year=year,
            by=signed_in_user(request),
            on_added=entries_for_new_point,
        ),
        done=lambda copies: (
            f"{len(copies)} kommungemensamma kontrollmoment är kopierade till {year + 1}.",
            _common_list_url(organisation, year + 1),
        ),
    )


@require_safe
def deadline_list(request: HttpRequest, org: str) -> HttpResponse:
    access = access_for(request)
    organisation = get_cycle_organisation_for_user(access, org)
    year = _year(request)
    deadlines = list(
        CycleDeadline.objects.filter(organisation=organisation, year=year).order_by(
            "due_on", "cutoff"
        )
    )
    committees = [
        (c.pk, c.name)
        for c in committees_for_user(access).filter(organisation=organisation).order_by("name")
    ]
    late = missed_deadlines(organisation.pk, committees, year, timezone.localdate())
    # Each cut-off with follow-ups links to the overview at that date, for those who see it.
    overseer = organisation.pk in access.overseen_orgs
    cutoffs = set(available_cutoffs(organisation, year)) if overseer else set()
    return render(
        request,
        "plans/deadline_list.html",
        {
            "organisation": organisation,
            "breadcrumbs": organisation_trail(organisation, "Tidsplan"),
            "year": year,
            "years": _years(organisation, year),
            "deadlines": deadlines,
            "overview_cutoffs": cutoffs,
            "late": late,
            "today": timezone.localdate(),
            "is_controller": access.is_controller(organisation),
        },
    )


@require_http_methods(["GET", "POST"])
def deadline_create(request: HttpRequest, org: str) -> HttpResponse:
    access = access_for(request)
    organisation = get_cycle_organisation_for_user(access, org, write=True)
    form = DeadlineForm(request.POST or None, initial={"year": _year(request)})
    if request.method == "POST" and form.is_valid():
        try:
            deadline = services.deadline_create(
                organisation=organisation, by=signed_in_user(request), **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "Datumet är tillagt i tidsplanen.")
            return redirect(_deadline_list_url(organisation, deadline.year))
    return render(
        request,
        "plans/deadline_form.html",
        {
            "form": form,
            "organisation": organisation,
            "deadline": None,
            "year": _year(request),
            "breadcrumbs": _deadline_trail(organisation, _year(request), "Nytt datum"),
        },
    )


@require_http_methods(["GET", "POST"])
def deadline_edit(request: HttpRequest, deadline_id: str) -> HttpResponse:
    access = access_for(request)
    deadline = get_deadline_for_user(access, deadline_id, write=True)
    original_year = deadline.year
    form = DeadlineForm(request.POST or None, instance=copy.copy(deadline))
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in form.changed_data}
        try:
            services.deadline_update(deadline=deadline, by=signed_in_user(request), **data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "Tidsplanen är sparad.")
            return redirect(_deadline_list_url(deadline.organisation, deadline.year))
    return render(
        request,
        "plans/deadline_form.html",
        {
            "form": form,
            "organisation": deadline.organisation,
            "deadline": deadline,
            "year": original_year,
            "breadcrumbs": _deadline_trail(deadline.organisation, original_year, "Ändra"),
        },
    )


@require_POST
def deadline_delete(request: HttpRequest, deadline_id: str) -> HttpResponse:
    access = access_for(request)
    deadline = get_deadline_for_user(access, deadline_id, write=True)
    organisation, year = deadline.organisation, deadline.year
    services.deadline_delete(deadline=deadline, by=signed_in_user(request))
    messages.success(request, "Datumet är borttaget ur tidsplanen.")
    return redirect(_deadline_list_url(organisation, year))
