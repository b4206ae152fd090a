"""Writes of the reports app: archiving the committee item at decision."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ik.followups.models import FollowUp
from ik.org.actors import Actor, user_or_none
from ik.org.audit import audit_record
from ik.reports.models import ArchivedItem
from ik.reports.queries import item_document, word_template
from ik.reports.render import render


@transaction.atomic
def item_archive(*, followup: FollowUp, by: Actor) -> list[ArchivedItem]:
    """Store the follow-up's whole item as PDF/A and DOCX, with SHA-256 and the time."""
    organisation = followup.plan.committee.organisation
    document = item_document(followup)
    now = timezone.now().replace(microsecond=0)
    stem = f"arende-{followup.plan.committee.code}-{followup.cutoff:%Y-%m-%d}-{now:%Y%m%d%H%M%S}"
    archived = []
    for fmt in (ArchivedItem.Format.PDF, ArchivedItem.Format.DOCX):
        data = render(document, fmt.value, word_template(organisation))
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
        summary=f"Arkiverade ärendet för {followup} som PDF/A och Word",
        changes={item.format: item.sha256 for item in archived},
    )
    return archived


def archived_items(followup: FollowUp) -> list[ArchivedItem]:
    """Every item archived for the follow-up, newest first."""
    return list(ArchivedItem.objects.filter(followup=followup))


def latest_archive(followup: FollowUp, fmt: str) -> ArchivedItem | None:
    """The item archived at the follow-up's latest reporting, in `fmt`, if any."""
    items = ArchivedItem.objects.filter(followup=followup, format=fmt)
    return items.order_by("-archived_at", "-id").first()
