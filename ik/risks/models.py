"""The risk analysis behind a plan: the organisation's scale and categories, and the risks."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from ik.org.models import Organisation
from ik.plans.models import ControlPoint, Plan
from ik.risks import matrix


def _default_likelihood_labels() -> list[str]:
    return list(matrix.default_scale(4).likelihood_labels)


def _default_impact_labels() -> list[str]:
    return list(matrix.default_scale(4).impact_labels)


class RiskScale(models.Model):
    """How an organisation scores risks: 4×4 (default) or 5×5, labels and colour bands."""

    class Size(models.IntegerChoices):
        FOUR = 4, "4 × 4"
        FIVE = 5, "5 × 5"

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="risk_scale"
    )
    size = models.PositiveSmallIntegerField("skala", choices=Size, default=Size.FOUR)
    likelihood_labels = models.JSONField("sannolikhet", default=_default_likelihood_labels)
    impact_labels = models.JSONField("konsekvens", default=_default_impact_labels)
    yellow_from = models.PositiveSmallIntegerField(
        "gult från riskvärde", default=5, validators=[MinValueValidator(2)]
    )
    red_from = models.PositiveSmallIntegerField(
        "rött från riskvärde", default=9, validators=[MinValueValidator(3)]
    )

    class Meta:
        verbose_name = "riskskala"
        verbose_name_plural = "riskskalor"

    def __str__(self) -> str:
        return f"Riskskala {self.get_size_display()}, {self.organisation}"

    def as_scale(self) -> matrix.Scale:
        return matrix.Scale(
            size=self.size,
            likelihood_labels=tuple(self.likelihood_labels[: self.size]),
            impact_labels=tuple(self.impact_labels[: self.size]),
            yellow_from=self.yellow_from,
            red_from=self.red_from,
        )


DEFAULT_CATEGORIES = (
    "Omvärld",
    "Verksamhet",
    "Legal",
    "IT",
    "Rapportering",
    "Oegentligheter och korruption",
)


class RiskCategory(models.Model):
    """A kind of risk the organisation sorts its analysis by (omvärld, IT, legal …)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="risk_categories"
    )
    name = models.CharField("namn", max_length=80)
    position = models.PositiveIntegerField("ordning", default=0)

    class Meta:
        verbose_name = "riskkategori"
        verbose_name_plural = "riskkategorier"
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="risk_category_name_unique",
                violation_error_message="Kategorin finns redan.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Handling(models.TextChoices):
    ACCEPT = "accept", "Acceptera"
    DIRECT_ACTION = "direct_action", "Direktåtgärd"
    CONTROL = "control", "Kontroll"


class Risk(models.Model):
    """A risk in a committee's analysis for one year, scored on the organisation's scale."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Moved on by one at every save through a form; a form opened at an older one is stale.
    version = models.PositiveIntegerField("version", default=1, editable=False)
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="risks", verbose_name="plan"
    )
    description = models.TextField("risk")
    # Free text rather than a Process: the analysis is made before the plan's control
    # points exist, and a risk may concern an area the plan never gets a control for.
    process = models.CharField("process", max_length=200, blank=True)
    category = models.ForeignKey(
        RiskCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="risks",
        verbose_name="kategori",
    )
    likelihood = models.PositiveSmallIntegerField(
        "sannolikhet", validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    impact = models.PositiveSmallIntegerField(
        "konsekvens", validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    handling = models.CharField(
        "hantering", max_length=20, choices=Handling, default=Handling.CONTROL
    )
    action_text = models.TextField("åtgärd", blank=True)
    owner_text = models.CharField("riskansvarig", max_length=200, blank=True)
    control_points = models.ManyToManyField(
        ControlPoint, blank=True, related_name="risks", verbose_name="kontrollmoment"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "risk"
        verbose_name_plural = "risker"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(likelihood__gte=1, likelihood__lte=5),
                name="risk_likelihood_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(impact__gte=1, impact__lte=5), name="risk_impact_in_range"
            ),
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._scale: matrix.Scale | None = None

    def __str__(self) -> str:
        return self.description[:80]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("risks:risk_list", kwargs={"plan_id": self.plan.public_id}) + (
            f"#risk-{self.public_id}"
        )

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def scale(self) -> matrix.Scale:
        """The organisation's scale; pages listing many risks set it once with `use_scale`."""
        if self._scale is None:
            found = RiskScale.objects.filter(organisation_id=self.plan.committee.organisation_id)
            stored = found.first()
            self._scale = stored.as_scale() if stored else matrix.default_scale()
        return self._scale

    def use_scale(self, scale: matrix.Scale) -> None:
        self._scale = scale

    @property
    def tone(self) -> matrix.Tone:
        return matrix.tone(self.scale, self.score)

    @property
    def has_action(self) -> bool:
        return self.handling == Handling.DIRECT_ACTION and bool(self.action_text.strip())

    @property
    def is_flagged(self) -> bool:
        """Red, yet neither a control point nor a direct action deals with it."""
        if self.tone != matrix.Tone.RED or self.has_action:
            return False
        return not self.control_points.all()
