from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from ik.org.access import (
    access_for,
    get_committee_for_user,
    get_control_point_for_user,
    get_plan_for_user,
)
from ik.plans import services
from ik.plans.forms import ControlPointForm, PlanAdoptForm, PlanCreateForm, PlanEditForm
from ik.plans.models import ControlPoint
from ik.web.errors import apply_validation_error


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
        plan.control_points.select_related("process", "common", "owner_person").order_by(
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
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "committee": plan.committee,
            "followups": followups,
            "followup": followup,
            "rows": rows,
            "can_write": access.can_write_committee(plan.committee),
        },
    )


@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest, org: str, committee: str) -> HttpResponse:
    access = access_for(request)
    target = get_committee_for_user(access, org, committee, write=True)
    form = PlanCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(committee=target, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"Planen för {plan.year} är skapad.")
            return redirect("plans:plan_detail", plan_id=plan.public_id)
    return render(request, "plans/plan_create.html", {"form": form, "committee": target})


@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, plan_id: str) -> HttpResponse:
    access = access_for(request)
    plan = get_plan_for_user(access, plan_id, write=True)
    form = PlanEditForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        services.plan_update(
            plan=plan, by=request.user, **{k: form.cleaned_data[k] for k in form.changed_data}
        )
        messages.success(request, "Planens uppgifter är sparade.")
        return redirect("plans:plan_detail", plan_id=plan.public_id)
    return render(request, "plans/plan_edit.html", {"form": form, "plan": plan})


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
            services.plan_adopt(plan=plan, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "Planen är markerad som fastställd.")
            return redirect("plans:plan_detail", plan_id=plan.public_id)
    return render(request, "plans/plan_adopt.html", {"form": form, "plan": plan})


@require_http_methods(["GET", "POST"])
def control_point_create(request: HttpRequest, plan_id: str) -> HttpResponse:
    access = access_for(request)
    plan = get_plan_for_user(access, plan_id, write=True)
    form = ControlPointForm(request.POST or None, organisation_id=plan.committee.organisation_id)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        process_name = data.pop("process_name")
        try:
            services.control_point_create(
                plan=plan, by=request.user, process_name=process_name, **data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "Kontrollmomentet är tillagt.")
            return redirect("plans:plan_detail", plan_id=plan.public_id)
    return render(
        request, "plans/control_point_form.html", {"form": form, "plan": plan, "point": None}
    )


@require_http_methods(["GET", "POST"])
def control_point_edit(request: HttpRequest, point_id: str) -> HttpResponse:
    access = access_for(request)
    point: ControlPoint = get_control_point_for_user(access, point_id, write=True)
    plan = point.plan
    form = ControlPointForm(
        request.POST or None, instance=point, organisation_id=plan.committee.organisation_id
    )
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in form.changed_data}
        process_name = data.pop("process_name", None)
        try:
            services.control_point_update(
                point=point, by=request.user, process_name=process_name, **data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "Kontrollmomentet är sparat.")
            return redirect("plans:plan_detail", plan_id=plan.public_id)
    return render(
        request, "plans/control_point_form.html", {"form": form, "plan": plan, "point": point}
    )
