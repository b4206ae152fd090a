from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ik.access.core import access_for, get_organisation_for_user, organisations_for_user
from ik.lib.breadcrumbs import organisation_trail
from ik.notifications import services
from ik.notifications.feed import events_for
from ik.notifications.forms import PreferencesForm, ReminderSettingsForm
from ik.notifications.ical import calendar
from ik.notifications.models import ReminderPreference, ReminderSettings
from ik.org.actors import signed_in_user


def _deny_read_only(request: HttpRequest) -> None:
    # Auditors and politicians are never reminded of anything: they have nothing to change.
    if access_for(request).is_read_only:
        raise PermissionDenied("Du har en läsande roll och får inga påminnelser.")


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    preference = services.preference_for(signed_in_user(request))
    form = PreferencesForm(request.POST or None, initial=PreferencesForm.initial_for(preference))
    if request.method == "POST":
        _deny_read_only(request)
        if form.is_valid():
            services.preference_update(user=signed_in_user(request), **form.values())
            messages.success(request, "Dina val av påminnelser är sparade.")
            return redirect("notifications:preferences")
    feed_url = request.build_absolute_uri(
        reverse("notifications:calendar_feed", kwargs={"token": preference.calendar_token})
    )
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "feed_url": feed_url,
            "read_only": access_for(request).is_read_only,
            "has_email": bool(signed_in_user(request).email),
            "controlled": organisations_for_user(access_for(request)).filter(
                id__in=access_for(request).controller_orgs
            ),
        },
    )


@require_POST
def calendar_regenerate(request: HttpRequest) -> HttpResponse:
    _deny_read_only(request)
    services.calendar_token_regenerate(user=signed_in_user(request))
    messages.success(request, "Kalenderlänken är ny. Den gamla länken fungerar inte längre.")
    return redirect("notifications:preferences")


@login_not_required
@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    preference = (
        ReminderPreference.objects.filter(calendar_token=token, user__is_active=True)
        .select_related("user")
        .first()
    )
    if preference is None:
        raise Http404("Kalendern finns inte.")
    base_url = request.build_absolute_uri("/").rstrip("/")
    text = calendar(
        events_for(preference.user, base_url=base_url),
        name="IK – mina datum",
        stamp=timezone.now(),
    )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_http_methods(["GET", "POST"])
def reminder_settings(request: HttpRequest, org: str) -> HttpResponse:
    access = access_for(request)
    organisation = get_organisation_for_user(access, org)
    if not access.is_controller(organisation):
        raise PermissionDenied("Bara controllern ändrar påminnelserna.")
    current = ReminderSettings.objects.filter(organisation=organisation).first()
    form = ReminderSettingsForm(
        request.POST or None, instance=current or ReminderSettings(organisation=organisation)
    )
    if request.method == "POST" and form.is_valid():
        services.reminder_settings_update(
            organisation=organisation,
            by=signed_in_user(request),
            days_before=form.cleaned_data["days_before"],
        )
        messages.success(request, "Inställningen för påminnelser är sparad.")
        return redirect("notifications:reminder_settings", org=organisation.code)
    return render(
        request,
        "notifications/reminder_settings.html",
        {
            "form": form,
            "organisation": organisation,
            "breadcrumbs": organisation_trail(organisation, "Påminnelser"),
        },
    )
