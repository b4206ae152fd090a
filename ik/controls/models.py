"""Evidence from automated controls, stored on the follow-up entry it supports."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from ik.followups.models import FollowUpEntry


class ControlRun(models.Model):
    """One run of an engine control: its parameters, input fingerprint and full result.

    The stored result is the engine's JSON, so an auditor can rerun the control on the same
    file (same SHA-256) with the same parameters and compare.
    """

    class Verdict(models.TextChoices):
        GREEN = "green", "Grön"
        YELLOW = "yellow", "Gul"
        RED = "red", "Röd"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    entry = models.ForeignKey(FollowUpEntry, on_delete=models.PROTECT, related_name="control_runs")
    control = models.CharField("kontroll", max_length=60)
    parameters = models.JSONField("parametrar", default=dict)
    input_sha256 = models.CharField("indatas SHA-256", max_length=64)
    input_name = models.CharField("filnamn", max_length=255, blank=True)
    rows = models.PositiveBigIntegerField("rader", default=0)
    value = models.FloatField("värde", null=True, blank=True)
    verdict = models.CharField("bedömning", max_length=10, choices=Verdict)
    summary = models.TextField("sammanfattning")
    result = models.JSONField("resultat")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "kontrollkörning"
        verbose_name_plural = "kontrollkörningar"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.control} {self.created_at:%Y-%m-%d %H:%M}: {self.get_verdict_display()}"
