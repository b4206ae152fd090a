from __future__ import annotations

import copy
import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ik.access.contracts import (
    can_edit_contracts,
    get_contract_for_user,
    get_contract_register_for_user,
)
from ik.access.core import access_for
from ik.contracts import services
from ik.contracts.forms import (
    ContractEndForm,
    ContractForm,
    ContractImportConfirmForm,
    ContractImportForm,
    ProcurementSettingsForm,
)
from ik.contracts.inputs import procurement_settings
from ik.contracts.models import Contract
from ik.engine.contracts import contracts_to_csv, read_contracts
from ik.lib.bounded import parse_upload
from ik.lib.breadcrumbs import Crumb, Step, organisation_trail
from ik.lib.form_errors import apply_validation_error
from ik.lib.versions import add_version_field, save_form
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
    """Upload a file; the answer is a preview of what would change, with a confirm button."""
    organisation = get_contract_register_for_user(access_for(request), org, write=True)
    form = ContractImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            summary = services.contract_register_plan(
                organisation=organisation,
                file=data["file"],
                mode=data["mode"],
                end_on=data["end_on"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            confirm = ContractImportConfirmForm(
                initial={
                    # Read once more in full on confirming: what is sent back is not trusted.
                    "register": _canonical(data["file"]),
                    "mode": data["mode"],
                    "end_on": data["end_on"],
                    "fingerprint": services.register_fingerprint(organisation),
                }
            )
            return _preview(request, organisation, confirm, summary, data["mode"])
    return render(
        request,
        "contracts/contract_import.html",
        {
            "form": form,
            "organisation": organisation,
            "breadcrumbs": _trail(organisation, "Importera"),
        },
        status=400 if form.errors else 200,
    )


def _canonical(data: bytes) -> str:
    rows = parse_upload(read_contracts, data)
    return contracts_to_csv(rows).decode("utf-8-sig")


def _preview(
    request: HttpRequest,
    organisation: Organisation,
    form: ContractImportConfirmForm,
    summary: services.ImportSummary,
    mode: str,
    notice: str = "",
) -> HttpResponse:
    return render(
        request,
        "contracts/contract_import_preview.html",
        {
            "form": form,
            "organisation": organisation,
            "summary": summary,
            "mode_label": services.MODES[mode],
            "notice": notice,
            "breadcrumbs": _trail(organisation, "Importera"),
        },
    )


@require_POST
def contract_import_confirm(request: HttpRequest, org: str) -> HttpResponse:
    organisation = get_contract_register_for_user(access_for(request), org, write=True)
    form = ContractImportConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Förhandsvisningen kunde inte läsas. Ladda upp filen igen.")
        return redirect("contracts:contract_import", org=organisation.code)
    data = form.cleaned_data
    file = data["register"].encode("utf-8")
    try:
        current = services.register_fingerprint(organisation)
        if current != data["fingerprint"]:
            # Someone changed the register after the preview: show the changes as they are now.
            summary = services.contract_register_plan(
                organisation=organisation, file=file, mode=data["mode"], end_on=data["end_on"]
            )
            fresh = ContractImportConfirmForm(initial={**data, "fingerprint": current})
            notice = (
                "Registret har ändrats sedan förhandsvisningen, så inget har sparats. "
                "Så här blir det nu; läs in igen för att spara."
            )
            return _preview(request, organisation, fresh, summary, data["mode"], notice)
        summary = services.contract_register_import(
            organisation=organisation,
            by=signed_in_user(request),
            file=file,
            mode=data["mode"],
            end_on=data["end_on"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("contracts:contract_import", org=organisation.code)
    messages.success(
        request,
        f"Avtalsregistret är inläst från {summary.contracts} avtalsrader. Nya: {summary.added}, "
        f"ändrade: {summary.changed}, borttagna: {summary.removed}, avslutade: {summary.ended}, "
        f"oförändrade: {summary.unchanged}.",
    )
    return redirect("contracts:contract_list", org=organisation.code)


@require_http_methods(["GET", "POST"])
def contract_create(request: HttpRequest, org: str) -> HttpResponse:
    organisation = get_contract_register_for_user(access_for(request), org, write=True)
    form = ContractForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contract = services.contract_create(
                organisation=organisation, by=signed_in_user(request), **form.values()
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"Avtal {contract} är tillagt.")
            return redirect("contracts:contract_list", org=organisation.code)
    return render(
        request,
        "contracts/contract_form.html",
        {
            "form": form,
            "organisation": organisation,
            "contract": None,
            "breadcrumbs": _trail(organisation, "Nytt avtal"),
        },
    )


@require_http_methods(["GET", "POST"])
def contract_edit(request: HttpRequest, contract_id: str) -> HttpResponse:
    contract = get_contract_for_user(access_for(request), contract_id, write=True)
    organisation = contract.organisation
    # The form writes into its instance while validating; a copy keeps `contract` as stored,
    # so the service's trail sees the old values.
    form = ContractForm(request.POST or None, instance=copy.copy(contract))
    add_version_field(form, contract)
    if request.method == "POST" and form.is_valid():

        def save() -> None:
            services.contract_update(contract=contract, by=signed_in_user(request), **form.values())

        if save_form(form, contract, save):
            messages.success(request, f"Avtal {contract} är sparat.")
            return redirect("contracts:contract_list", org=organisation.code)
    return render(
        request,
        "contracts/contract_form.html",
        {
            "form": form,
            "organisation": organisation,
            "contract": contract,
            "breadcrumbs": _trail(organisation, f"Ändra {contract}"),
        },
    )


@require_http_methods(["GET", "POST"])
def contract_end(request: HttpRequest, contract_id: str) -> HttpResponse:
    contract = get_contract_for_user(access_for(request), contract_id, write=True)
    organisation = contract.organisation
    form = ContractEndForm(request.POST or None, initial={"on": timezone.localdate()})
    add_version_field(form, contract)
    if request.method == "POST" and form.is_valid():

        def save() -> None:
            services.contract_end(
                contract=contract, by=signed_in_user(request), on=form.cleaned_data["on"]
            )

        if save_form(form, contract, save):
            messages.success(request, f"Avtal {contract} upphör {contract.valid_to}.")
            return redirect("contracts:contract_list", org=organisation.code)
    return render(
        request,
        "contracts/contract_end.html",
        {
            "form": form,
            "organisation": organisation,
            "contract": contract,
            "breadcrumbs": _trail(organisation, f"Avsluta {contract}"),
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
