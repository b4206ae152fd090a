from django.db import models


class WorkerHeartbeat(models.Model):
    """The last sign of life from one background worker (`manage.py worker`).

    Readiness (`/halsa/redo/`) reads the newest one: a dead worker stops writing, so queued
    control runs would wait for ever without anyone noticing.
    """

    worker_id = models.CharField("arbetar-id", max_length=64, unique=True)
    hostname = models.CharField("värd", max_length=255)
    pid = models.PositiveIntegerField("process-id")
    started_at = models.DateTimeField("startad")
    last_seen = models.DateTimeField("senast sedd", db_index=True)

    class Meta:
        verbose_name = "arbetarens livstecken"
        verbose_name_plural = "arbetarnas livstecken"

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}"
