"""Committee items as they were when the committee decided: archived, never changed."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from ik.followups.models import FollowUp
from ik.org.models import Organisation, Person


class ArchivedItemError(Exception):
    """An archived item was to be changed or removed."""


class ArchivedItem(models.Model):
    """The whole item of a follow-up in one format, stored when it was reported; in Excel,
    the item's appendix, which is what a spreadsheet of the item holds.

    Later downloads of the reported follow-up return these bytes, so what the committee
    decided on stays the same whatever changes in the data afterwards. The model refuses
    to save or delete a stored row, and the database refuses UPDATE and DELETE too
    (migration 0006), so raw SQL and QuerySet.update() cannot either.
    """

    class Format(models.TextChoices):
        PDF = "pdf", "PDF/A"
        DOCX = "docx", "Word"
        XLSX = "xlsx", "Excel (bilagan)"

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
        """The stored bytes. ArchivedItemError when they no longer match the SHA-256 taken
        at the decision: changed bytes are never passed off as what the committee saw."""
        with self.file.open("rb") as fh:
            data = bytes(fh.read())
        if hashlib.sha256(data).hexdigest() != self.sha256:
            when = timezone.localtime(self.archived_at)
            raise ArchivedItemError(
                f"Den arkiverade filen ({self.get_format_display()}, arkiverad "
                f"{when:%Y-%m-%d %H:%M}) stämmer inte längre med sin SHA-256 och lämnas inte ut. "
                "Kontakta den som ansvarar för IK:s drift."
            )
        return data


class DocumentWording(models.Model):
    """An organisation's own title, headings, beslutsunderlag and proposer for a kind of
    document, so its items read as its committees write them. Blank fields keep IK's."""

    class Kind(models.TextChoices):
        FOLLOWUP = "followup", "Uppföljning av internkontrollplan (tjänsteskrivelse)"
        PLAN = "plan", "Internkontrollplan"
        OVERSIGHT = "oversight", "Samlad uppföljning av internkontroll"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="document_wordings"
    )
    kind = models.CharField("handling", max_length=20, choices=Kind)
    title = models.CharField(
        "rubrik",
        max_length=200,
        blank=True,
        help_text="T.ex. ”Tillsynsrapport {år} – Beslut”. {år}, {datum} och {nämnd} fylls i.",
    )
    background_heading = models.CharField(
        "rubrik för bakgrunden", max_length=100, blank=True, help_text="Tomt: Bakgrund."
    )
    summary_heading = models.CharField(
        "rubrik för sammanfattningen",
        max_length=100,
        blank=True,
        help_text="Tomt: Sammanfattning. Samma rubrik som för bakgrunden ger ett enda avsnitt, "
        "t.ex. ”Ärendebeskrivning”.",
    )
    basis = models.TextField(
        "beslutsunderlag",
        blank=True,
        help_text="Ett underlag per rad; {rubrik} blir handlingens rubrik. Tomt: Missiv och "
        "handlingens rubrik.",
    )
    proposer = models.CharField(
        "rubrik för förslaget till beslut",
        max_length=200,
        blank=True,
        help_text="T.ex. ”Förvaltningens förslag till beslut”. Tomt: förvaltningens eller "
        "arbetsutskottets förslag enligt uppföljningen.",
    )

    class Meta:
        verbose_name = "formulering för handling"
        verbose_name_plural = "formuleringar för handlingar"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind"], name="one_wording_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.organisation}"

    def basis_lines(self) -> tuple[str, ...]:
        return tuple(line.strip() for line in self.basis.splitlines() if line.strip())


class OversightCase(models.Model):
    """The case details of the consolidated follow-up per a cut-off: what the follow-up
    item carries, so the board's document can be filed as it is."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="oversight_cases"
    )
    year = models.PositiveIntegerField("år")
    cutoff = models.DateField("per datum")
    case_number = models.CharField("diarienummer", max_length=40, blank=True)
    document_date = models.DateField(
        "datum för handlingen",
        null=True,
        blank=True,
        help_text="Tomt: dagens datum när handlingen skrivs ut.",
    )
    case_officer = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="handläggare",
    )
    proposed_decisions = models.TextField(
        "förslag till beslut",
        blank=True,
        help_text="En beslutspunkt per rad. Tomt: styrelsen godkänner den samlade uppföljningen.",
    )
    distribution = models.TextField(
        "beslutet skickas till", blank=True, help_text="En mottagare per rad."
    )

    class Meta:
        verbose_name = "ärende för samlad uppföljning"
        verbose_name_plural = "ärenden för samlad uppföljning"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "cutoff"], name="one_oversight_case_per_cutoff"
            )
        ]

    def __str__(self) -> str:
        return f"Samlad uppföljning per {self.cutoff:%Y-%m-%d}, {self.organisation}"
