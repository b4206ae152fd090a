"""Downloads of committee documents: the follow-up report and the plan, in three formats."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_safe

from ik.access.core import (
    access_for,
    get_archived_item_for_user,
    get_followup_for_user,
    get_organisation_for_user,
    get_plan_for_user,
)
from ik.followups.models import FollowUp
from ik.lib.breadcrumbs import organisation_trail
from ik.org.actors import signed_in_user
from ik.reports.document import Document
from ik.reports.forms import DocumentWordingForm
from ik.reports.models import ArchivedItem, ArchivedItemError, DocumentWording
from ik.reports.queries import (
    followup_document,
    item_document,
    plan_document,
    protocol_document,
    result_sheet_document,
    word_template,
)
from ik.reports.render import FORMATS
from ik.reports.render import render as render_document
from ik.reports.services import document_wording_save, latest_archive

logger = logging.getLogger(__name__)


def _archived_bytes(
    request: HttpRequest, archived: ArchivedItem, fmt: str, stem: str
) -> HttpResponse:
    """The archived file, or a page saying it was changed on disk since the decision."""
    try:
        data = archived.read()
    except ArchivedItemError as error:
        logger.error("Archived item %s does not match its SHA-256", archived.public_id)
        context = {"title": "Den arkiverade filen är ändrad", "text": str(error), "status": 500}
        return render(request, "error.html", context, status=500)
    return _download(data, fmt, stem)


def _download(data: bytes, fmt: str, stem: str) -> HttpResponse:
    response = HttpResponse(data, content_type=FORMATS[fmt].content_type)
    response["Content-Disposition"] = f'attachment; filename="{slugify(stem)}.{fmt}"'
    return response


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Http404("Okänt format.")
    return fmt


def _current(followup: FollowUp, document: Document, fmt: str, stem: str) -> HttpResponse:
    """The document from today's data; once the follow-up is reported, named as such, so
    nobody files it as what the committee decided on."""
    if not followup.is_open:
        stem += "-aktuella-uppgifter"
    template = word_template(followup.plan.committee.organisation)
    return _download(render_document(document, fmt, template), fmt, stem)


def _archived(request: HttpRequest, followup: FollowUp, fmt: str, stem: str) -> HttpResponse | None:
    """The bytes archived when a reported follow-up was decided on, unless `?aktuellt=1`
    asks for today's data; None when there are none."""
    if followup.is_open or request.GET.get("aktuellt") == "1":
        return None
    archived = latest_archive(followup, fmt)
    if archived is None:
        return None
    return _archived_bytes(request, archived, fmt, f"{stem}-arkiverat")


@require_safe
def followup_report(request: HttpRequest, followup_id: str, fmt: str) -> HttpResponse:
    """Tjänsteskrivelse and appendix. A reported follow-up's spreadsheet is the appendix
    archived at the decision; its Word and PDF are today's data, named so."""
    followup = get_followup_for_user(access_for(request), followup_id)
    fmt = _format(fmt)
    committee = followup.plan.committee.code
    stem = f"uppfoljning-internkontrollplan-{committee}-{followup.cutoff:%Y-%m-%d}"
    if fmt == ArchivedItem.Format.XLSX and (found := _archived(request, followup, fmt, stem)):
        return found
    return _current(followup, followup_document(followup), fmt, stem)


@require_safe
def followup_item(request: HttpRequest, followup_id: str, fmt: str) -> HttpResponse:
    """Hela ärendet: protocol extract (once recorded), tjänsteskrivelse and appendix.

    A reported follow-up gives the item archived at the decision; `?aktuellt=1` gives one
    rendered from today's data instead, named so in its file name.
    """
    followup = get_followup_for_user(access_for(request), followup_id)
    fmt = _format(fmt)
    stem = f"arende-internkontroll-{followup.plan.committee.code}-{followup.cutoff:%Y-%m-%d}"
    if fmt != ArchivedItem.Format.XLSX and (found := _archived(request, followup, fmt, stem)):
        return found
    return _current(followup, item_document(followup), fmt, stem)


@require_safe
def followup_protocol(request: HttpRequest, followup_id: str, fmt: str) -> HttpResponse:
    """The protocol extract alone, from today's data (the archived item begins with it)."""
    followup = get_followup_for_user(access_for(request), followup_id)
    if not followup.has_protocol:
        raise Http404("Uppföljningen har inget protokollsutdrag.")
    fmt = _format(fmt)
    stem = f"protokollsutdrag-{followup.plan.committee.code}-{followup.cutoff:%Y-%m-%d}"
    return _current(followup, protocol_document(followup), fmt, stem)


@require_safe
def archived_item(request: HttpRequest, archive_id: str) -> HttpResponse:
    """One archived version of a follow-up's item, as it was stored at the decision."""
    archived = get_archived_item_for_user(access_for(request), archive_id)
    followup = archived.followup
    kind = "bilaga" if archived.format == ArchivedItem.Format.XLSX else "arende"
    stem = (
        f"{kind}-internkontroll-{followup.plan.committee.code}-{followup.cutoff:%Y-%m-%d}"
        f"-arkiverat-{timezone.localtime(archived.archived_at):%Y%m%d-%H%M%S}"
    )
    return _archived_bytes(request, archived, archived.format, stem)


@require_safe
def plan_report(request: HttpRequest, plan_id: str, fmt: str) -> HttpResponse:
    plan = get_plan_for_user(access_for(request), plan_id)
    document = plan_document(plan)
    stem = f"internkontrollplan-{plan.committee.code}-{plan.year}"
    template = word_template(plan.committee.organisation)
    return _download(render_document(document, _format(fmt), template), fmt, stem)


@require_safe
def result_sheet(request: HttpRequest, followup_id: str) -> HttpResponse:
    """The follow-up as a sheet for units to fill in and send back."""
    followup = get_followup_for_user(access_for(request), followup_id)
    committee = followup.plan.committee.code
    stem = f"resultatblad-{committee}-{followup.cutoff:%Y-%m-%d}"
    return _download(render_document(result_sheet_document(followup), "xlsx"), "xlsx", stem)


@require_http_methods(["GET", "POST"])
def document_wording(request: HttpRequest, org: str, kind: str) -> HttpResponse:
    """The organisation's own title, headings, basis and proposer for a kind of document."""
    access = access_for(request)
    organisation = get_organisation_for_user(access, org)
    if kind not in DocumentWording.Kind.values:
        raise Http404("Okänd handling.")
    if not access.is_controller(organisation):
        raise PermissionDenied("Bara organisationens controller kan ändra formuleringarna.")
    instance = DocumentWording.objects.filter(organisation=organisation, kind=kind).first()
    form = DocumentWordingForm(request.POST or None, instance=instance, kind=kind)
    if request.method == "POST" and form.is_valid():
        document_wording_save(
            organisation=organisation,
            kind=kind,
            by=signed_in_user(request),
            fields={name: form.cleaned_data[name] for name in form.changed_data},
        )
        messages.success(request, "Formuleringarna är sparade.")
        return redirect("reports:document_wording", org=organisation.code, kind=kind)
    label = DocumentWording.Kind(kind).label
    return render(
        request,
        "reports/document_wording.html",
        {
            "form": form,
            "organisation": organisation,
            "kind_label": label,
            "breadcrumbs": organisation_trail(organisation, "Formuleringar"),
        },
    )
