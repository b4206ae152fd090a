"""Follow-ups at cut-off dates: entries per control point, deviations and actions."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from ik.lib.swedish import VERDICT_LABELS, VERDICT_MEANINGS
from ik.org.models import Person
from ik.plans.models import ControlPoint, Plan


class Assessment(models.TextChoices):
    GREEN = "green", f"{VERDICT_LABELS['green']} – {VERDICT_MEANINGS['green']}"
    YELLOW = "yellow", f"{VERDICT_LABELS['yellow']} – {VERDICT_MEANINGS['yellow']}"
    RED = "red", f"{VERDICT_LABELS['red']} – {VERDICT_MEANINGS['red']}"


class FollowUp(models.Model):
    """The report on a plan at one cut-off date, which becomes a committee item."""

    class Status(models.TextChoices):
        OPEN = "open", "Pågår"
        REPORTED = "reported", "Rapporterad"

    class ProposalSource(models.TextChoices):
        ADMINISTRATION = "administration", "Förvaltningens förslag"
        WORKING_COMMITTEE = "working_committee", "Arbetsutskottets förslag"

    class ProtocolBody(models.TextChoices):
        COMMITTEE = "committee", "Nämnden beslutar"
        WORKING_COMMITTEE = "working_committee", "Arbetsutskottet föreslår"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="followups")
    cutoff = models.DateField("per datum")
    due_on = models.DateField(
        "rapporteras senast",
        null=True,
        blank=True,
        help_text="Sista dag för kontrollansvariga att rapportera.",
    )
    status = models.CharField("status", max_length=10, choices=Status, default=Status.OPEN)
    summary = models.TextField("sammanfattning", blank=True)
    proposal_source = models.CharField(
        "förslaget kommer från",
        max_length=20,
        choices=ProposalSource,
        default=ProposalSource.ADMINISTRATION,
    )
    proposed_decisions = models.TextField(
        "förslag till beslut", blank=True, help_text="En beslutspunkt per rad."
    )
    distribution = models.TextField(
        "beslutet skickas till", blank=True, help_text="En mottagare per rad."
    )
    case_number = models.CharField(
        "diarienummer",
        max_length=40,
        blank=True,
        help_text="Uppföljningens eget diarienummer. Tomt: planens diarienummer.",
    )
    document_date = models.DateField(
        "datum för tjänsteskrivelsen",
        null=True,
        blank=True,
        help_text="Tomt: dagens datum när handlingen skrivs ut.",
    )
    decision_paragraph = models.CharField("paragraf", max_length=20, blank=True)
    meeting_date = models.DateField("sammanträdesdatum", null=True, blank=True)
    case_officer = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="handläggare",
    )
    signatory = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="undertecknare",
    )
    protocol_body = models.CharField(
        "protokollet förs av",
        max_length=20,
        choices=ProtocolBody,
        blank=True,
        help_text="Tomt: inget protokollsutdrag än. Paragraf och datum står ovan.",
    )
    protocol_title = models.CharField(
        "paragrafens rubrik",
        max_length=300,
        blank=True,
        help_text="Tomt: tjänsteskrivelsens rubrik.",
    )
    protocol_background = models.TextField(
        "protokollets bakgrund", blank=True, help_text="Tomt: tjänsteskrivelsens bakgrund."
    )
    protocol_summary = models.TextField(
        "protokollets sammanfattning",
        blank=True,
        help_text="Tomt: tjänsteskrivelsens sammanfattning.",
    )
    protocol_decisions = models.TextField(
        "beslut eller förslag i protokollet",
        blank=True,
        help_text="En beslutspunkt per rad. Tomt: förslaget till beslut.",
    )
    protocol_distribution = models.TextField(
        "protokollet skickas till",
        blank=True,
        help_text="En mottagare per rad. Tomt: samma som beslutet.",
    )
    minutes_officer = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="handläggare för protokollsutdraget",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "uppföljning"
        verbose_name_plural = "uppföljningar"
        ordering = ["plan", "cutoff"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "cutoff"], name="one_followup_per_cutoff"),
        ]

    def __str__(self) -> str:
        return f"Uppföljning per {self.cutoff:%Y-%m-%d}, {self.plan.committee}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("followups:followup_detail", kwargs={"followup_id": self.public_id})

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def frozen_label(self) -> str:
        """E.g. "Rapporterad till Kommunstyrelsen 2018-10-03 § 201"; empty while open."""
        if self.is_open:
            return ""
        parts = [f"Rapporterad till {self.plan.committee.name}"]
        if self.meeting_date:
            parts.append(f"{self.meeting_date:%Y-%m-%d}")
        if self.decision_paragraph:
            paragraph = self.decision_paragraph.strip()
            parts.append(paragraph if paragraph.startswith("§") else f"§ {paragraph}")
        return " ".join(parts)

    def proposed_decision_lines(self) -> list[str]:
        return [line.strip() for line in self.proposed_decisions.splitlines() if line.strip()]

    def distribution_lines(self) -> list[str]:
        return [line.strip() for line in self.distribution.splitlines() if line.strip()]

    @property
    def has_protocol(self) -> bool:
        """A protocol extract exists once its body and paragraph are recorded."""
        return bool(self.protocol_body and self.decision_paragraph.strip())


class FollowUpEntry(models.Model):
    """The status and result of one control point at a follow-up."""

    class Execution(models.TextChoices):
        NOT_STARTED = "not_started", "Ej påbörjad"
        IN_PROGRESS = "in_progress", "Pågår"
        DONE = "done", "Genomförd"
        NOT_DONE = "not_done", "Ej genomförd"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Moved on by one at every save through a form; a form opened at an older one is stale.
    version = models.PositiveIntegerField("version", default=1, editable=False)
    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="entries")
    control_point = models.ForeignKey(
        ControlPoint, on_delete=models.CASCADE, related_name="entries"
    )
    execution_status = models.CharField(
        "genomförande", max_length=12, choices=Execution, default=Execution.NOT_STARTED
    )
    not_done_reason = models.TextField("skäl till att kontrollen inte genomförts", blank=True)
    result_text = models.TextField("resultat", blank=True)
    measured_value = models.DecimalField(
        "mätvärde", max_digits=14, decimal_places=4, null=True, blank=True
    )
    assessment = models.CharField("bedömning", max_length=10, choices=Assessment, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "uppföljningspost"
        verbose_name_plural = "uppföljningsposter"
        ordering = ["control_point__position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["followup", "control_point"], name="one_entry_per_control_point"
            ),
            models.CheckConstraint(
                condition=~models.Q(execution_status="not_done") | ~models.Q(not_done_reason=""),
                name="not_done_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.control_point} per {self.followup.cutoff:%Y-%m-%d}"


class Deviation(models.Model):
    """A finding from a control (avvikelse)."""

    class Severity(models.TextChoices):
        MINOR = "minor", "Mindre avvikelse"
        SIGNIFICANT = "significant", "Väsentlig avvikelse"
        SERIOUS = "serious", "Allvarlig avvikelse"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    entry = models.ForeignKey(FollowUpEntry, on_delete=models.CASCADE, related_name="deviations")
    description = models.TextField("beskrivning")
    severity = models.CharField("allvarlighetsgrad", max_length=12, choices=Severity)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "avvikelse"
        verbose_name_plural = "avvikelser"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.description[:80]


class Action(models.Model):
    """What is done about a deviation; closed only once its effect has been checked."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planerad"
        IN_PROGRESS = "in_progress", "Pågår"
        DONE = "done", "Genomförd, effekt ej kontrollerad"
        CLOSED = "closed", "Avslutad"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Moved on by one at every save through a form; a form opened at an older one is stale.
    version = models.PositiveIntegerField("version", default=1, editable=False)
    deviation = models.ForeignKey(Deviation, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField("åtgärd")
    owner_text = models.CharField("ansvarig", max_length=200)
    owner_person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name="ansvarig person",
    )
    due_date = models.DateField("klar senast")
    status = models.CharField("status", max_length=12, choices=Status, default=Status.PLANNED)
    effect_check = models.TextField(
        "effektkontroll",
        blank=True,
        help_text="Hur det kontrollerats att åtgärden fått avsedd effekt.",
    )
    closed_on = models.DateField("avslutad", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "åtgärd"
        verbose_name_plural = "åtgärder"
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="closed") | ~models.Q(effect_check=""),
                name="closed_action_needs_effect_check",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED
