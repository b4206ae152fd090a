from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ik.access.core import Access, access_for, get_organisation_for_user
from ik.accounts import services, trail
from ik.accounts.forms import (
    AuditFilterForm,
    InvitationAcceptForm,
    InvitationForm,
    OrganisationSetupForm,
    RoleForm,
)
from ik.accounts.models import Invitation
from ik.lib.breadcrumbs import Crumb, organisation_trail
from ik.lib.form_errors import apply_validation_error
from ik.org.actors import signed_in_user
from ik.org.audit import actor_label, history, require_trail_reader
from ik.org.models import Membership, Organisation, Role

PAGE_SIZE = 50


def _organisation_for_controller(access: Access, code: str) -> Organisation:
    organisation = get_organisation_for_user(access, code)
    if not access.is_controller(organisation):
        raise PermissionDenied("Användare och roller hanteras av organisationens controller.")
    return organisation


def _member(organisation: Organisation, username: str) -> Any:
    users = get_user_model().objects.filter(
        memberships__organisation=organisation, username=username
    )
    found = users.distinct().first()
    if found is None:
        raise Http404("Användaren finns inte i organisationen.")
    return found


def _memberships(organisation: Organisation) -> Prefetch[Any]:
    return Prefetch(
        "memberships",
        queryset=Membership.objects.filter(organisation=organisation)
        .select_related("committee")
        .order_by("role", "committee__name"),
        to_attr="org_memberships",
    )


@require_safe
def user_list(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _organisation_for_controller(access_for(request), org)
    users = (
        get_user_model()
        .objects.filter(memberships__organisation=organisation)
        .distinct()
        .prefetch_related(_memberships(organisation))
        .order_by("last_name", "first_name", "username")
    )
    pending = Invitation.objects.filter(
        organisation=organisation, used_at__isnull=True, expires_at__gt=timezone.now()
    )
    return render(
        request,
        "accounts/user_list.html",
        {
            "organisation": organisation,
            "breadcrumbs": organisation_trail(organisation, "Användare och roller"),
            "users": users,
            "pending": pending,
        },
    )


def _users_trail(organisation: Organisation, page: str) -> list[Crumb]:
    url = reverse("accounts:user_list", kwargs={"org": organisation.code})
    return organisation_trail(organisation, ("Användare och roller", url), page)


def _user_page(
    request: HttpRequest, organisation: Organisation, member: Any, form: RoleForm, status: int
) -> HttpResponse:
    memberships = list(
        Membership.objects.filter(organisation=organisation, user=member)
        .select_related("committee")
        .order_by("role", "committee__name")
    )
    rows = [
        {"membership": m, "grant": services.Grant(Role(m.role), m.committee)} for m in memberships
    ]
    return render(
        request,
        "accounts/user_detail.html",
        {
            "organisation": organisation,
            "breadcrumbs": _users_trail(organisation, member.get_full_name() or member.username),
            "member": member,
            "rows": rows,
            "form": form,
            "history": history(member, organisation=organisation),
        },
        status=status,
    )


@require_safe
def user_detail(request: HttpRequest, org: str, username: str) -> HttpResponse:
    organisation = _organisation_for_controller(access_for(request), org)
    member = _member(organisation, username)
    return _user_page(request, organisation, member, RoleForm(organisation=organisation), 200)


@require_POST
def role_add(request: HttpRequest, org: str, username: str) -> HttpResponse:
    organisation = _organisation_for_controller(access_for(request), org)
    member = _member(organisation, username)
    form = RoleForm(request.POST, organisation=organisation)
    if form.is_valid():
        try:
            services.role_grant(
                organisation=organisation,
                user=member,
                grant=form.cleaned_data["grant"],
                by=signed_in_user(request),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"Rollen {form.cleaned_data['grant'].label} är tillagd.")
            return redirect("accounts:user_detail", org=organisation.code, username=username)
    return _user_page(request, organisation, member, form, 422)


@require_POST
def role_remove(request: HttpRequest, org: str, username: str) -> HttpResponse:
    organisation = _organisation_for_controller(access_for(request), org)
    member = _member(organisation, username)
    form = RoleForm(request.POST, organisation=organisation)
    if form.is_valid():
        grant = form.cleaned_data["grant"]
        try:
            services.role_revoke(
                organisation=organisation, user=member, grant=grant, by=signed_in_user(request)
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Rollen {grant.label} är borttagen.")
    else:
        messages.error(request, "Okänd roll.")
    if not Membership.objects.filter(organisation=organisation, user=member).exists():
        return redirect("accounts:user_list", org=organisation.code)
    return redirect("accounts:user_detail", org=organisation.code, username=username)


@require_http_methods(["GET", "POST"])
def invitation_create(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _organisation_for_controller(access_for(request), org)
    form = InvitationForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(
                organisation=organisation,
                by=signed_in_user(request),
                site_url=request.build_absolute_uri("/"),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"Inbjudan är skickad till {form.cleaned_data['email']}.")
            return redirect("accounts:user_list", org=organisation.code)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "accounts/invitation_create.html",
        {
            "organisation": organisation,
            "breadcrumbs": _users_trail(organisation, "Bjud in"),
            "form": form,
        },
        status=status,
    )


INVALID_TEXT = {
    Invitation.State.USED: "Inbjudan är redan använd. Logga in med det användarnamn och "
    "lösenord du valde, eller be din controller om en ny inbjudan.",
    Invitation.State.EXPIRED: "Inbjudan har gått ut (den gäller i sju dagar). Be din "
    "controller om en ny inbjudan.",
}


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_for_token(token)
    except Invitation.DoesNotExist:
        return render(
            request,
            "accounts/invitation_invalid.html",
            {"text": "Länken är inte giltig. Kontrollera att hela länken kom med från e-posten."},
            status=404,
        )
    if invitation.state != Invitation.State.PENDING:
        return render(
            request,
            "accounts/invitation_invalid.html",
            {"text": INVALID_TEXT[invitation.state]},
            status=410,
        )
    form = InvitationAcceptForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "password_again"}
        try:
            user = services.invitation_accept(invitation=invitation, **data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Välkommen till IK, {user.get_full_name()}!")
            return redirect("web:home")
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "accounts/invitation_accept.html",
        {"invitation": invitation, "form": form},
        status=status,
    )


def _trail_filters(
    request: HttpRequest, organisation: Organisation
) -> tuple[AuditFilterForm, dict[str, Any]]:
    form = AuditFilterForm(
        request.GET or None,
        object_types=trail.object_types(organisation),
        actors=trail.actors(organisation),
    )
    if not form.is_bound or not form.is_valid():
        return form, {}
    return form, {k: v for k, v in form.cleaned_data.items() if v}


@require_safe
def audit_log(request: HttpRequest, org: str) -> HttpResponse:
    access = access_for(request)
    organisation = get_organisation_for_user(access, org)
    require_trail_reader(access.user_id, organisation)
    form, filters = _trail_filters(request, organisation)
    page = Paginator(trail.events(organisation, **filters), PAGE_SIZE).get_page(
        request.GET.get("sida")
    )
    query = request.GET.copy()
    query.pop("sida", None)
    rows = [
        {
            "event": e,
            "actor": actor_label(e),
            "type": trail.object_type_label(e.object_type),
            "changes": trail.describe(e),
        }
        for e in page.object_list
    ]
    return render(
        request,
        "accounts/audit_log.html",
        {
            "organisation": organisation,
            "breadcrumbs": organisation_trail(organisation, "Händelselogg"),
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
        },
    )


@require_safe
def audit_log_csv(request: HttpRequest, org: str) -> StreamingHttpResponse:
    access = access_for(request)
    organisation = get_organisation_for_user(access, org)
    require_trail_reader(access.user_id, organisation)
    _, filters = _trail_filters(request, organisation)
    response = StreamingHttpResponse(
        trail.csv_lines(trail.events(organisation, **filters)),
        content_type="text/csv; charset=utf-8",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="handelselogg-{organisation.code}-{stamp}.csv"'
    )
    return response


@require_http_methods(["GET", "POST"])
def organisation_setup(request: HttpRequest) -> HttpResponse:
    """First run: a superuser creates an organisation and invites its first controller."""
    if not getattr(request.user, "is_superuser", False):
        raise PermissionDenied("Nya organisationer läggs upp av IK:s administratör.")
    form = OrganisationSetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation, invitation, link = services.organisation_setup(
                by=signed_in_user(request),
                site_url=request.build_absolute_uri("/"),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return render(
                request,
                "accounts/organisation_setup_done.html",
                {"organisation": organisation, "invitation": invitation, "link": link},
            )
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "accounts/organisation_setup.html",
        {"form": form, "organisations": list(Organisation.objects.order_by("name"))},
        status=status,
    )
