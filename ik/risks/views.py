from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ik.access.core import access_for, get_plan_for_user
from ik.access.risks import (
    get_category_for_user,
    get_risk_for_user,
    get_scale_organisation_for_user,
)
from ik.lib.breadcrumbs import organisation_trail, plan_trail
from ik.lib.form_errors import apply_validation_error
from ik.lib.versions import add_version_field, save_form
from ik.org.actors import signed_in_user
from ik.org.models import Organisation
from ik.org.submissions import AlreadySubmitted, add_token_field, submitted_once
from ik.plans.models import Plan
from ik.risks import matrix, services
from ik.risks.forms import CategoryForm, RiskForm, ScaleForm
from ik.risks.models import Risk
from ik.risks.svg import heat_map


def plan_risks(plan: Plan, scale: matrix.Scale) -> list[Risk]:
    """The plan's risks, highest score first, each knowing the scale; three queries."""
    risks = list(plan.risks.select_related("category").prefetch_related("control_points__process"))
    for risk in risks:
        risk.use_scale(scale)
    risks.sort(key=lambda r: (-r.score, r.id))
    return risks


@require_safe
def risk_list(request: HttpRequest, plan_id: str) -> HttpResponse:
    access = access_for(request)
    plan = get_plan_for_user(access, plan_id)
    organisation = plan.committee.organisation
    scale = services.scale_of(organisation)
    risks = plan_risks(plan, scale)
    grid = matrix.build_matrix(scale, ((r.likelihood, r.impact) for r in risks))
    return render(
        request,
        "risks/risk_list.html",
        {
            "plan": plan,
            "breadcrumbs": plan_trail(plan, "Riskanalys"),
            "committee": plan.committee,
            "scale": scale,
            "risks": risks,
            "grid": grid,
            "heat_map": heat_map(grid),
            "by_tone": [(t, grid.count_by_tone()[t]) for t in matrix.TONES_HIGH_FIRST],
            "flagged": [r for r in risks if r.is_flagged],
            "can_write": access.can_write_committee(plan.committee),
            "can_edit_scale": access.is_controller(organisation),
        },
    )


def _risk_form_page(
    request: HttpRequest, plan: Plan, form: RiskForm, risk: Risk | None
) -> HttpResponse:
    step = ("Riskanalys", reverse("risks:risk_list", kwargs={"plan_id": plan.public_id}))
    crumbs = plan_trail(plan, step, "Redigera risk" if risk else "Ny risk")
    return render(
        request,
        "risks/risk_form.html",
        {"form": form, "plan": plan, "risk": risk, "breadcrumbs": crumbs},
    )


@require_http_methods(["GET", "POST"])
def risk_create(request: HttpRequest, plan_id: str) -> HttpResponse:
    plan = get_plan_for_user(access_for(request), plan_id, write=True)
    scale = services.scale_for(plan.committee.organisation_id).as_scale()
    form = RiskForm(request.POST or None, plan=plan, scale=scale)
    add_token_field(form)
    if request.method == "POST" and form.is_valid():
        try:
            with submitted_once(form) as submission:
                risk = services.risk_create(
                    plan=plan, by=signed_in_user(request), **form.cleaned_data
                )
                submission.redirect_to = risk.get_absolute_url()
        except AlreadySubmitted as sent:
            messages.info(request, "Risken var redan tillagd och lades inte till igen.")
            return redirect(sent.redirect_to or plan.get_absolute_url())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "Risken är tillagd i riskanalysen.")
            return redirect(risk)
    return _risk_form_page(request, plan, form, None)


@require_http_methods(["GET", "POST"])
def risk_edit(request: HttpRequest, risk_id: str) -> HttpResponse:
    risk = get_risk_for_user(access_for(request), risk_id, write=True)
    plan = risk.plan
    scale = services.scale_for(plan.committee.organisation_id).as_scale()
    # The form writes into its instance while validating; a copy keeps `risk` as it was,
    # so the service's audit trail sees the old values.
    form = RiskForm(request.POST or None, instance=copy.copy(risk), plan=plan, scale=scale)
    add_version_field(form, risk)
    if request.method == "POST" and form.is_valid():

        def save() -> None:
            data = {k: form.cleaned_data[k] for k in form.changed_data if k != "version"}
            services.risk_update(risk=risk, by=signed_in_user(request), **data)

        if save_form(form, risk, save):
            messages.success(request, "Risken är sparad.")
            return redirect(risk)
    return _risk_form_page(request, plan, form, risk)


@require_POST
def risk_delete(request: HttpRequest, risk_id: str) -> HttpResponse:
    risk = get_risk_for_user(access_for(request), risk_id, write=True)
    plan = risk.plan
    services.risk_delete(risk=risk, by=signed_in_user(request))
    messages.success(request, "Risken är borttagen ur riskanalysen.")
    return redirect("risks:risk_list", plan_id=plan.public_id)


def _settings_page(
    request: HttpRequest,
    organisation: Organisation,
    form: ScaleForm,
    category_form: CategoryForm,
    status: int = 200,
) -> HttpResponse:
    categories = services.categories_for(organisation)
    return render(
        request,
        "risks/scale_settings.html",
        {
            "organisation": organisation,
            "breadcrumbs": organisation_trail(organisation, "Riskskala och kategorier"),
            "form": form,
            "category_form": category_form,
            "categories": categories,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def scale_settings(request: HttpRequest, org: str) -> HttpResponse:
    organisation = get_scale_organisation_for_user(access_for(request), org, write=True)
    scale = services.scale_for(organisation)
    form = ScaleForm(request.POST or None, initial=ScaleForm.initial_from(scale))
    if request.method == "POST" and form.is_valid():
        try:
            services.scale_update(
                organisation=organisation, by=signed_in_user(request), **form.values()
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "Riskskalan är sparad.")
            return redirect("risks:scale_settings", org=organisation.code)
    return _settings_page(request, organisation, form, CategoryForm())


@require_POST
def category_create(request: HttpRequest, org: str) -> HttpResponse:
    organisation = get_scale_organisation_for_user(access_for(request), org, write=True)
    form = CategoryForm(request.POST)
    if form.is_valid():
        try:
            services.category_create(
                organisation=organisation,
                by=signed_in_user(request),
                name=form.cleaned_data["name"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"Kategorin {form.cleaned_data['name']} är tillagd.")
            return redirect("risks:scale_settings", org=organisation.code)
    scale_form = ScaleForm(initial=ScaleForm.initial_from(services.scale_for(organisation)))
    return _settings_page(request, organisation, scale_form, form, status=400)


@require_POST
def category_delete(request: HttpRequest, category_id: str) -> HttpResponse:
    category = get_category_for_user(access_for(request), category_id, write=True)
    code = category.organisation.code
    try:
        services.category_delete(category=category, by=signed_in_user(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Kategorin {category.name} är borttagen.")
    return redirect("risks:scale_settings", org=code)
