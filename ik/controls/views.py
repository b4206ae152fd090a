from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ik.access.core import (
    access_for,
    get_control_run_for_user,
    get_entry_for_user,
    get_ledger_mapping_for_user,
    get_organisation_for_user,
)
from ik.contracts.inputs import procurement_run_initial
from ik.controls import services
from ik.controls.forms import ControlRunForm, LedgerMappingForm
from ik.controls.lease import control_runs_expire
from ik.controls.models import LedgerMapping
from ik.controls.presenting import detail_rows, detail_tables, unit_columns, unit_label
from ik.engine.controls.registry import CONTROLS, EXAMPLE_FILES
from ik.engine.mappings import FIELD_LABELS
from ik.lib.breadcrumbs import entry_trail, organisation_trail
from ik.lib.htmx import HtmxHttpRequest
from ik.org.actors import signed_in_user
from ik.org.models import Unit


@require_http_methods(["GET", "POST"])
def control_run_create(request: HttpRequest, entry_id: str) -> HttpResponse:
    access = access_for(request)
    entry = get_entry_for_user(access, entry_id, write=True)
    name = request.GET.get("kontroll") or request.POST.get("kontroll")
    if not name:
        return render(
            request,
            "controls/control_choose.html",
            {
                "entry": entry,
                "controls": list(CONTROLS.values()),
                "breadcrumbs": entry_trail(entry, "Automatisk kontroll"),
            },
        )
    control = CONTROLS.get(name)
    if control is None:
        raise Http404("Okänd kontroll.")
    organisation = entry.followup.plan.committee.organisation
    point = entry.control_point
    form = ControlRunForm(
        request.POST or None,
        request.FILES or None,
        control=control,
        mappings=list(LedgerMapping.objects.filter(organisation=organisation)),
        initial_target=point.target if point.measure_unit.strip() == "%" else None,
        max_upload_bytes=settings.IK_MAX_UPLOAD_BYTES,
        initial=procurement_run_initial(organisation),
    )
    if request.method == "POST" and form.is_valid():
        uploads = {
            u.key: form.cleaned_data[u.key] for u in control.uploads if form.cleaned_data.get(u.key)
        }
        run = services.control_run_request(
            entry=entry,
            by=signed_in_user(request),
            control=control.name,
            uploads=uploads,
            arguments=form.arguments(),
        )
        return redirect("controls:control_run_detail", run_id=run.public_id)
    return render(
        request,
        "controls/control_run_create.html",
        {
            "entry": entry,
            "breadcrumbs": entry_trail(
                entry,
                (
                    "Automatisk kontroll",
                    reverse("controls:control_run_create", args=[entry.public_id]),
                ),
                control.label,
            ),
            "control": control,
            "form": form,
            "examples": control.examples,
        },
    )


@require_safe
def control_run_detail(request: HtmxHttpRequest, run_id: str) -> HttpResponse:
    run = get_control_run_for_user(access_for(request), run_id)
    if run.is_pending and control_runs_expire():
        # Its worker died: the run is failed now, and the page stops polling.
        run.refresh_from_db()
    result = run.result or {}
    organisation_id = run.entry.followup.plan.committee.organisation_id
    unit_names = dict(
        Unit.objects.filter(committee__organisation_id=organisation_id)
        .exclude(code="")
        .values_list("code", "name")
    )
    control = CONTROLS.get(run.control)
    shown = result.get("by_unit", [])[:100]
    extra = unit_columns(control.unit_columns if control else (), shown)
    by_unit = [
        {**row, "label": unit_label(str(row.get("unit", "")), unit_names), "extra_cells": cells}
        for row, cells in zip(shown, extra["cells"], strict=True)
    ]
    details = result.get("details", {})
    context = {
        "run": run,
        "entry": run.entry,
        "breadcrumbs": entry_trail(run.entry, "Kontrollkörning"),
        "control": control,
        "by_unit": by_unit,
        "unit_headers": extra["headers"],
        "detail_rows": detail_rows(details),
        "detail_tables": detail_tables(details, unit_names),
        "by_unit_total": len(result.get("by_unit", [])),
        "findings": result.get("findings", [])[:200],
        "findings_total": len(result.get("findings", [])),
    }
    template = (
        "controls/control_run_detail.html#run-status"
        if request.htmx
        else "controls/control_run_detail.html"
    )
    return render(request, template, context)


@require_safe
def control_run_json(request: HttpRequest, run_id: str) -> HttpResponse:
    run = get_control_run_for_user(access_for(request), run_id)
    if run.result is None:
        raise Http404("Körningen har inget resultat.")
    response = JsonResponse(run.result, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = (
        f'attachment; filename="kontroll-{run.control}-{run.public_id}.json"'
    )
    return response


@require_http_methods(["GET", "POST"])
def ledger_mapping_list(request: HttpRequest, org: str) -> HttpResponse:
    access = access_for(request)
    organisation = get_organisation_for_user(access, org)
    can_manage = access.can_manage_mappings(organisation)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied("Du kan inte spara kolumnmappningar.")
    form = LedgerMappingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.ledger_mapping_save(
            organisation=organisation,
            by=signed_in_user(request),
            name=form.cleaned_data["name"],
            columns=form.columns(),
            header_row=form.cleaned_data.get("header_row"),
        )
        messages.success(request, "Kolumnmappningen är sparad.")
        return redirect("controls:ledger_mapping_list", org=organisation.code)
    mappings = list(organisation.ledger_mappings.all())
    return render(
        request,
        "controls/ledger_mapping_list.html",
        {
            "organisation": organisation,
            "breadcrumbs": organisation_trail(organisation, "Kolumnmappningar"),
            "mappings": mappings,
            "form": form,
            "can_manage": can_manage,
            "labels": FIELD_LABELS,
        },
    )


@require_POST
def ledger_mapping_delete(request: HttpRequest, mapping_id: str) -> HttpResponse:
    mapping = get_ledger_mapping_for_user(access_for(request), mapping_id, write=True)
    code = mapping.organisation.code
    services.ledger_mapping_delete(mapping=mapping, by=signed_in_user(request))
    messages.success(request, "Kolumnmappningen är borttagen.")
    return redirect("controls:ledger_mapping_list", org=code)


EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "engine" / "examples"


@require_safe
def example_file(request: HttpRequest, name: str) -> FileResponse:
    """The demo's example inputs, so a control can be tried without files of one's own."""
    allowed = {n for names in EXAMPLE_FILES.values() for n in names}
    if name not in allowed:
        raise Http404("Exempelfilen finns inte.")
    return FileResponse(open(EXAMPLES_DIR / name, "rb"), as_attachment=True, filename=name)
