from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from ik.access.contracts import can_edit_contracts, get_contract_register_for_user
from ik.access.core import access_for
from ik.contracts import services
from ik.contracts.forms import ContractImportForm, ProcurementSettingsForm
from ik.contracts.inputs import procurement_settings
from ik.contracts.models import Contract
from ik.lib.breadcrumbs import Crumb, Step, organisation_trail
from ik.lib.form_errors import apply_validation_error
from ik.org.actors import signed_in_user
from ik.org.models import Organisation

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
PAGE_SIZE = 100


def _trail(organisation: Organisation, *steps: Step) -> list[Crumb]:
    url = reverse("contracts:contract_list", kwargs={"org": organisation.code})
    return organisation_trail(organisation, ("Avtalsregister", url), *steps)


def _status(contract: Contract, today: dt.date) -> str:
    if contract.valid_from > today:
        return "Inte påbörjat"
    if contract.valid_to is not None and contract.valid_to < today:
        return "Upphört"
    return "Gäller"


@require_safe
def contract_list(request: HttpRequest, org: str) -> HttpResponse:
    access = access_for(request)
    organisation = get_contract_register_for_user(access, org)
    query = request.GET.get("q", "").strip()[:100]
    contracts = Contract.objects.filter(organisation=organisation)
    if query:
        contracts = contracts.filter(supplier__icontains=query) | contracts.filter(
            contract_id__icontains=query
        )
    page = Paginator(contracts.order_by("supplier", "contract_id", "valid_from"), PAGE_SIZE)
    shown = page.get_page(request.GET.get("sida"))
    today = timezone.localdate()
    return render(
        request,
        "contracts/contract_list.html",
        {
            "organisation": organisation,
            "breadcrumbs": organisation_trail(organisation, "Avtalsregister"),
            "page": shown,
            "rows": [(c, _status(c, today)) for c in shown.object_list],
            "q": query,
            "query": urlencode({"q": query}) if query else "",
            "settings": procurement_settings(organisation),
            "can_edit": can_edit_contracts(access, organisation),
        },
    )


@require_http_methods(["GET", "POST"])
def contract_import(request: HttpRequest, org: str) -> HttpResponse:
    organisation = get_contract_register_for_user(access_for(request), org, write=True)
    form = ContractImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            summary = services.contract_register_import(
                organisation=organisation,
                by=signed_in_user(request),
                file=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                f"{summary.contracts} avtalsrader inlästa ({summary.added} nya eller ändrade, "
                f"{summary.removed} borttagna eller ändrade, {summary.unchanged} oförändrade).",
            )
            return redirect("contracts:contract_list", org=organisation.code)
    return render(
        request,
        "contracts/contract_import.html",
        {
            "form": form,
            "organisation": organisation,
            "breadcrumbs": _trail(organisation, "Importera"),
        },
    )


@require_http_methods(["GET", "POST"])
def procurement_settings_edit(request: HttpRequest, org: str) -> HttpResponse:
    organisation = get_contract_register_for_user(access_for(request), org, write=True)
    current = procurement_settings(organisation)
    form = ProcurementSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.procurement_settings_update(
                organisation=organisation,
                by=signed_in_user(request),
                window=form.cleaned_data["window"],
                direct_procurement_limit=form.cleaned_data["direct_procurement_limit"],
                compliance_target=form.cleaned_data["compliance_target"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "Inställningarna för upphandlingskontrollerna är sparade.")
            return redirect("contracts:contract_list", org=organisation.code)
    return render(
        request,
        "contracts/procurement_settings_edit.html",
        {
            "form": form,
            "organisation": organisation,
            "breadcrumbs": _trail(organisation, "Inställningar"),
        },
    )


@require_safe
def contract_export(request: HttpRequest, org: str, fmt: str) -> HttpResponse:
    organisation = get_contract_register_for_user(access_for(request), org)
    if fmt not in CONTENT_TYPES:
        raise Http404("Okänt filformat.")
    response = HttpResponse(
        services.contract_register_export(organisation, fmt), content_type=CONTENT_TYPES[fmt]
    )
    response["Content-Disposition"] = (
        f'attachment; filename="avtalsregister-{organisation.code}.{fmt}"'
    )
    return response
