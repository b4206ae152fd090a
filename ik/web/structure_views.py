"""The structure pages: committees, the unit tree under each, and the people register."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from ik.access.core import access_for
from ik.access.structure import (
    get_person_for_user,
    get_structure_committee_for_user,
    get_structure_organisation_for_user,
    get_unit_for_user,
)
from ik.accounts import services as account_services
from ik.accounts.forms import InvitationForm
from ik.lib.breadcrumbs import Crumb, organisation_trail
from ik.lib.form_errors import apply_validation_error
from ik.org import imports, services
from ik.org.actors import signed_in_user
from ik.org.models import Committee, Organisation, Person, Unit
from ik.web.structure_forms import CommitteeForm, PersonForm, StructureImportForm, UnitForm


@dataclass
class Node:
    unit: Unit
    children: list[Node] = field(default_factory=list)


def unit_trees(committees: Sequence[Committee]) -> dict[int, list[Node]]:
    """Each committee's units as trees, siblings by name. One query."""
    nodes = {
        u.pk: Node(u)
        for u in Unit.objects.filter(committee__in=committees)
        .annotate(people_count=Count("people"))
        .order_by("name")
    }
    roots: dict[int, list[Node]] = {c.pk: [] for c in committees}
    for node in nodes.values():
        parent = nodes.get(node.unit.parent_id) if node.unit.parent_id else None
        (parent.children if parent else roots[node.unit.committee_id]).append(node)
    return roots


def _structure_trail(organisation: Organisation, *page: str) -> list[Crumb]:
    """Organisation › Nämnder och enheter, then the page (none on the structure page itself)."""
    if not page:
        return organisation_trail(organisation, "Nämnder och enheter")
    url = reverse("web:structure", args=[organisation.code])
    return organisation_trail(organisation, ("Nämnder och enheter", url), *page)


def _people_trail(organisation: Organisation, *page: str) -> list[Crumb]:
    """Organisation › Personer, then the page (none on the register itself)."""
    if not page:
        return organisation_trail(organisation, "Personer")
    url = reverse("web:person_list", args=[organisation.code])
    return organisation_trail(organisation, ("Personer", url), *page)


@require_safe
def structure(request: HttpRequest, org: str) -> HttpResponse:
    organisation = get_structure_organisation_for_user(access_for(request), org)
    committees = list(
        Committee.objects.filter(organisation=organisation).annotate(
            plan_count=Count("plans", distinct=True)
        )
    )
    trees = unit_trees(committees)
    rows = [{"committee": c, "units": trees[c.pk]} for c in committees]
    return render(
        request,
        "web/structure.html",
        {
            "organisation": organisation,
            "rows": rows,
            "breadcrumbs": _structure_trail(organisation),
            "people_count": Person.objects.filter(organisation=organisation).count(),
        },
    )


def _form_page(
    request: HttpRequest, template: str, form: Any, context: dict[str, Any]
) -> HttpResponse:
    status = 422 if request.method == "POST" else 200
    return render(request, template, {"form": form, **context}, status=status)


@require_http_methods(["GET", "POST"])
def committee_create(request: HttpRequest, org: str) -> HttpResponse:
    organisation = get_structure_organisation_for_user(access_for(request), org)
    form = CommitteeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            committee = services.committee_create(
                organisation=organisation, by=signed_in_user(request), **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"{committee.name} är tillagd.")
            return redirect("web:structure", org=organisation.code)
    return _form_page(
        request,
        "web/committee_form.html",
        form,
        {
            "organisation": organisation,
            "committee": None,
            "breadcrumbs": _structure_trail(organisation, "Ny nämnd"),
        },
    )


@require_http_methods(["GET", "POST"])
def committee_edit(request: HttpRequest, org: str, committee: str) -> HttpResponse:
    target = get_structure_committee_for_user(access_for(request), org, committee)
    form = CommitteeForm(request.POST or None, instance=copy.copy(target))
    if request.method == "POST" and form.is_valid():
        try:
            services.committee_update(
                committee=target,
                by=signed_in_user(request),
                **{k: form.cleaned_data[k] for k in form.changed_data},
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"{target.name} är sparad.")
            return redirect("web:structure", org=target.organisation.code)
    return _form_page(
        request,
        "web/committee_form.html",
        form,
        {
            "organisation": target.organisation,
            "committee": target,
            "can_delete": not services.committee_is_referenced(target),
            "breadcrumbs": _structure_trail(target.organisation, target.name),
        },
    )


@require_http_methods(["GET", "POST"])
def committee_delete(request: HttpRequest, org: str, committee: str) -> HttpResponse:
    target = get_structure_committee_for_user(access_for(request), org, committee)
    error = ""
    if request.method == "POST":
        try:
            services.committee_delete(committee=target, by=signed_in_user(request))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, f"{target.name} är borttagen.")
            return redirect("web:structure", org=target.organisation.code)
    elif services.committee_is_referenced(target):
        error = (
            f"{target.name} har planer, enheter eller användare och kan inte tas bort. "
            "Inaktivera nämnden i stället."
        )
    return render(
        request,
        "web/committee_delete.html",
        {
            "organisation": target.organisation,
            "committee": target,
            "error": error,
            "breadcrumbs": _structure_trail(target.organisation, f"Ta bort {target.name}"),
        },
        status=422 if error and request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def unit_create(request: HttpRequest, org: str, committee: str) -> HttpResponse:
    target = get_structure_committee_for_user(access_for(request), org, committee)
    initial = {}
    under = request.GET.get("under", "")
    try:
        parent = Unit.objects.filter(committee=target, public_id=under).first() if under else None
    except ValidationError:
        parent = None
    if parent is not None:
        initial = {"parent": parent, "kind": Unit.Kind.DEPARTMENT}
    form = UnitForm(request.POST or None, committee=target, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(
                committee=target, by=signed_in_user(request), **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"{unit.name} är tillagd under {target.name}.")
            return redirect("web:structure", org=target.organisation.code)
    return _form_page(
        request,
        "web/unit_form.html",
        form,
        {
            "organisation": target.organisation,
            "committee": target,
            "unit": None,
            "breadcrumbs": _structure_trail(target.organisation, "Ny enhet"),
        },
    )


@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, unit_id: str) -> HttpResponse:
    unit = get_unit_for_user(access_for(request), unit_id)
    form = UnitForm(request.POST or None, instance=copy.copy(unit), committee=unit.committee)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(
                unit=unit,
                by=signed_in_user(request),
                **{k: form.cleaned_data[k] for k in form.changed_data},
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"{unit.name} är sparad.")
            return redirect("web:structure", org=unit.committee.organisation.code)
    return _form_page(
        request,
        "web/unit_form.html",
        form,
        {
            "organisation": unit.committee.organisation,
            "committee": unit.committee,
            "unit": unit,
            "breadcrumbs": _structure_trail(unit.committee.organisation, unit.name),
        },
    )


@require_safe
def person_list(request: HttpRequest, org: str) -> HttpResponse:
    organisation = get_structure_organisation_for_user(access_for(request), org)
    people = (
        Person.objects.filter(organisation=organisation)
        .select_related("unit__committee", "user")
        .annotate(points=Count("control_points", distinct=True))
        .order_by("-is_active", "name")
    )
    return render(
        request,
        "web/person_list.html",
        {
            "organisation": organisation,
            "people": people,
            "breadcrumbs": _people_trail(organisation),
        },
    )


@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest, org: str) -> HttpResponse:
    organisation = get_structure_organisation_for_user(access_for(request), org)
    form = PersonForm(request.POST or None, organisation_id=organisation.pk)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(
                organisation=organisation, by=signed_in_user(request), **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"{person.name} är tillagd i personregistret.")
            return redirect("web:person_list", org=organisation.code)
    return _form_page(
        request,
        "web/person_form.html",
        form,
        {
            "organisation": organisation,
            "person": None,
            "breadcrumbs": _people_trail(organisation, "Ny person"),
        },
    )


@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, person_id: str) -> HttpResponse:
    person = get_person_for_user(access_for(request), person_id)
    form = PersonForm(
        request.POST or None, instance=copy.copy(person), organisation_id=person.organisation_id
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                person=person,
                by=signed_in_user(request),
                **{k: form.cleaned_data[k] for k in form.changed_data},
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"{person.name} är sparad.")
            return redirect("web:person_list", org=person.organisation.code)
    return _form_page(
        request,
        "web/person_form.html",
        form,
        {
            "organisation": person.organisation,
            "person": person,
            "breadcrumbs": _people_trail(person.organisation, person.name),
        },
    )


@require_http_methods(["GET", "POST"])
def person_invite(request: HttpRequest, person_id: str) -> HttpResponse:
    person = get_person_for_user(access_for(request), person_id)
    organisation = person.organisation
    form = InvitationForm(
        request.POST or None,
        organisation=organisation,
        initial={"email": person.email, "grants": ["control_owner"]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            account_services.invitation_create(
                organisation=organisation,
                by=signed_in_user(request),
                site_url=request.build_absolute_uri("/"),
                person=person,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"Inbjudan är skickad till {form.cleaned_data['email']}.")
            return redirect("web:person_list", org=organisation.code)
    return _form_page(
        request,
        "web/person_invite.html",
        form,
        {
            "organisation": organisation,
            "person": person,
            "breadcrumbs": _people_trail(organisation, f"Bjud in {person.name}"),
        },
    )


@require_http_methods(["GET", "POST"])
def structure_import(request: HttpRequest, org: str) -> HttpResponse:
    organisation = get_structure_organisation_for_user(access_for(request), org)
    form = StructureImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            summary = imports.structure_import(
                organisation=organisation, by=signed_in_user(request), **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"Inläst: {summary.text}.")
            return redirect("web:structure", org=organisation.code)
    return _form_page(
        request,
        "web/structure_import.html",
        form,
        {
            "organisation": organisation,
            "breadcrumbs": _structure_trail(organisation, "Läs in från fil"),
        },
    )
