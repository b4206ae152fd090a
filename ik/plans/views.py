from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ik.access.core import (
    access_for,
    get_committee_for_user,
    get_control_point_for_user,
    get_plan_for_user,
)
from ik.engine.errors import InputError
from ik.engine.plan_import import PLAN_SPEC, plan_rows, read_plan
from ik.engine.tables import read_grids
from ik.followups.models import Action
from ik.followups.services import deviating_point_ids, entries_for_new_point, repeat_reasons
from ik.lib.bounded import parse_upload
from ik.lib.breadcrumbs import Crumb, committee_trail, plan_trail
from ik.lib.confirm import confirm_then
from ik.lib.filelimits import LimitError
from ik.lib.form_errors import apply_validation_error
from ik.lib.versions import add_version_field, save_form
from ik.org.actors import signed_in_user
from ik.org.models import Committee
from ik.org.submissions import AlreadySubmitted, add_token_field, submitted_once
from ik.plans import services
from ik.plans.forms import (
    ControlPointForm,
    PlanAdoptForm,
    PlanCreateForm,
    PlanEditForm,
    PlanReturnForm,
)
from ik.plans.import_forms import PlanMappingForm, PlanUploadForm
from ik.plans.importing import plan_import as import_rows
from ik.plans.models import ControlPoint, Plan
from ik.reports.trend_queries import committee_trends
from ik.reports.trends import trend_figures
from ik.risks.services import risks_copy


@require_safe
def plan_detail(request: HttpRequest, plan_id: str) -> HttpResponse:
    access = access_for(request)
    plan = get_plan_for_user(access, plan_id)
    followups = list(plan.followups.order_by("cutoff"))
    chosen = request.GET.get("uppfoljning")
    followup = next((f for f in followups if str(f.public_id) == chosen), None)
    if followup is None and followups:
        followup = followups[-1]
    points = list(
        plan.control_points.select_related("process", "common", "owner_person", "unit").order_by(
            "position", "id"
        )
    )
    entries: dict[int, Any] = {}
    if followup is not None:
        for annotated in followup.entries.annotate(
            deviation_count=Count("deviations", distinct=True),
            open_actions=Count(
                "deviations__actions",
                distinct=True,
                filter=~Q(deviations__actions__status="closed"),
            ),
        ):
            annotated.followup = followup
            entries[annotated.control_point_id] = annotated
    rows = []
    for point in points:
        entry = entries.get(point.pk)
        if entry is not None:
            entry.control_point = point
        can_edit = entry is not None and access.can_edit_entry(entry)
        rows.append({"point": point, "entry": entry, "can_edit": can_edit})
    trends = committee_trends(plan.committee, [p for p in points if p.is_quantitative])
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "breadcrumbs": plan_trail(plan),
            "committee": plan.committee,
            "followups": followups,
            "followup": followup,
            "rows": rows,
            "trends": trend_figures(
                (f"trend-{p.position}", trends[p.pk]) for p in points if p.pk in trends
            ),
            "can_write": access.can_write_committee(plan.committee),
            "carried_over": carried_over_actions(plan),
            "next_year": plan.year + 1,
            "has_next_year": Plan.objects.filter(
                committee_id=plan.committee_id, year=plan.year + 1
            ).exists(),
            "repeats": repeat_reasons(points),
        },
    )


def carried_over_actions(plan: Plan) -> list[Action]:
    """Open actions from last year's follow-ups of the same committee.

    Usually there are none. Prefetching (not select_related) keeps that case to one narrow
    query: joining four tables' columns cost more to build than the query took to run.
    """
    return list(
        Action.objects.filter(
            deviation__entry__followup__plan__committee_id=plan.committee_id,
            deviation__entry__followup__plan__year=plan.year - 1,
        )
        .exclude(status=Action.Status.CLOSED)
        .prefetch_related("deviation__entry__followup", "deviation__entry__control_point")
        .order_by("due_date", "id")
    )


@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest, org: str, committee: str) -> HttpResponse:
    access = access_for(request)
    target = get_committee_for_user(access, org, committee, write=True)
    form = PlanCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(
                committee=target, by=signed_in_user(request), **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"Planen för {plan.year} är skapad.")
            return redirect("plans:plan_detail", plan_id=plan.public_id)
    return render(
        request,
        "plans/plan_create.html",
        {
            "form": form,
            "committee": target,
            "breadcrumbs": committee_trail(target, "Ny internkontrollplan"),
        },
    )


@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, plan_id: str) -> HttpResponse:
    access = access_for(request)
    plan = get_plan_for_user(access, plan_id, write=True)
    # The form works on a copy so the service sees the values before the change.
    form = PlanEditForm(request.POST or None, instance=copy.copy(plan))
    add_version_field(form, plan)
    if request.method == "POST" and form.is_valid():

        def save() -> None:
            changed = {k: form.cleaned_data[k] for k in form.changed_data if k != "version"}
            services.plan_update(plan=plan, by=signed_in_user(request), **changed)

        if save_form(form, plan, save):
            messages.success(request, "Planens uppgifter är sparade.")
            return redirect("plans:plan_detail", plan_id=plan.public_id)
    return render(
        request,
        "plans/plan_edit.html",
        {"form": form, "plan": plan, "breadcrumbs": plan_trail(plan, "Redigera")},
    )


@require_http_methods(["GET", "POST"])
def plan_adopt(request: HttpRequest, plan_id: str) -> HttpResponse:
    access = access_for(request)
    plan = get_plan_for_user(access, plan_id, write=True)
    form = PlanAdoptForm(
        request.POST or None,
        initial={
            "case_number": plan.case_number,
            "decision_paragraph": plan.decision_paragraph,
            "decided_on": plan.decided_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_adopt(plan=plan, by=signed_in_user(request), **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "Planen är markerad som fastställd.")
            return redirect("plans:plan_detail", plan_id=plan.public_id)
    return render(
        request,
        "plans/plan_adopt.html",
        {"form": form, "plan": plan, "breadcrumbs": plan_trail(plan, "Fastställ")},
    )


@require_http_methods(["GET", "POST"])
def control_point_create(request: HttpRequest, plan_id: str) -> HttpResponse:
    access = access_for(request)
    plan = get_plan_for_user(access, plan_id, write=True)
    form = ControlPointForm(
        request.POST or None,
        organisation_id=plan.committee.organisation_id,
        committee_id=plan.committee_id,
    )
    add_token_field(form)
    if request.method == "POST" and form.is_valid():
        try:
            with submitted_once(form) as submission:
                data = dict(form.cleaned_data)
                process_name = data.pop("process_name")
                services.control_point_create(
                    on_added=entries_for_new_point,
                    plan=plan,
                    by=signed_in_user(request),
                    process_name=process_name,
                    **data,
                )
                submission.redirect_to = plan.get_absolute_url()
        except AlreadySubmitted as sent:
            messages.info(request, "Kontrollmomentet var redan tillagt och lades inte till igen.")
            return redirect(sent.redirect_to or plan.get_absolute_url())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "Kontrollmomentet är tillagt.")
            return redirect("plans:plan_detail", plan_id=plan.public_id)
    return render(
        request,
        "plans/control_point_form.html",
        {
            "form": form,
            "plan": plan,
            "point": None,
            "breadcrumbs": plan_trail(plan, "Nytt kontrollmoment"),
        },
    )


@require_http_methods(["GET", "POST"])
def control_point_edit(request: HttpRequest, point_id: str) -> HttpResponse:
    access = access_for(request)
    point: ControlPoint = get_control_point_for_user(access, point_id, write=True)
    plan = point.plan
    form = ControlPointForm(
        request.POST or None,
        instance=copy.copy(point),
        organisation_id=plan.committee.organisation_id,
    )
    add_version_field(form, point)
    if request.method == "POST" and form.is_valid():

        def save() -> None:
            data = {k: form.cleaned_data[k] for k in form.changed_data if k != "version"}
            process_name = data.pop("process_name", None)
            services.control_point_update(
                point=point, by=signed_in_user(request), process_name=process_name, **data
            )

        if save_form(form, point, save):
            messages.success(request, "Kontrollmomentet är sparat.")
            return redirect("plans:plan_detail", plan_id=plan.public_id)
    return render(
        request,
        "plans/control_point_form.html",
        {
            "form": form,
            "plan": plan,
            "point": point,
            "breadcrumbs": plan_trail(plan, f"Kontrollmoment {point.number}"),
        },
    )


def _move(request: HttpRequest, point_id: str, *, up: bool) -> HttpResponse:
    access = access_for(request)
    point: ControlPoint = get_control_point_for_user(access, point_id, write=True)
    try:
        services.control_point_move(point=point, by=signed_in_user(request), up=up)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(f"{point.plan.get_absolute_url()}#kontrollmoment-{point.position}")


@require_POST
def control_point_move_up(request: HttpRequest, point_id: str) -> HttpResponse:
    return _move(request, point_id, up=True)


@require_POST
def control_point_move_down(request: HttpRequest, point_id: str) -> HttpResponse:
    return _move(request, point_id, up=False)


@require_POST
def plan_submit(request: HttpRequest, plan_id: str) -> HttpResponse:
    access = access_for(request)
    plan = get_plan_for_user(access, plan_id, write=True)
    try:
        services.plan_submit(plan=plan, by=signed_in_user(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Planen är inskickad för beslut.")
    return redirect("plans:plan_detail", plan_id=plan.public_id)


@require_http_methods(["GET", "POST"])
def plan_return(request: HttpRequest, plan_id: str) -> HttpResponse:
    access = access_for(request)
    plan = get_plan_for_user(access, plan_id, write=True)
    form = PlanReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_return(
                plan=plan, by=signed_in_user(request), reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "Planen är återförvisad och är ett utkast igen.")
            return redirect("plans:plan_detail", plan_id=plan.public_id)
    return render(
        request,
        "plans/plan_return.html",
        {"form": form, "plan": plan, "breadcrumbs": plan_trail(plan, "Återförvisa")},
    )


@require_http_methods(["GET", "POST"])
def plan_create_next_year(request: HttpRequest, plan_id: str) -> HttpResponse:
    access = access_for(request)
    plan = get_plan_for_user(access, plan_id, write=True)
    year = plan.year + 1
    return confirm_then(
        request,
        title=f"Skapa plan för {year}",
        text=f"Ett utkast till internkontrollplan {year} för {plan.committee.name} skapas från "
        f"planen för {plan.year}: nämndens egna kontrollmoment kopieras, moment som gav "
        f"avvikelser markeras som upprepade och {year} års kommungemensamma kontrollmoment "
        "läggs in. Öppna åtgärder visas som överförda.",
        button=f"Skapa planen för {year}",
        cancel_url=plan.get_absolute_url(),
        breadcrumbs=plan_trail(plan, f"Skapa plan för {year}"),
        check=lambda: services.next_year_refusal(plan),
        act=lambda: services.plan_create_next_year(
            plan=plan,
            by=signed_in_user(request),
            repeated_point_ids=deviating_point_ids(plan),
            carry_over=risks_copy,
        ),
        done=lambda new: (f"Planen för {new.year} är skapad som utkast.", new.get_absolute_url()),
    )


@require_http_methods(["GET", "POST"])
def plan_delete(request: HttpRequest, plan_id: str) -> HttpResponse:
    access = access_for(request)
    plan = get_plan_for_user(access, plan_id, write=True)
    committee_url = reverse(
        "web:committee_detail",
        kwargs={"org": plan.committee.organisation.code, "committee": plan.committee.code},
    )
    return confirm_then(
        request,
        title=f"Ta bort utkastet till plan {plan.year}",
        text=f"Utkastet till internkontrollplan {plan.year} för {plan.committee.name} tas bort "
        "med sina kontrollmoment. Borttagningen sparas i händelseloggen.",
        items=[p.question for p in plan.control_points.order_by("position")],
        button="Ta bort utkastet",
        danger=True,
        cancel_url=plan.get_absolute_url(),
        breadcrumbs=plan_trail(plan, "Ta bort utkastet"),
        check=lambda: services.plan_delete_refusal(plan),
        act=lambda: services.plan_delete(plan=plan, by=signed_in_user(request)),
        done=lambda _: (f"Utkastet till plan {plan.year} är borttaget.", committee_url),
    )


@require_http_methods(["GET", "POST"])
def control_point_delete(request: HttpRequest, point_id: str) -> HttpResponse:
    access = access_for(request)
    point = get_control_point_for_user(access, point_id, write=True)
    plan = point.plan
    return confirm_then(
        request,
        title=f"Ta bort kontrollmoment {point.number}",
        text=f"Kontrollmomentet ”{point.question}” tas bort ur utkastet till plan {plan.year}. "
        "Borttagningen sparas i händelseloggen.",
        button="Ta bort kontrollmomentet",
        danger=True,
        cancel_url=plan.get_absolute_url(),
        breadcrumbs=plan_trail(plan, f"Ta bort kontrollmoment {point.number}"),
        check=lambda: services.control_point_delete_refusal(point),
        act=lambda: services.control_point_delete(point=point, by=signed_in_user(request)),
        done=lambda _: ("Kontrollmomentet är borttaget.", plan.get_absolute_url()),
    )


# Reading a plan from a file: upload, preview with the column mapping, confirm ----------------


def _import_trail(committee: Committee) -> list[Crumb]:
    return committee_trail(committee, "Läs in plan från fil")


@require_http_methods(["GET", "POST"])
def plan_import(request: HttpRequest, org: str, committee: str) -> HttpResponse:
    """Upload a plan file; the answer is the preview. A preview sent back re-maps columns."""
    access = access_for(request)
    target = get_committee_for_user(access, org, committee, write=True)
    if request.method == "POST" and "table" in request.POST:
        return _import_preview(request, target, PlanMappingForm(request.POST))
    year = request.GET.get("ar", "")
    form = PlanUploadForm(request.POST or None, request.FILES or None, initial={"year": year})
    if request.method == "POST" and form.is_valid():
        upload = request.FILES.get("file")
        name = getattr(upload, "name", None) or "fil"
        try:
            grids = parse_upload(
                read_grids,
                form.cleaned_data["file"],
                name,
                sheet=form.cleaned_data["sheet"] or None,
            )
            table = read_plan(grids, header_row=form.cleaned_data["header_row"]).table
        except (InputError, LimitError) as exc:
            form.add_error("file", str(exc))
        else:
            initial = {"year": form.cleaned_data["year"], "source": name}
            return _import_preview(request, target, PlanMappingForm(table=table, initial=initial))
    return render(
        request,
        "plans/plan_import.html",
        {"form": form, "committee": target, "breadcrumbs": _import_trail(target)},
        status=400 if form.errors else 200,
    )


def _import_preview(
    request: HttpRequest, committee: Committee, form: PlanMappingForm, status: int = 200
) -> HttpResponse:
    """Every row as it will be saved, the mapping to change, and what stands in the way."""
    add_token_field(form)
    context: dict[str, Any] = {
        "form": form,
        "committee": committee,
        "breadcrumbs": _import_trail(committee),
        "errors": [],
        "rows": [],
    }
    bound_ok = form.is_valid() if form.is_bound else True
    table = form.cleaned_data["table"] if form.is_bound and bound_ok else form.table_value
    if table is None or not bound_ok:
        status = 400
    else:
        mapping = form.mapping() if form.is_bound else PLAN_SPEC.match(table.headers)
        plan_file = plan_rows(table, mapping)
        year = form.cleaned_data["year"] if form.is_bound else form.initial["year"]
        context.update(table=table, rows=plan_file.rows, year=year)
        context["errors"] = [str(problem) for problem in plan_file.problems]
        if not plan_file.problems:
            try:
                context["result"] = import_rows(
                    committee=committee,
                    year=year,
                    rows=plan_file.rows,
                    by=signed_in_user(request),
                    on_added=entries_for_new_point,
                    source=form["source"].value() or "",
                    dry_run=True,
                )
            except ValidationError as exc:
                context["errors"] = exc.messages
        if context["errors"]:
            status = 400
    return render(request, "plans/plan_import_preview.html", context, status=status)


@require_POST
def plan_import_confirm(request: HttpRequest, org: str, committee: str) -> HttpResponse:
    access = access_for(request)
    target = get_committee_for_user(access, org, committee, write=True)
    form = PlanMappingForm(request.POST)
    add_token_field(form)
    if not form.is_valid():
        return _import_preview(request, target, form)
    plan_file = plan_rows(form.cleaned_data["table"], form.mapping())
    if plan_file.problems:
        return _import_preview(request, target, form)
    try:
        with submitted_once(form) as submission:
            result = import_rows(
                committee=target,
                year=form.cleaned_data["year"],
                rows=plan_file.rows,
                by=signed_in_user(request),
                on_added=entries_for_new_point,
                source=form.cleaned_data["source"],
            )
            submission.redirect_to = result.plan.get_absolute_url()
    except AlreadySubmitted as sent:
        messages.info(request, "Planen var redan inläst och lästes inte in igen.")
        committee_url = reverse("web:committee_detail", args=[org, target.code])
        return redirect(sent.redirect_to or committee_url)
    except ValidationError:
        return _import_preview(request, target, PlanMappingForm(request.POST))
    messages.success(
        request, f"{result.created} kontrollmoment är inlästa i planen för {result.plan.year}."
    )
    return redirect(result.plan.get_absolute_url())
