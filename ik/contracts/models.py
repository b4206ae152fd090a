"""The organisation's contract register (avtalsregister) and how its procurement is checked.

The register is what the contract-compliance and direct-procurement controls read: one row per
supplier and contract, valid from one day to another (both included), or until further notice.
`orgnr` holds the key of `ik.engine.contracts.orgnr_key` (ten digits, or a foreign VAT number)
so that the register matches ledger rows however the finance system wrote the number.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from ik.engine.contracts import ID_LENGTH, SUPPLIER_LENGTH, TEXT_LENGTH, format_orgnr
from ik.org.models import Organisation


class Contract(models.Model):
    """One supplier's part of a contract."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="contracts",
        verbose_name="organisation",
    )
    supplier = models.CharField("leverantör", max_length=SUPPLIER_LENGTH)
    orgnr = models.CharField("organisationsnummer", max_length=20, blank=True)
    contract_id = models.CharField("avtals-id", max_length=ID_LENGTH)
    title = models.CharField("avtalets namn", max_length=TEXT_LENGTH, blank=True)
    category = models.CharField("kategori", max_length=TEXT_LENGTH, blank=True)
    valid_from = models.DateField("giltigt från")
    valid_to = models.DateField("giltigt till", null=True, blank=True)
    framework = models.BooleanField("ramavtal", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField("version", default=1, editable=False)

    class Meta:
        verbose_name = "avtal"
        verbose_name_plural = "avtal"
        ordering = ["supplier", "contract_id"]
        indexes = [models.Index(fields=["organisation", "supplier"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="contract_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.supplier}"

    @property
    def orgnr_display(self) -> str:
        return format_orgnr(self.orgnr)


class ProcurementSettings(models.Model):
    """How the organisation wants its procurement controls run; defaults when it has none."""

    class Window(models.TextChoices):
        CALENDAR_YEAR = "calendar", "Kalenderår"
        ROLLING = "rolling", "Rullande tolv månader"

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="procurement_settings",
        verbose_name="organisation",
    )
    window = models.CharField(
        "period för direktupphandling",
        max_length=10,
        choices=Window,
        default=Window.CALENDAR_YEAR,
        help_text="Över vilken period köpen från en leverantör läggs samman.",
    )
    direct_procurement_limit = models.DecimalField(
        "egen direktupphandlingsgräns (kr)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(1))],
        help_text="Lämna tomt för lagens gräns vid varje datum (LOU, 700 000 kr från "
        "1 februari 2022). Ange ett belopp om organisationen har en lägre gräns.",
    )
    compliance_target = models.DecimalField(
        "mål för avtalstrohet (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal(90),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text="Lägsta andel av inköpen som ska ske från leverantörer med giltigt avtal.",
    )

    class Meta:
        verbose_name = "inställningar för upphandlingskontroller"
        verbose_name_plural = "inställningar för upphandlingskontroller"

    def __str__(self) -> str:
        return f"Upphandlingskontroller, {self.organisation}"
