"""Internal control plans: one per committee and year, with processes and control points."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from ik.engine.result import Direction as EngineDirection
from ik.org.models import Committee, Organisation, Person, Unit

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
        SUBMITTED = "submitted", "Inskickad"
        ADOPTED = "adopted", "Fastställd"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Moved on by one at every save through a form; a form opened at an older one is stale.
    version = models.PositiveIntegerField("version", default=1, editable=False)
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
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

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
    """A question the committee checks (kontrollmoment), with method, owner and frequency.

    A point is a control (kontroll, granskning), or a direct action (direktåtgärd) that the
    committee decided to take instead and follows up only as done or not done.
    """

    class Kind(models.TextChoices):
        CONTROL = "control", "Kontroll/granskning"
        DIRECT_ACTION = "direct_action", "Direktåtgärd"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Moved on by one at every save through a form; a form opened at an older one is stale.
    version = models.PositiveIntegerField("version", default=1, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="control_points")
    process = models.ForeignKey(
        Process, on_delete=models.PROTECT, related_name="control_points", verbose_name="process"
    )
    position = models.PositiveIntegerField("nummer", default=0)
    code = models.CharField(
        "kod", max_length=20, blank=True, help_text="Planens egen numrering, t.ex. V1 eller P."
    )
    kind = models.CharField("typ", max_length=14, choices=Kind, default=Kind.CONTROL)
    question = models.TextField("kontrollmoment")
    purpose = models.TextField("syfte", blank=True)
    scope = models.TextField("omfattning/avgränsning", blank=True)
    method = models.TextField("kontrollmetod", blank=True)
    owner_text = models.CharField(
        "kontrollansvarig",
        max_length=200,
        help_text="Rollen, t.ex. ”Ekonomichef, Ekonomiska avdelningen”.",
    )
    unit_text = models.CharField(
        "ansvarig enhet", max_length=200, blank=True, help_text="T.ex. ”Miljöförvaltningen”."
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="control_points",
        verbose_name="enhet i organisationen",
        help_text="Nämndens enhet, när den finns i registret.",
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
        "tidpunkt/frekvens", max_length=120, blank=True, help_text="T.ex. ”2 gånger per år”."
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
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="repeats",
        verbose_name="förra årets kontrollmoment",
    )
    repeated_because = models.CharField(
        "upprepas på grund av",
        max_length=200,
        blank=True,
        help_text="T.ex. ”avvikelse 2018” när förra årets kontroll fann avvikelser.",
    )
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
        return f"{self.number}. {self.process.name}"

    @property
    def is_common(self) -> bool:
        return self.common_id is not None

    @property
    def is_direct_action(self) -> bool:
        return self.kind == self.Kind.DIRECT_ACTION

    @property
    def number(self) -> str:
        """The plan's own code (V1, P) where it has one, else the position."""
        return self.code.strip() or str(self.position)

    @property
    def unit_label(self) -> str:
        """The registered unit's name, else the unit as the plan wrote it."""
        return self.unit.name if self.unit is not None else self.unit_text

    @property
    def process_label(self) -> str:
        """The Process column as committee documents print it."""
        suffix = " (kommungemensamt)" if self.is_common else ""
        return f"{self.number}. {self.process.name}{suffix}"


class CycleDeadline(models.Model):
    """A date in the organisation's yearly cycle by which committees must deliver.

    A plan deadline says by when next year's plans must be adopted; a follow-up deadline
    says by when the follow-up per a cut-off date must be reported.
    """

    class Kind(models.TextChoices):
        PLAN = "plan", "Plan fastställd"
        FOLLOWUP = "followup", "Uppföljning rapporterad"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="cycle_deadlines"
    )
    year = models.PositiveIntegerField(
        "år", validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
    )
    kind = models.CharField("gäller", max_length=10, choices=Kind)
    cutoff = models.DateField(
        "brytdatum", null=True, blank=True, help_text="Bara för uppföljningar, t.ex. 2018-08-31."
    )
    due_on = models.DateField("senast")

    class Meta:
        verbose_name = "tidpunkt i årscykeln"
        verbose_name_plural = "tidsplan"
        ordering = ["year", "kind", "cutoff"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="plan") & models.Q(cutoff__isnull=True))
                | (models.Q(kind="followup") & models.Q(cutoff__isnull=False)),
                name="deadline_cutoff_only_for_followups",
                violation_error_message="Ange brytdatum för uppföljningar, men inte för planer.",
            ),
            models.UniqueConstraint(
                fields=["organisation", "year"],
                condition=models.Q(kind="plan"),
                name="one_plan_deadline_per_year",
                violation_error_message="Det finns redan ett datum för planerna det året.",
            ),
            models.UniqueConstraint(
                fields=["organisation", "cutoff"],
                condition=models.Q(kind="followup"),
                name="one_deadline_per_cutoff",
                violation_error_message="Det finns redan ett datum för uppföljningen per det "
                "brytdatumet.",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.PLAN:
            return f"Plan {self.year} fastställd senast {self.due_on:%Y-%m-%d}"
        assert self.cutoff is not None
        return f"Uppföljning per {self.cutoff:%Y-%m-%d} rapporterad senast {self.due_on:%Y-%m-%d}"

    def clean(self) -> None:
        if self.kind == self.Kind.PLAN:
            self.cutoff = None
        elif self.cutoff is None:
            raise ValidationError({"cutoff": "Ange brytdatumet för uppföljningen."})
        elif self.cutoff.year != self.year:
            raise ValidationError({"cutoff": f"Brytdatumet måste ligga inom {self.year}."})
        if self.cutoff is not None and self.due_on < self.cutoff:
            raise ValidationError({"due_on": "Sista dagen kan inte ligga före brytdatumet."})
