"""Failed sign-ins per account and per client address, for locking out password guessing."""

from __future__ import annotations

from django.db import models


class LoginThrottle(models.Model):
    """Failures counted for one key ("user:<name>" or "addr:<ip>") since the first of them."""

    key = models.CharField(max_length=200, unique=True)
    failures = models.PositiveIntegerField(default=0)
    first_failure_at = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "inloggningsspärr"
        verbose_name_plural = "inloggningsspärrar"

    def __str__(self) -> str:
        return f"{self.key}: {self.failures}"
