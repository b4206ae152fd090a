"""Automated control runs and their evidence, and saved column mappings for ledgers."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from ik.engine.controls.registry import control_label
from ik.followups.models import Deviation, FollowUpEntry
from ik.lib.swedish import VERDICT_LABELS
from ik.org.models import Organisation


class ControlRun(models.Model):
    """One run of an engine control on a follow-up entry.

    The input files are stored content-addressed (by SHA-256) and the full engine result is
    kept as JSON, so an auditor can rerun the control on the same files with the same
    arguments and compare. A failed run keeps its error message and nothing else: it sets no
    value on the entry and is not evidence.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "I kö"
        RUNNING = "running", "Körs"
        DONE = "done", "Klar"
        FAILED = "failed", "Misslyckades"

    class Verdict(models.TextChoices):
        GREEN = "green", VERDICT_LABELS["green"]
        YELLOW = "yellow", VERDICT_LABELS["yellow"]
        RED = "red", VERDICT_LABELS["red"]

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    entry = models.ForeignKey(FollowUpEntry, on_delete=models.PROTECT, related_name="control_runs")
    control = models.CharField("kontroll", max_length=60)
    status = models.CharField("status", max_length=10, choices=Status, default=Status.QUEUED)
    progress = models.CharField("förlopp", max_length=200, blank=True)
    error = models.TextField("fel", blank=True)
    arguments = models.JSONField(
        "argument", default=list, help_text="Kontrollens argument utom filerna."
    )
    files = models.JSONField(
        "filer", default=dict, help_text="Indatafiler: roll → namn, lagring och SHA-256."
    )
    parameters = models.JSONField("parametrar", default=dict)
    input_sha256 = models.CharField("indatas SHA-256", max_length=64, blank=True)
    input_name = models.CharField("filnamn", max_length=255, blank=True)
    rows = models.PositiveBigIntegerField("rader", default=0)
    value = models.FloatField("värde", null=True, blank=True)
    verdict = models.CharField("bedömning", max_length=10, choices=Verdict, blank=True)
    summary = models.TextField("sammanfattning", blank=True)
    result = models.JSONField("resultat", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Written by the worker while the run is "Körs"; a run whose heartbeat is older than
    # IK_CONTROL_RUN_LEASE_SECONDS lost its worker (see ik/controls/lease.py).
    heartbeat_at = models.DateTimeField("senaste livstecken", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # The automatic deviation this run raised or brought up to date (one per control and entry).
    deviation = models.ForeignKey(
        Deviation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="control_runs",
    )

    class Meta:
        verbose_name = "kontrollkörning"
        verbose_name_plural = "kontrollkörningar"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="done") | models.Q(result__isnull=False),
                name="finished_run_has_result",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{control_label(self.control)} {self.created_at:%Y-%m-%d %H:%M}: "
            f"{self.get_status_display()}"
        )

    @property
    def control_label(self) -> str:
        return control_label(self.control)

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class LedgerMapping(models.Model):
    """An organisation's own column mapping for its finance-system export."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="ledger_mappings"
    )
    name = models.CharField("namn", max_length=100)
    columns = models.JSONField("kolumner", default=dict, help_text="Fält → kolumnrubrik.")
    header_row = models.PositiveIntegerField(
        "rubrikrad",
        null=True,
        blank=True,
        help_text="Raden med kolumnrubriker, när rubrikrader står ovanför den.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "kolumnmappning"
        verbose_name_plural = "kolumnmappningar"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="ledger_mapping_name_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name
