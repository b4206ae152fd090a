"""Organisations, their committees and units, people and roles."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from ik.org.chain import GENESIS, event_digest

DEFAULT_IDLE_MINUTES = 8 * 60
MAX_IDLE_MINUTES = 7 * 24 * 60


class Organisation(models.Model):
    """A municipality or region: the tenant that owns everything else."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "kommun", "Kommun"
        REGION = "region", "Region"

    code = models.SlugField("kod", max_length=40, unique=True)
    name = models.CharField("namn", max_length=200)
    kind = models.CharField("typ", max_length=10, choices=Kind, default=Kind.MUNICIPALITY)
    postal_address = models.TextField("postadress", blank=True)
    visiting_address = models.TextField("besöksadress", blank=True)
    phone = models.CharField("telefon", max_length=40, blank=True)
    fax = models.CharField("telefax", max_length=40, blank=True)
    website = models.CharField("webbplats", max_length=200, blank=True)
    email = models.EmailField("e-post", blank=True)
    bankgiro = models.CharField("bankgiro", max_length=20, blank=True)
    logo = models.FileField("logotyp", upload_to="logos/", blank=True)
    word_template = models.FileField(
        "Word-mall",
        upload_to="templates/",
        blank=True,
        help_text="Brevmall (DOCX) med organisationens sidhuvud, logotyp och typsnitt.",
    )
    session_idle_minutes = models.PositiveIntegerField(
        "utloggning efter inaktivitet (minuter)",
        default=DEFAULT_IDLE_MINUTES,
        validators=[MinValueValidator(5), MaxValueValidator(MAX_IDLE_MINUTES)],
        help_text="Användare loggas ut när de inte har gjort något på så här många minuter "
        "(480 = 8 timmar). Den som har roller i flera organisationer får den kortaste tiden.",
    )

    class Meta:
        verbose_name = "organisation"
        verbose_name_plural = "organisationer"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Committee(models.Model):
    """A political body (nämnd or styrelse) that adopts its own internal control plan."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="committees",
        verbose_name="organisation",
    )
    code = models.SlugField("kod", max_length=40)
    name = models.CharField("namn", max_length=200)
    short_name = models.CharField(
        "kortnamn",
        max_length=80,
        blank=True,
        help_text="Används i rubriker, t.ex. ”KS-förvaltning”.",
    )
    administration_name = models.CharField(
        "förvaltningens namn",
        max_length=200,
        blank=True,
        help_text="T.ex. ”Kommunstyrelsens förvaltning”.",
    )
    is_executive_board = models.BooleanField("kommunstyrelse/regionstyrelse", default=False)
    position = models.PositiveIntegerField(
        "ordning", default=0, help_text="Lägre tal visas först; lika tal i bokstavsordning."
    )
    is_active = models.BooleanField(
        "aktiv",
        default=True,
        help_text="En nämnd som inte längre finns inaktiveras i stället för att tas bort, "
        "så att dess planer och uppföljningar finns kvar.",
    )

    class Meta:
        verbose_name = "nämnd"
        verbose_name_plural = "nämnder"
        ordering = ["-is_executive_board", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="committee_code_unique"),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(is_executive_board=True),
                name="one_executive_board_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_short_name(self) -> str:
        return self.short_name or self.name


class Unit(models.Model):
    """An administration, department or unit under a committee."""

    class Kind(models.TextChoices):
        ADMINISTRATION = "forvaltning", "Förvaltning"
        DEPARTMENT = "avdelning", "Avdelning"
        UNIT = "enhet", "Enhet"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="units", verbose_name="nämnd"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="ingår i",
    )
    name = models.CharField("namn", max_length=200)
    kind = models.CharField("typ", max_length=12, choices=Kind, default=Kind.DEPARTMENT)
    code = models.CharField(
        "ansvarskod",
        max_length=40,
        blank=True,
        help_text="Koden i ekonomisystemet (t.ex. Ansvar), för automatiska kontroller.",
    )
    is_active = models.BooleanField("aktiv", default=True)

    class Meta:
        verbose_name = "enhet"
        verbose_name_plural = "enheter"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PersonQuerySet(models.QuerySet["Person"]):
    def choosable(self, organisation_id: int, *current: int | None) -> PersonQuerySet:
        """The people one may name in the organisation: the active ones, and whoever is
        named already, so that deactivating someone never blanks a saved choice."""
        kept = [pk for pk in current if pk is not None]
        return self.filter(organisation_id=organisation_id).filter(
            Q(is_active=True) | Q(pk__in=kept)
        )


class Person(models.Model):
    """Someone named in plans and documents; optionally a user who logs in.

    People are registered before they have an account, so a control owner, an action owner
    or a case officer can be named at once; the account is linked when they accept an
    invitation and they then see everything already assigned to them.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="people",
        verbose_name="organisation",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name="användarkonto",
    )
    name = models.CharField("namn", max_length=200)
    title = models.CharField("titel", max_length=200, blank=True)
    phone = models.CharField("telefon", max_length=40, blank=True)
    email = models.EmailField("e-post", blank=True)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name="enhet",
    )
    is_active = models.BooleanField("aktiv", default=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "person"
        verbose_name_plural = "personer"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.title}" if self.title else self.name


class Role(models.TextChoices):
    CONTROLLER = "controller", "Central controller"
    SECRETARY = "secretary", "Nämndsekreterare"
    MANAGER = "manager", "Förvaltningschef"
    CONTROL_OWNER = "control_owner", "Kontrollansvarig"
    AUDITOR = "auditor", "Revisor"
    POLITICIAN = "politician", "Förtroendevald"


# Roles whose rights are bound to one committee rather than the whole organisation.
COMMITTEE_ROLES = {Role.SECRETARY, Role.MANAGER, Role.POLITICIAN}


class Membership(models.Model):
    """A user's role in an organisation, for committee roles also the committee."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name="användare",
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name="organisation",
    )
    role = models.CharField("roll", max_length=20, choices=Role)
    committee = models.ForeignKey(
        Committee,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name="nämnd",
    )

    class Meta:
        verbose_name = "roll"
        verbose_name_plural = "roller"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role", "committee"],
                condition=Q(committee__isnull=False),
                name="committee_membership_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                condition=Q(committee__isnull=True),
                name="organisation_membership_unique",
            ),
        ]

    def __str__(self) -> str:
        where = self.committee or self.organisation
        return f"{self.user} – {self.get_role_display()} ({where})"


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Bulk writes would bypass the model's own refusals, so they are refused here too."""

    def update(self, **kwargs: object) -> int:
        raise PermissionError("Händelseloggen kan inte ändras.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Händelseloggen kan inte raderas.")

    def bulk_update(self, *args: object, **kwargs: object) -> int:
        raise PermissionError("Händelseloggen kan inte ändras.")

    def bulk_create(self, *args: object, **kwargs: object) -> list[AuditEvent]:
        # Each event is linked to the one before it as it is saved; a bulk insert would not be.
        raise PermissionError("Händelser skrivs en i taget.")


class AuditEvent(models.Model):
    """One recorded change: who, when, what (old → new). Never updated or deleted.

    The model, its queryset and (on PostgreSQL) a database trigger all refuse changes, so
    an auditor can trust that what the trail shows is what happened. Each event is also
    chained to its organisation's previous one (`ik.org.chain`), so a change made past all
    of that is found by `manage.py verifytrail`.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="audit_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # A command or background task acting without a user ("runcontrol", "db_worker" …).
    system_actor = models.CharField("system", max_length=60, blank=True)
    at = models.DateTimeField("tidpunkt", default=timezone.now, editable=False, db_index=True)
    action = models.CharField("händelse", max_length=60)
    object_type = models.CharField("objekttyp", max_length=60)
    object_id = models.CharField("objekt", max_length=64)
    summary = models.CharField("beskrivning", max_length=300)
    changes = models.JSONField("ändringar", default=dict, blank=True)
    previous_digest = models.CharField("föregående länk", max_length=64, editable=False)
    digest = models.CharField("länk", max_length=64, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "händelse"
        verbose_name_plural = "händelselogg"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["organisation", "-at"], name="audit_event_org_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.summary}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise PermissionError("Händelseloggen kan inte ändras.")
        with transaction.atomic():
            # The organisation's row lock serialises its inserts, so two events can never
            # both link onto the same predecessor (SQLite serialises every write anyway).
            list(
                Organisation.objects.select_for_update()
                .filter(pk=self.organisation_id)
                .values("pk")
            )
            previous = (
                AuditEvent._base_manager.filter(organisation_id=self.organisation_id)
                .order_by("-id")
                .values_list("digest", flat=True)
                .first()
            )
            self.previous_digest = previous or GENESIS
            self.digest = event_digest(self, self.previous_digest)
            super().save(*args, **kwargs)  # type: ignore[arg-type,unused-ignore]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError("Händelseloggen kan inte raderas.")


class FormSubmission(models.Model):
    """A creating form that was sent: back + resend finds it and creates nothing twice.

    The token is made when the form is shown and travels in it; `redirect_to` is where the
    first sending led, so a second sending can lead there too.
    """

    token = models.UUIDField(unique=True)
    redirect_to = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "skickat formulär"
        verbose_name_plural = "skickade formulär"

    def __str__(self) -> str:
        return str(self.token)
