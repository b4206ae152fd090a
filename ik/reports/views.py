"""Downloads of committee documents: the follow-up report and the plan, in three formats."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from ik.access.core import access_for, get_followup_for_user, get_plan_for_user
from ik.org.models import Organisation
from ik.reports.queries import followup_document, plan_document, result_sheet_document
from ik.reports.render import FORMATS, render


def _download(data: bytes, fmt: str, stem: str) -> HttpResponse:
    response = HttpResponse(data, content_type=FORMATS[fmt].content_type)
    response["Content-Disposition"] = f'attachment; filename="{slugify(stem)}.{fmt}"'
    return response


def _template(organisation: Organisation) -> bytes | None:
    if not organisation.word_template:
        return None
    with organisation.word_template.open("rb") as fh:
        data: bytes = fh.read()
    return data


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Http404("Okänt format.")
    return fmt


@require_safe
def followup_report(request: HttpRequest, followup_id: str, fmt: str) -> HttpResponse:
    followup = get_followup_for_user(access_for(request), followup_id)
    document = followup_document(followup)
    committee = followup.plan.committee.code
    stem = f"uppfoljning-internkontrollplan-{committee}-{followup.cutoff:%Y-%m-%d}"
    template = _template(followup.plan.committee.organisation)
    return _download(render(document, _format(fmt), template), fmt, stem)


@require_safe
def plan_report(request: HttpRequest, plan_id: str, fmt: str) -> HttpResponse:
    plan = get_plan_for_user(access_for(request), plan_id)
    document = plan_document(plan)
    stem = f"internkontrollplan-{plan.committee.code}-{plan.year}"
    template = _template(plan.committee.organisation)
    return _download(render(document, _format(fmt), template), fmt, stem)


@require_safe
def result_sheet(request: HttpRequest, followup_id: str) -> HttpResponse:
    """The follow-up as a sheet for units to fill in and send back."""
    followup = get_followup_for_user(access_for(request), followup_id)
    committee = followup.plan.committee.code
    stem = f"resultatblad-{committee}-{followup.cutoff:%Y-%m-%d}"
    return _download(render(result_sheet_document(followup), "xlsx"), "xlsx", stem)
