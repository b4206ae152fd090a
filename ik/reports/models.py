"""Committee items as they were when the committee decided: archived, never changed."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models

from ik.followups.models import FollowUp


class ArchivedItemError(Exception):
    """An archived item was to be changed or removed."""


class ArchivedItem(models.Model):
    """The whole item of a follow-up in one format, stored when it was reported.

    Later downloads of the reported follow-up return these bytes, so what the committee
    decided on stays the same whatever changes in the data afterwards.
    """

    class Format(models.TextChoices):
        PDF = "pdf", "PDF/A"
        DOCX = "docx", "Word"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    followup = models.ForeignKey(
        FollowUp, on_delete=models.PROTECT, related_name="archived_items", editable=False
    )
    format = models.CharField("format", max_length=4, choices=Format, editable=False)
    file = models.FileField("fil", upload_to="arkiv/", editable=False)
    sha256 = models.CharField("SHA-256", max_length=64, editable=False)
    size = models.PositiveIntegerField("storlek i byte", editable=False)
    archived_at = models.DateTimeField("arkiverad", editable=False)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = "arkiverat ärende"
        verbose_name_plural = "arkiverade ärenden"
        ordering = ["-archived_at", "format"]

    def __str__(self) -> str:
        return f"{self.followup}, {self.get_format_display()}, {self.archived_at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ArchivedItemError("Ett arkiverat ärende kan inte ändras.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ArchivedItemError("Ett arkiverat ärende kan inte tas bort.")

    def read(self) -> bytes:
        with self.file.open("rb") as fh:
            return bytes(fh.read())
