from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ik.access.core import access_for
from ik.access.systems import (
    can_edit_register,
    get_competence_for_user,
    get_register_for_user,
    get_system_for_user,
)
from ik.lib.breadcrumbs import Crumb, Step, organisation_trail
from ik.lib.form_errors import apply_validation_error
from ik.lib.swedish import sort_key
from ik.lib.versions import add_version_field, save_form
from ik.org.actors import signed_in_user
from ik.org.models import Organisation
from ik.org.submissions import AlreadySubmitted, add_token_field, submitted_once
from ik.systems import services
from ik.systems.forms import CompetenceForm, RegisterImportForm, SystemForm
from ik.systems.models import CompetenceRole, System

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _by_priority(systems: Any) -> list[System]:
    return sorted(systems, key=lambda s: (s.priority, sort_key(s.name)))


def _register_trail(organisation: Organisation, *steps: Step) -> list[Crumb]:
    url = reverse("systems:register_list", kwargs={"org": organisation.code})
    return organisation_trail(organisation, ("Systemregister", url), *steps)


@require_safe
def register_list(request: HttpRequest, org: str) -> HttpResponse:
    access = access_for(request)
    organisation = get_register_for_user(access, org)
    systems = (
        System.objects.filter(organisation=organisation)
        .select_related("owner_unit")
        .prefetch_related(Prefetch("depends_on", queryset=System.objects.only("id", "name")))
        .annotate(
            primary_count=Count("competences", filter=Q(competences__role=CompetenceRole.PRIMARY)),
            backup_count=Count("competences", filter=Q(competences__role=CompetenceRole.BACKUP)),
        )
    )
    rows = [
        {"system": s, "depends_on": sorted((d.name for d in s.depends_on.all()), key=sort_key)}
        for s in _by_priority(systems)
    ]
    return render(
        request,
        "systems/register_list.html",
        {
            "organisation": organisation,
            "breadcrumbs": organisation_trail(organisation, "Systemregister"),
            "rows": rows,
            "can_edit": can_edit_register(access, organisation),
        },
    )


@require_http_methods(["GET", "POST"])
def system_create(request: HttpRequest, org: str) -> HttpResponse:
    organisation = get_register_for_user(access_for(request), org, write=True)
    form = SystemForm(request.POST or None, organisation=organisation)
    add_token_field(form)
    if request.method == "POST" and form.is_valid():
        try:
            with submitted_once(form) as submission:
                data = dict(form.cleaned_data)
                depends_on = data.pop("depends_on")
                system = services.system_create(
                    organisation=organisation,
                    by=signed_in_user(request),
                    depends_on=depends_on,
                    **data,
                )
                submission.redirect_to = system.get_absolute_url()
        except AlreadySubmitted as sent:
            messages.info(request, "Systemet var redan tillagt och lades inte till igen.")
            register = reverse("systems:register_list", kwargs={"org": organisation.code})
            return redirect(sent.redirect_to or register)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"Systemet {system.name} är tillagt.")
            return redirect(system)
    return render(
        request,
        "systems/system_form.html",
        {
            "form": form,
            "organisation": organisation,
            "system": None,
            "breadcrumbs": _register_trail(organisation, "Nytt system"),
        },
    )


def _detail_context(
    system: System, can_edit: bool, competence_form: CompetenceForm | None
) -> dict[str, Any]:
    organisation = system.organisation
    return {
        "system": system,
        "organisation": organisation,
        "breadcrumbs": _register_trail(organisation, system.name),
        "depends_on": _by_priority(system.depends_on.all()),
        "dependents": _by_priority(system.dependents.all()),
        "competences": list(system.competences.select_related("person")),
        "can_edit": can_edit,
        "competence_form": competence_form
        or (CompetenceForm(organisation=organisation) if can_edit else None),
    }


@require_safe
def system_detail(request: HttpRequest, system_id: str) -> HttpResponse:
    access = access_for(request)
    system = get_system_for_user(access, system_id)
    can_edit = can_edit_register(access, system.organisation)
    return render(request, "systems/system_detail.html", _detail_context(system, can_edit, None))


@require_http_methods(["GET", "POST"])
def system_edit(request: HttpRequest, system_id: str) -> HttpResponse:
    system = get_system_for_user(access_for(request), system_id, write=True)
    # The form writes into its instance while validating; a copy keeps `system` as it was,
    # so the service's audit trail sees the old values.
    form = SystemForm(
        request.POST or None, instance=copy.copy(system), organisation=system.organisation
    )
    add_version_field(form, system)
    if request.method == "POST" and form.is_valid():

        def save() -> None:
            data = {k: form.cleaned_data[k] for k in form.changed_data if k != "version"}
            depends_on = data.pop("depends_on", None)
            services.system_update(
                system=system, by=signed_in_user(request), depends_on=depends_on, **data
            )

        if save_form(form, system, save):
            messages.success(request, f"Systemet {system.name} är sparat.")
            return redirect(system)
    return render(
        request,
        "systems/system_form.html",
        {
            "form": form,
            "organisation": system.organisation,
            "system": system,
            "breadcrumbs": _register_trail(
                system.organisation, (system.name, system.get_absolute_url()), "Redigera"
            ),
        },
    )


@require_POST
def system_delete(request: HttpRequest, system_id: str) -> HttpResponse:
    system = get_system_for_user(access_for(request), system_id, write=True)
    code, name = system.organisation.code, system.name
    try:
        services.system_delete(system=system, by=signed_in_user(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(system)
    messages.success(request, f"Systemet {name} är borttaget ur registret.")
    return redirect("systems:register_list", org=code)


@require_POST
def competence_add(request: HttpRequest, system_id: str) -> HttpResponse:
    system = get_system_for_user(access_for(request), system_id, write=True)
    form = CompetenceForm(request.POST, organisation=system.organisation)
    if form.is_valid():
        try:
            services.competence_add(system=system, by=signed_in_user(request), **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "Kompetensen är tillagd.")
            return redirect(system)
    return render(
        request, "systems/system_detail.html", _detail_context(system, True, form), status=400
    )


@require_POST
def competence_remove(request: HttpRequest, competence_id: str) -> HttpResponse:
    competence = get_competence_for_user(access_for(request), competence_id, write=True)
    system = competence.system
    services.competence_remove(competence=competence, by=signed_in_user(request))
    messages.success(request, f"{competence.person_name} är borttagen ur kompetenslistan.")
    return redirect(system)


@require_http_methods(["GET", "POST"])
def register_import(request: HttpRequest, org: str) -> HttpResponse:
    organisation = get_register_for_user(access_for(request), org, write=True)
    form = RegisterImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            summary = services.register_import(
                organisation=organisation, by=signed_in_user(request), **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                f"{summary.systems} system inlästa ({summary.created} nya, "
                f"{summary.updated} ändrade, {summary.unchanged} oförändrade, "
                f"{summary.deleted} borttagna) och {summary.competence} kompetensrader.",
            )
            return redirect("systems:register_list", org=organisation.code)
    return render(
        request,
        "systems/register_import.html",
        {
            "form": form,
            "organisation": organisation,
            "breadcrumbs": _register_trail(organisation, "Importera"),
        },
    )


def _download(organisation: Organisation, fmt: str, part: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404("Okänt filformat.")
    export = services.register_export_csv if fmt == "csv" else services.register_export_xlsx
    files = export(organisation)
    data = files.systems if part == "systemregister" else files.competence
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{part}-{organisation.code}.{fmt}"'
    return response


@require_safe
def register_export(request: HttpRequest, org: str, fmt: str) -> HttpResponse:
    organisation = get_register_for_user(access_for(request), org)
    return _download(organisation, fmt, "systemregister")


@require_safe
def competence_export(request: HttpRequest, org: str, fmt: str) -> HttpResponse:
    organisation = get_register_for_user(access_for(request), org)
    return _download(organisation, fmt, "kompetens")
