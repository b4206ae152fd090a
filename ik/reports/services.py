"""Writes of the reports app: archiving the committee item at decision."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ik.followups.models import FollowUp
from ik.org.actors import Actor, user_or_none
from ik.org.audit import audit_changes, audit_record, snapshot
from ik.org.models import Organisation
from ik.reports.models import ArchivedItem, DocumentWording, OversightCase
from ik.reports.queries import followup_document, item_document, word_template
from ik.reports.render import render


@transaction.atomic
def item_archive(*, followup: FollowUp, by: Actor) -> list[ArchivedItem]:
    """Store the follow-up's whole item as PDF/A and DOCX, and its appendix as XLSX, each
    with SHA-256 and the time."""
    organisation = followup.plan.committee.organisation
    whole, appendix = item_document(followup), followup_document(followup)
    template = word_template(organisation)
    now = timezone.now().replace(microsecond=0)
    stem = f"arende-{followup.plan.committee.code}-{followup.cutoff:%Y-%m-%d}-{now:%Y%m%d%H%M%S}"
    archived = []
    for fmt, document in (
        (ArchivedItem.Format.PDF, whole),
        (ArchivedItem.Format.DOCX, whole),
        (ArchivedItem.Format.XLSX, appendix),
    ):
        data = render(document, fmt.value, template)
        item = ArchivedItem(
            followup=followup,
            format=fmt,
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            archived_at=now,
            archived_by=user_or_none(by),
        )
        item.file.save(f"{stem}.{fmt.value}", ContentFile(data), save=False)
        item.save()
        archived.append(item)
    audit_record(
        organisation=organisation,
        actor=by,
        action="item_archive",
        obj=followup,
        summary=f"Arkiverade ärendet för {followup} som PDF/A och Word, bilagan som Excel",
        changes={item.format: item.sha256 for item in archived},
    )
    return archived


@transaction.atomic
def document_wording_save(
    *, organisation: Organisation, kind: str, by: Actor, fields: dict[str, Any]
) -> DocumentWording:
    """Store the organisation's own words for a kind of document."""
    wording, _ = DocumentWording.objects.get_or_create(organisation=organisation, kind=kind)
    names = list(fields)
    before = snapshot(wording, names)
    for name, value in fields.items():
        setattr(wording, name, value)
    wording.full_clean()
    wording.save()
    audit_changes(
        organisation=organisation,
        actor=by,
        action="document_wording_save",
        obj=wording,
        fields=names,
        before=before,
        summary=f"Ändrade formuleringarna för {wording.get_kind_display().lower()}",
    )
    return wording


@transaction.atomic
def oversight_case_save(
    *, organisation: Organisation, year: int, cutoff: date, by: Actor, fields: dict[str, Any]
) -> OversightCase:
    """Store the consolidated follow-up's diarienummer, date, handläggare and decision."""
    case, _ = OversightCase.objects.get_or_create(
        organisation=organisation, year=year, cutoff=cutoff
    )
    names = list(fields)
    before = snapshot(case, names)
    for name, value in fields.items():
        setattr(case, name, value)
    case.full_clean()
    case.save()
    audit_changes(
        organisation=organisation,
        actor=by,
        action="oversight_case_save",
        obj=case,
        fields=names,
        before=before,
        summary=f"Ändrade ärendeuppgifterna för {case}",
    )
    return case


def archived_items(followup: FollowUp) -> list[ArchivedItem]:
    """Every item archived for the follow-up, newest first."""
    return list(ArchivedItem.objects.filter(followup=followup))


def latest_archive(followup: FollowUp, fmt: str) -> ArchivedItem | None:
    """The item archived at the follow-up's latest reporting, in `fmt`, if any."""
    items = ArchivedItem.objects.filter(followup=followup, format=fmt)
    return items.order_by("-archived_at", "-id").first()
