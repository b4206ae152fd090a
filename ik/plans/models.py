"""Internal control plans: one per committee and year, with processes and control points."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from ik.engine.result import Direction as EngineDirection
from ik.org.models import Committee, Organisation, Person

MIN_YEAR = 2000
MAX_YEAR = 2100


class Direction(models.TextChoices):
    AT_MOST = EngineDirection.AT_MOST.value, "högst"
    AT_LEAST = EngineDirection.AT_LEAST.value, "minst"


class Measure(models.Model):
    """Fields shared by control points and common definitions with a quantitative target."""

    measure_unit = models.CharField(
        "enhet för mätvärde", max_length=20, blank=True, help_text="T.ex. %, st, dagar."
    )
    target = models.DecimalField("mål", max_digits=14, decimal_places=4, null=True, blank=True)
    direction = models.CharField(
        "riktning", max_length=10, choices=Direction, default=Direction.AT_MOST
    )
    warning_limit = models.DecimalField(
        "gräns för gult",
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="Utanför målet men inom denna gräns blir bedömningen gul i stället för röd.",
    )

    class Meta:
        abstract = True

    @property
    def is_quantitative(self) -> bool:
        return self.target is not None


class CommonControlPoint(Measure):
    """A control point the executive board decides for every committee's plan.

    Swedish: kommungemensamt kontrollmoment.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="common_control_points"
    )
    year = models.PositiveIntegerField("år")
    process = models.CharField("process", max_length=200)
    question = models.TextField("kontrollmoment")
    method = models.TextField("kontrollmetod")
    owner_text = models.CharField("kontrollansvarig", max_length=200)
    frequency = models.CharField("tidpunkt/frekvens", max_length=120)

    class Meta:
        verbose_name = "kommungemensamt kontrollmoment"
        verbose_name_plural = "kommungemensamma kontrollmoment"
        ordering = ["year", "process"]

    def __str__(self) -> str:
        return f"{self.process} ({self.year})"


class Plan(models.Model):
    """A committee's internal control plan for one year."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Utkast"
        ADOPTED = "adopted", "Fastställd"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="plans", verbose_name="nämnd"
    )
    year = models.PositiveIntegerField(
        "år", validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
    )
    status = models.CharField("status", max_length=10, choices=Status, default=Status.DRAFT)
    decided_on = models.DateField("beslutsdatum", null=True, blank=True)
    decision_paragraph = models.CharField(
        "paragraf", max_length=20, blank=True, help_text="T.ex. § 276."
    )
    case_number = models.CharField(
        "diarienummer", max_length=60, blank=True, help_text="T.ex. KS/2017:335."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "internkontrollplan"
        verbose_name_plural = "internkontrollplaner"
        ordering = ["-year", "committee__name"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "year"], name="one_plan_per_year"),
        ]

    def __str__(self) -> str:
        return f"Internkontrollplan {self.year}, {self.committee}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("plans:plan_detail", kwargs={"plan_id": self.public_id})

    @property
    def is_adopted(self) -> bool:
        return self.status == self.Status.ADOPTED

    @property
    def decision_reference(self) -> str:
        """ "§ 276/2017-12-06", as committee documents cite a decision."""
        if not self.decided_on:
            return ""
        paragraph = self.decision_paragraph.strip()
        if paragraph and not paragraph.startswith("§"):
            paragraph = f"§ {paragraph}"
        date = self.decided_on.isoformat()
        return f"{paragraph}/{date}" if paragraph else date


class Process(models.Model):
    """The area a control point belongs to (process, routine or system)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="processes")
    name = models.CharField("process", max_length=200)
    position = models.PositiveIntegerField("ordning", default=0)

    class Meta:
        verbose_name = "process"
        verbose_name_plural = "processer"
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="process_name_unique_in_plan"),
        ]

    def __str__(self) -> str:
        return self.name


class ControlPoint(Measure):
    """A question the committee checks (kontrollmoment), with method, owner and frequency."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="control_points")
    process = models.ForeignKey(
        Process, on_delete=models.PROTECT, related_name="control_points", verbose_name="process"
    )
    position = models.PositiveIntegerField("nummer", default=0)
    question = models.TextField("kontrollmoment")
    method = models.TextField("kontrollmetod")
    owner_text = models.CharField(
        "kontrollansvarig",
        max_length=200,
        help_text="Rollen, t.ex. ”Ekonomichef, Ekonomiska avdelningen”.",
    )
    owner_person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="control_points",
        verbose_name="ansvarig person",
    )
    frequency = models.CharField(
        "tidpunkt/frekvens", max_length=120, help_text="T.ex. ”2 gånger per år”."
    )
    common = models.ForeignKey(
        CommonControlPoint,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="control_points",
        verbose_name="kommungemensam definition",
    )
    local_note = models.TextField("nämndens anteckning", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "kontrollmoment"
        verbose_name_plural = "kontrollmoment"
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "common"],
                name="common_point_once_per_plan",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.process.name}"

    @property
    def is_common(self) -> bool:
        return self.common_id is not None

    @property
    def process_label(self) -> str:
        """The Process column as committee documents print it."""
        suffix = " (kommungemensamt)" if self.is_common else ""
        return f"{self.position}. {self.process.name}{suffix}"
