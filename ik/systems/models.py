"""The organisation's register of IT systems: what the IT-continuity controls read.

A system has a start-up priority, a recovery-time objective, an alarm and the systems it
depends on; the competence list says who can run it. Names are unique per organisation
regardless of case, as the engine matches them (`ik.engine.systems.name_key`).

Competence names a person by text. When the name belongs to a registered Person of the
organisation the entry links to them too, but the text is what counts: the engine and the
exports identify people by name, and most operators are not users of IK.
"""

from __future__ import annotations

import uuid

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from ik.engine.systems import Criticality as EngineCriticality
from ik.engine.systems import Role as EngineRole
from ik.org.models import Organisation, Person, Unit

NAME_LENGTH = 200
TEXT_LENGTH = 200
MAX_RTO_HOURS = 99999


class Criticality(models.TextChoices):
    SOCIETY = EngineCriticality.SOCIETY.value, "Samhällskritisk"
    BUSINESS = EngineCriticality.BUSINESS.value, "Verksamhetskritisk"
    OTHER = EngineCriticality.OTHER.value, "Övrig"


class CompetenceRole(models.TextChoices):
    PRIMARY = EngineRole.PRIMARY.value, "Primär"
    BACKUP = EngineRole.BACKUP.value, "Backup"


class System(models.Model):
    """One IT system in an organisation's register."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Moved on by one at every save through a form; a form opened at an older one is stale.
    version = models.PositiveIntegerField("version", default=1, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="systems",
        verbose_name="organisation",
    )
    name = models.CharField("namn", max_length=NAME_LENGTH)
    owner_unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="systems",
        verbose_name="ägande enhet",
    )
    owner = models.CharField(
        "ägare",
        max_length=TEXT_LENGTH,
        blank=True,
        help_text="Ägare som inte finns bland enheterna, t.ex. ”Räddningstjänsten”.",
    )
    criticality = models.CharField(
        "kritikalitet", max_length=20, choices=Criticality, default=Criticality.OTHER
    )
    priority = models.PositiveIntegerField(
        "prioritet vid uppstart",
        validators=[MinValueValidator(1)],
        help_text="1 startar först. System med samma prioritet kan starta samtidigt.",
    )
    rto_hours = models.DecimalField(
        "återställningstid, mål (timmar)",
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="RTO: hur snart systemet ska vara i drift igen. Lämna tomt om inget mål finns.",
    )
    has_alarm = models.BooleanField("har larm", default=False)
    alarm_method = models.CharField(
        "larmmetod", max_length=TEXT_LENGTH, blank=True, help_text="T.ex. ”Prometheus (SNMP)”."
    )
    alarm_recipient = models.CharField(
        "larmmottagare", max_length=TEXT_LENGTH, blank=True, help_text="T.ex. ”IT-jour”."
    )
    notes = models.TextField("anteckningar", blank=True)
    depends_on = models.ManyToManyField(
        "self",
        symmetrical=False,
        through="SystemDependency",
        through_fields=("system", "depends_on"),
        related_name="dependents",
        blank=True,
        verbose_name="beror på",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "system"
        verbose_name_plural = "system"
        ordering = ["priority", "name"]
        constraints = [
            models.UniqueConstraint(
                "organisation", Lower("name"), name="system_name_unique_in_organisation"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("systems:system_detail", kwargs={"system_id": self.public_id})

    @property
    def owner_label(self) -> str:
        """The owner as the register files write it: the unit's name, else the free text."""
        return self.owner_unit.name if self.owner_unit else self.owner


class SystemDependency(models.Model):
    """`system` needs `depends_on` running before it can start."""

    system = models.ForeignKey(
        System, on_delete=models.CASCADE, related_name="dependency_links", verbose_name="system"
    )
    depends_on = models.ForeignKey(
        System, on_delete=models.CASCADE, related_name="dependent_links", verbose_name="beror på"
    )

    class Meta:
        verbose_name = "beroende"
        verbose_name_plural = "beroenden"
        constraints = [
            models.UniqueConstraint(fields=["system", "depends_on"], name="dependency_unique"),
            models.CheckConstraint(
                condition=~Q(system=F("depends_on")), name="dependency_not_on_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.system} beror på {self.depends_on}"


class Competence(models.Model):
    """Someone able to run a system, as its primary operator or as a backup."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    system = models.ForeignKey(
        System, on_delete=models.CASCADE, related_name="competences", verbose_name="system"
    )
    person_name = models.CharField("person", max_length=NAME_LENGTH)
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="system_competences",
        verbose_name="registrerad person",
    )
    role = models.CharField("roll", max_length=10, choices=CompetenceRole)

    class Meta:
        verbose_name = "kompetens"
        verbose_name_plural = "kompetenser"
        # "primär" sorts after "backup", so descending puts the primary operators first.
        ordering = ["-role", "person_name"]
        constraints = [
            models.UniqueConstraint(
                "system", Lower("person_name"), name="competence_person_unique_per_system"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} ({self.get_role_display()}), {self.system}"
