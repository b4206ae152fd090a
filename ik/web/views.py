from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_http_methods, require_safe

from ik.access.core import (
    access_for,
    committees_for_user,
    get_committee_for_user,
    get_organisation_for_user,
    organisations_for_user,
)
from ik.followups.models import Action, FollowUp, FollowUpEntry
from ik.lib.breadcrumbs import committee_trail, organisation_trail
from ik.org.actors import signed_in_user
from ik.org.models import Role
from ik.org.services import organisation_update
from ik.plans.models import Plan
from ik.reports.models import DocumentWording
from ik.web.organisation_forms import OrganisationSettingsForm
from ik.web.start import controller_start, reader_start

PREVIOUS_LOGIN = "ik_previous_login"


class LoginView(auth_views.LoginView):
    """Django's login, remembering the previous login so the start page can say what is new."""

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        previous = form.get_user().last_login
        response = super().form_valid(form)
        if previous is not None:
            self.request.session[PREVIOUS_LOGIN] = previous.isoformat()
        return response


def _previous_login(request: HttpRequest) -> datetime | None:
    return parse_datetime(request.session.get(PREVIOUS_LOGIN, ""))


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """ "Mina uppgifter": what waits for me, soonest first."""
    access = access_for(request)
    today = timezone.localdate()
    my_entries: list[FollowUpEntry] = []
    my_actions: list[Action] = []
    if access.person_id is not None:
        my_entries = list(
            FollowUpEntry.objects.filter(
                control_point__owner_person_id=access.person_id,
                followup__status=FollowUp.Status.OPEN,
            )
            .exclude(execution_status=FollowUpEntry.Execution.DONE)
            .filter(access.committee_filter("followup__plan__committee__"))
            .select_related(
                "followup__plan__committee", "control_point__process", "control_point__common"
            )
            .order_by("followup__due_on", "followup__cutoff", "control_point__position")
        )
        my_actions = list(
            Action.objects.filter(owner_person_id=access.person_id)
            .exclude(status=Action.Status.CLOSED)
            .filter(access.committee_filter("deviation__entry__followup__plan__committee__"))
            .select_related("deviation__entry__followup__plan__committee")
            .order_by("due_date")
        )
    writable = Q(plan__committee__organisation_id__in=access.write_orgs) | Q(
        plan__committee_id__in=access.write_committees
    )
    waiting = (
        list(
            FollowUp.objects.filter(writable, status=FollowUp.Status.OPEN)
            .select_related("plan__committee__organisation")
            .annotate(
                total=Count("entries"),
                done=Count("entries", filter=Q(entries__execution_status="done")),
                red=Count("entries", filter=Q(entries__assessment="red")),
            )
            .order_by("due_on", "cutoff", "plan__committee__name")
        )
        if (access.write_orgs or access.write_committees)
        else []
    )
    return render(
        request,
        "web/home.html",
        {
            "today": today,
            "my_entries": my_entries,
            "my_actions": my_actions,
            "waiting": waiting,
            "reader": (
                reader_start(access, today=today, since=_previous_login(request))
                if access.is_read_only
                else None
            ),
            "controller": controller_start(access, today=today),
            "organisations": list(organisations_for_user(access)),
            "is_auditor": Role.AUDITOR in access.roles,
        },
    )


@require_safe
def organisation_detail(request: HttpRequest, org: str) -> HttpResponse:
    access = access_for(request)
    organisation = get_organisation_for_user(access, org)
    committees = list(committees_for_user(access).filter(organisation=organisation))
    plans = (
        Plan.objects.filter(committee__in=committees)
        .annotate(
            points=Count("control_points", distinct=True),
        )
        .order_by("-year")
    )
    by_committee: dict[int, list[Plan]] = {}
    for plan in plans:
        by_committee.setdefault(plan.committee_id, []).append(plan)
    rows = [
        {
            "committee": c,
            "plans": by_committee.get(c.pk, []),
            "can_write": access.can_write_committee(c),
        }
        for c in committees
    ]
    return render(
        request,
        "web/organisation_detail.html",
        {
            "organisation": organisation,
            "rows": rows,
            "is_controller": access.is_controller(organisation),
            "can_manage_mappings": access.can_manage_mappings(organisation),
        },
    )


@require_safe
def committee_detail(request: HttpRequest, org: str, committee: str) -> HttpResponse:
    access = access_for(request)
    target = get_committee_for_user(access, org, committee)
    plans = target.plans.annotate(points=Count("control_points", distinct=True)).order_by("-year")
    followups = FollowUp.objects.filter(plan__committee=target).select_related("plan")
    by_plan: dict[int, list[FollowUp]] = {}
    for followup in followups.order_by("cutoff"):
        by_plan.setdefault(followup.plan_id, []).append(followup)
    rows = [{"plan": p, "followups": by_plan.get(p.pk, [])} for p in plans]
    return render(
        request,
        "web/committee_detail.html",
        {
            "committee": target,
            "organisation": target.organisation,
            "breadcrumbs": committee_trail(target),
            "rows": rows,
            "units": list(target.units.all()),
            "can_write": access.can_write_committee(target),
        },
    )


@require_http_methods(["GET", "POST"])
def organisation_settings(request: HttpRequest, org: str) -> HttpResponse:
    access = access_for(request)
    organisation = get_organisation_for_user(access, org)
    if not access.is_controller(organisation):
        raise PermissionDenied("Bara organisationens controller kan ändra inställningarna.")
    form = OrganisationSettingsForm(
        request.POST or None, request.FILES or None, instance=organisation
    )
    if request.method == "POST" and form.is_valid():
        organisation_update(organisation=organisation, by=signed_in_user(request), form=form)
        messages.success(request, "Inställningarna är sparade.")
        return redirect("web:organisation_settings", org=organisation.code)
    return render(
        request,
        "web/organisation_settings.html",
        {
            "form": form,
            "organisation": organisation,
            "breadcrumbs": organisation_trail(organisation, "Inställningar"),
            "wording_kinds": DocumentWording.Kind.choices,
        },
    )


@login_not_required
def health(request: HttpRequest) -> HttpResponse:
    """Liveness for load balancers and the benchmark's baseline: no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


@require_safe
def organisation_index(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    organisations = list(organisations_for_user(access))
    if len(organisations) == 1:
        return redirect("web:organisation_detail", org=organisations[0].code)
    return render(request, "web/organisation_index.html", {"organisations": organisations})
