"""Invitations: how a controller brings a new user into the organisation."""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from ik.org.models import Organisation, Person


def hash_token(token: str) -> str:
    """Only the hash is stored, so a copy of the database cannot be used to sign up."""
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """An e-mailed invitation to become a user with the given roles; usable once."""

    class State(models.TextChoices):
        PENDING = "pending", "Väntar"
        USED = "used", "Använd"
        EXPIRED = "expired", "Har gått ut"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name="organisation",
    )
    email = models.EmailField("e-post")
    grants = models.JSONField(
        "roller",
        default=list,
        help_text='Rollerna som ges, t.ex. [{"role": "secretary", "committee": "ks"}].',
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("skapad", auto_now_add=True)
    expires_at = models.DateTimeField("giltig till")
    used_at = models.DateTimeField("använd", null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="inbjuden av",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="användarkonto",
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name="person",
        help_text="Personen i registret som får kontot, med allt som redan är tilldelat.",
    )

    class Meta:
        verbose_name = "inbjudan"
        verbose_name_plural = "inbjudningar"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Inbjudan till {self.email}"

    @property
    def state(self) -> State:
        if self.used_at is not None:
            return self.State.USED
        if self.expires_at <= timezone.now():
            return self.State.EXPIRED
        return self.State.PENDING
