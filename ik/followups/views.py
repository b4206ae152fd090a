from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ik.access.core import (
    Access,
    access_for,
    get_action_for_user,
    get_deviation_for_user,
    get_entry_for_user,
    get_followup_for_user,
    get_plan_for_user,
)
from ik.controls.models import ControlRun
from ik.engine.errors import InputError
from ik.engine.result_sheet import STATUS_LABELS, ResultRow, read_results, result_rows
from ik.engine.result_sheet import refuse_problems as refuse_result_problems
from ik.engine.tables import Table, read_grids, table_to_json
from ik.followups import services
from ik.followups.forms import (
    ActionCloseForm,
    ActionForm,
    ActionStatusForm,
    DeviationForm,
    EntryForm,
    FollowUpCreateForm,
    FollowUpEditForm,
    FollowUpReopenForm,
    FollowUpReportForm,
    ResultsConfirmForm,
    ResultsUploadForm,
)
from ik.followups.importing import results_import as import_results
from ik.followups.models import Action, Deviation, FollowUp, FollowUpEntry
from ik.lib.bounded import parse_upload
from ik.lib.breadcrumbs import entry_trail, followup_trail, plan_trail
from ik.lib.confirm import confirm_then
from ik.lib.filelimits import LimitError
from ik.lib.form_errors import apply_validation_error
from ik.lib.htmx import HtmxHttpRequest
from ik.lib.versions import add_version_field, save_form
from ik.org.actors import signed_in_user
from ik.org.audit import HistoryItem, histories, history
from ik.org.submissions import AlreadySubmitted, add_token_field, submitted_once
from ik.reports.followup import draft_summary
from ik.reports.queries import load_followup
from ik.reports.services import archived_items, item_archive
from ik.reports.trend_queries import point_trend
from ik.reports.trends import trend_figures


def _safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def _entries(followup: FollowUp, *, only: FollowUpEntry | None = None) -> list[FollowUpEntry]:
    """The follow-up's entries with what their cards show; `only` for one card."""
    rows = followup.entries if only is None else followup.entries.filter(pk=only.pk)
    entries: list[FollowUpEntry] = list(
        rows.select_related(
            "control_point__process",
            "control_point__common",
            "control_point__owner_person",
            "control_point__unit",
        )
        .prefetch_related(
            Prefetch(
                "deviations",
                queryset=Deviation.objects.prefetch_related(
                    Prefetch("actions", queryset=Action.objects.select_related("owner_person"))
                ),
            ),
            Prefetch(
                "control_runs",
                queryset=ControlRun.objects.only(
                    "public_id", "entry_id", "control", "status", "verdict", "created_at"
                ).order_by("-created_at", "-id"),
                to_attr="recent_runs",
            ),
        )
        .order_by("control_point__position", "id")
    )
    for entry in entries:
        entry.followup = followup
    return entries


def _entry_histories(
    entries: list[FollowUpEntry], followup: FollowUp | None = None
) -> tuple[list[HistoryItem], list[list[HistoryItem]]]:
    """Each entry's trail together with its deviations', newest first, and the follow-up's
    own trail when asked for: one query."""
    deviations = {e.pk: list(e.deviations.all()) for e in entries}
    own = [followup] if followup is not None else []
    trails = histories([*own, *entries, *(d for ds in deviations.values() for d in ds)])
    merged = []
    for entry in entries:
        items = list(trails[str(entry.public_id)])
        for deviation in deviations[entry.pk]:
            items += trails[str(deviation.public_id)]
        merged.append(sorted(items, key=lambda item: item.at, reverse=True))
    return (trails[str(followup.public_id)] if followup is not None else []), merged


def _entry_context(access: Access, entry: FollowUpEntry) -> dict[str, object]:
    return {
        "entry": entry,
        "can_edit": access.can_edit_entry(entry),
        "can_write": access.can_write_committee(entry.followup.plan.committee),
    }


@require_http_methods(["GET", "POST"])
def followup_create(request: HttpRequest, plan_id: str) -> HttpResponse:
    access = access_for(request)
    plan = get_plan_for_user(access, plan_id, write=True)
    warning = ""
    if not plan.is_adopted:
        warning = (
            f"Planen är inte fastställd ({plan.get_status_display().lower()}). "
            "Skapa uppföljningen ändå."
        )
    form = FollowUpCreateForm(request.POST or None, warning=warning)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "confirmed"}
        try:
            followup = services.followup_create(plan=plan, by=signed_in_user(request), **data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "Uppföljningen är skapad.")
            return redirect("followups:followup_detail", followup_id=followup.public_id)
    return render(
        request,
        "followups/followup_create.html",
        {
            "form": form,
            "plan": plan,
            "warning": warning,
            "breadcrumbs": plan_trail(plan, "Ny uppföljning"),
        },
        status=422 if request.method == "POST" else 200,
    )


@require_safe
def followup_detail(request: HttpRequest, followup_id: str) -> HttpResponse:
    access = access_for(request)
    followup = get_followup_for_user(access, followup_id)
    entries = _entries(followup)
    followup_history, entry_histories = _entry_histories(entries, followup)
    rows = [
        {**_entry_context(access, e), "history": trail}
        for e, trail in zip(entries, entry_histories, strict=True)
    ]
    counts = dict.fromkeys(FollowUpEntry.Execution.values, 0)
    colours = {"green": 0, "yellow": 0, "red": 0, "": 0}
    for entry in entries:
        counts[entry.execution_status] += 1
        colours[entry.assessment] += 1
    archived = archived_items(followup)
    return render(
        request,
        "followups/followup_detail.html",
        {
            "followup": followup,
            "breadcrumbs": followup_trail(followup),
            "plan": followup.plan,
            "rows": rows,
            "counts": counts,
            "colours": colours,
            "can_write": access.can_write_committee(followup.plan.committee),
            "can_delete": followup.is_open and not services.has_reported_entries(followup),
            "execution_labels": dict(FollowUpEntry.Execution.choices),
            "history": followup_history,
            "archived": archived,
            "archived_appendix": any(a.format == "xlsx" for a in archived),
        },
    )


@require_http_methods(["GET", "POST"])
def followup_delete(request: HttpRequest, followup_id: str) -> HttpResponse:
    access = access_for(request)
    followup = get_followup_for_user(access, followup_id, write=True)
    plan = followup.plan
    return confirm_then(
        request,
        title=f"Ta bort uppföljningen per {followup.cutoff:%Y-%m-%d}",
        text=f"Uppföljningen per {followup.cutoff:%Y-%m-%d} av plan {plan.year} tas bort. "
        "Inget är rapporterat i den än. Borttagningen sparas i händelseloggen.",
        button="Ta bort uppföljningen",
        danger=True,
        cancel_url=followup.get_absolute_url(),
        breadcrumbs=followup_trail(followup, "Ta bort"),
        check=lambda: services.followup_delete_refusal(followup),
        act=lambda: services.followup_delete(followup=followup, by=signed_in_user(request)),
        done=lambda _: ("Uppföljningen är borttagen.", plan.get_absolute_url()),
    )


@require_http_methods(["GET", "POST"])
def followup_edit(request: HttpRequest, followup_id: str) -> HttpResponse:
    access = access_for(request)
    followup = get_followup_for_user(access, followup_id, write=True)
    _refuse_if_reported(followup)
    initial = {}
    if not followup.summary:
        # Offer a draft written from the entries; the secretary edits it before saving.
        initial["summary"] = draft_summary(load_followup(followup))
    form = FollowUpEditForm(request.POST or None, instance=followup, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.followup_update(
            followup=followup,
            by=signed_in_user(request),
            **{k: form.cleaned_data[k] for k in form.changed_data},
        )
        messages.success(request, "Uppföljningens uppgifter är sparade.")
        return redirect("followups:followup_detail", followup_id=followup.public_id)
    return render(
        request,
        "followups/followup_edit.html",
        {
            "form": form,
            "followup": followup,
            "breadcrumbs": followup_trail(followup, "Ärendeuppgifter och sammanfattning"),
        },
    )


def _refuse_if_reported(followup: FollowUp) -> None:
    if not followup.is_open:
        raise PermissionDenied(services.FROZEN)


@require_http_methods(["GET", "POST"])
def followup_mark_reported(request: HttpRequest, followup_id: str) -> HttpResponse:
    access = access_for(request)
    followup = get_followup_for_user(access, followup_id, write=True)
    _refuse_if_reported(followup)
    unfinished = services.unfinished_entries(followup)
    warning = ""
    if unfinished:
        warning = (
            f"{len(unfinished)} av uppföljningens kontrollmoment är inte rapporterade. "
            "Rapportera till nämnden ändå."
        )
    form = FollowUpReportForm(
        request.POST or None,
        initial={
            "meeting_date": followup.meeting_date,
            "decision_paragraph": followup.decision_paragraph,
        },
        warning=warning,
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "confirmed"}
        try:
            services.followup_report(
                followup=followup, by=signed_in_user(request), on_reported=item_archive, **data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request, "Uppföljningen är rapporterad till nämnden, låst och ärendet arkiverat."
            )
            return redirect(followup.get_absolute_url())
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "followups/followup_mark_reported.html",
        {
            "form": form,
            "followup": followup,
            "unfinished": unfinished,
            "breadcrumbs": followup_trail(followup, "Rapportera till nämnden"),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def followup_reopen(request: HttpRequest, followup_id: str) -> HttpResponse:
    access = access_for(request)
    followup = get_followup_for_user(access, followup_id, write=True)
    if followup.is_open:
        raise PermissionDenied("Uppföljningen är redan öppen.")
    form = FollowUpReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.followup_reopen(
                followup=followup, by=signed_in_user(request), **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "Uppföljningen är öppnad igen.")
            return redirect(followup.get_absolute_url())
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "followups/followup_reopen.html",
        {"form": form, "followup": followup, "breadcrumbs": followup_trail(followup, "Öppna igen")},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def entry_edit(request: HtmxHttpRequest, entry_id: str) -> HttpResponse:
    access = access_for(request)
    entry = get_entry_for_user(access, entry_id, write=True)
    form = EntryForm(request.POST or None, entry=entry)
    add_version_field(form, entry)
    if request.method == "POST" and form.is_valid():

        def save() -> None:
            services.entry_record(entry=entry, by=signed_in_user(request), **form.cleaned_data)

        if save_form(form, entry, save):
            if request.htmx:
                entry = _entries_one(entry)
                return render(
                    request,
                    "followups/followup_detail.html#entry-card",
                    {**_entry_context(access, entry), "history": _entry_histories([entry])[1][0]},
                )
            entry.refresh_from_db(fields=["assessment"])
            verdict = entry.get_assessment_display() if entry.assessment else "ej bedömd"
            messages.success(
                request,
                f"Kontrollmoment {entry.control_point.number} är sparat. Bedömning: {verdict}.",
            )
            return redirect(_safe_next(request) or entry.followup.get_absolute_url())
    inline = bool(request.htmx)
    template = "followups/entry_edit.html#entry-form" if inline else "followups/entry_edit.html"
    status = 422 if request.method == "POST" else 200
    context = {
        "form": form,
        "entry": entry,
        "next": _safe_next(request),
        "inline": inline,
        "breadcrumbs": entry_trail(entry, "Resultat"),
    }
    if not inline and entry.control_point.is_quantitative:
        context["trends"] = trend_figures([("trend", point_trend(entry.control_point))])
    return render(request, template, context, status=status)


@require_safe
def entry_card(request: HttpRequest, entry_id: str) -> HttpResponse:
    """The read-only card of one entry, for htmx to put back after a cancelled edit."""
    access = access_for(request)
    entry = _entries_one(get_entry_for_user(access, entry_id))
    return render(
        request,
        "followups/followup_detail.html#entry-card",
        {**_entry_context(access, entry), "history": _entry_histories([entry])[1][0]},
    )


def _entries_one(entry: FollowUpEntry) -> FollowUpEntry:
    return _entries(entry.followup, only=entry)[0]


@require_http_methods(["GET", "POST"])
def deviation_create(request: HttpRequest, entry_id: str) -> HttpResponse:
    access = access_for(request)
    entry = get_entry_for_user(access, entry_id, write=True)
    form = DeviationForm(request.POST or None)
    add_token_field(form)
    if request.method == "POST" and form.is_valid():
        back = f"{entry.followup.get_absolute_url()}#post-{entry.public_id}"
        try:
            with submitted_once(form) as submission:
                services.deviation_register(
                    entry=entry, by=signed_in_user(request), **form.cleaned_data
                )
                submission.redirect_to = back
        except AlreadySubmitted as sent:
            messages.info(request, "Avvikelsen var redan registrerad och registrerades inte igen.")
            return redirect(sent.redirect_to or back)
        messages.success(request, "Avvikelsen är registrerad.")
        return redirect(back)
    return render(
        request,
        "followups/deviation_create.html",
        {"form": form, "entry": entry, "breadcrumbs": entry_trail(entry, "Ny avvikelse")},
    )


@require_http_methods(["GET", "POST"])
def action_create(request: HttpRequest, deviation_id: str) -> HttpResponse:
    access = access_for(request)
    deviation = get_deviation_for_user(access, deviation_id, write=True)
    org_id = deviation.entry.followup.plan.committee.organisation_id
    form = ActionForm(request.POST or None, organisation_id=org_id)
    add_token_field(form)
    if request.method == "POST" and form.is_valid():
        entry = deviation.entry
        back = f"{entry.followup.get_absolute_url()}#post-{entry.public_id}"
        try:
            with submitted_once(form) as submission:
                services.action_create(
                    deviation=deviation, by=signed_in_user(request), **form.cleaned_data
                )
                submission.redirect_to = back
        except AlreadySubmitted as sent:
            messages.info(request, "Åtgärden var redan registrerad och registrerades inte igen.")
            return redirect(sent.redirect_to or back)
        messages.success(request, "Åtgärden är registrerad.")
        return redirect(back)
    return render(
        request,
        "followups/action_create.html",
        {
            "form": form,
            "deviation": deviation,
            "breadcrumbs": entry_trail(deviation.entry, "Ny åtgärd"),
        },
    )


@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, action_id: str) -> HttpResponse:
    """The action's page: its status forms for those who may change it, read-only for the
    rest (auditors and politicians follow links to actions from every follow-up)."""
    access = access_for(request)
    action = get_action_for_user(access, action_id, write=request.method == "POST")
    form = ActionStatusForm(request.POST or None, initial={"status": action.status})
    close_form = ActionCloseForm(initial={"closed_on": timezone.localdate()})
    add_version_field(form, action)
    add_version_field(close_form, action)
    if request.method == "POST" and form.is_valid():

        def save() -> None:
            services.action_update(action=action, by=signed_in_user(request), **form.cleaned_data)

        if save_form(form, action, save):
            messages.success(request, "Åtgärdens status är sparad.")
            return redirect("followups:action_edit", action_id=action.public_id)
    return render(
        request,
        "followups/action_edit.html",
        {
            "form": form,
            "close_form": close_form,
            "action": action,
            "history": history(action),
            "breadcrumbs": entry_trail(action.deviation.entry, "Åtgärd"),
            "can_edit": access.can_edit_action(action),
        },
    )


@require_POST
def action_close(request: HttpRequest, action_id: str) -> HttpResponse:
    access = access_for(request)
    action = get_action_for_user(access, action_id, write=True)
    close_form = ActionCloseForm(request.POST)
    add_version_field(close_form, action)
    if close_form.is_valid():

        def save() -> None:
            services.action_close(
                action=action, by=signed_in_user(request), **close_form.cleaned_data
            )

        if save_form(close_form, action, save):
            messages.success(request, "Åtgärden är avslutad.")
            return redirect("followups:action_edit", action_id=action.public_id)
    form = ActionStatusForm(initial={"status": action.status})
    add_version_field(form, action)
    return render(
        request,
        "followups/action_edit.html",
        {
            "form": form,
            "close_form": close_form,
            "action": action,
            "history": history(action),
            "breadcrumbs": entry_trail(action.deviation.entry, "Åtgärd"),
            "can_edit": True,
        },
        status=422,
    )


# Reading a filled-in result sheet: upload, preview, confirm --------------------------------


def _results_preview(
    request: HttpRequest, followup: FollowUp, table: Table | None, source: str
) -> HttpResponse:
    """The rows that change an entry, as they will be saved, and every error on the way."""
    form = ResultsConfirmForm(
        initial={"source": source, "table": table_to_json(table) if table else ""}
    )
    add_token_field(form)
    context: dict[str, object] = {
        "form": form,
        "followup": followup,
        "breadcrumbs": followup_trail(followup, "Läs in resultat"),
        "errors": [],
        "changes": [],
        "status_labels": STATUS_LABELS,
    }
    rows: tuple[ResultRow, ...] = ()
    if table is None:
        context["errors"] = ["Förhandsvisningen kunde inte läsas. Ladda upp filen igen."]
    else:
        results = result_rows(table)
        rows = results.rows
        context["errors"] = [str(p) for p in results.problems]
    if rows and not context["errors"]:
        try:
            done = import_results(
                followup=followup,
                rows=rows,
                by=signed_in_user(request),
                source=source,
                dry_run=True,
            )
        except ValidationError as exc:
            context["errors"] = exc.messages
        else:
            context["changes"] = done.recorded
    status = 400 if context["errors"] else 200
    return render(request, "followups/results_import_preview.html", context, status=status)


@require_http_methods(["GET", "POST"])
def results_import(request: HttpRequest, followup_id: str) -> HttpResponse:
    access = access_for(request)
    followup = get_followup_for_user(access, followup_id, write=True)
    _refuse_if_reported(followup)
    form = ResultsUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        name = getattr(request.FILES.get("file"), "name", None) or "fil"
        try:
            grids = parse_upload(read_grids, form.cleaned_data["file"], name)
            table = read_results(grids).table
        except (InputError, LimitError) as exc:
            form.add_error("file", str(exc))
        else:
            return _results_preview(request, followup, table, name)
    return render(
        request,
        "followups/results_import.html",
        {
            "form": form,
            "followup": followup,
            "breadcrumbs": followup_trail(followup, "Läs in resultat"),
        },
        status=400 if form.errors else 200,
    )


@require_POST
def results_import_confirm(request: HttpRequest, followup_id: str) -> HttpResponse:
    access = access_for(request)
    followup = get_followup_for_user(access, followup_id, write=True)
    _refuse_if_reported(followup)
    form = ResultsConfirmForm(request.POST)
    add_token_field(form)
    if not form.is_valid():
        return _results_preview(request, followup, None, "")
    table, source = form.cleaned_data["table"], form.cleaned_data["source"]
    results = result_rows(table)
    try:
        refuse_result_problems(results)
        with submitted_once(form) as submission:
            done = import_results(
                followup=followup, rows=results.rows, by=signed_in_user(request), source=source
            )
            submission.redirect_to = followup.get_absolute_url()
    except AlreadySubmitted as sent:
        messages.info(request, "Resultaten var redan inlästa och lästes inte in igen.")
        return redirect(sent.redirect_to or followup.get_absolute_url())
    except (InputError, ValidationError):
        return _results_preview(request, followup, table, source)
    messages.success(request, f"{len(done.recorded)} resultat är inlästa.")
    return redirect(followup.get_absolute_url())
