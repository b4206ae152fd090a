"""The worker's heartbeat: a row per worker process, refreshed from a background thread."""

from __future__ import annotations

import os
import socket
import threading
from datetime import datetime, timedelta

from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone

from ik.ops.models import WorkerHeartbeat

# Rows of workers silent this long are removed when a worker starts.
FORGET_AFTER = timedelta(days=1)


def beat(*, worker_id: str, started_at: datetime) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "last_seen": timezone.now(),
        },
    )


def forget_silent_workers() -> None:
    WorkerHeartbeat.objects.filter(last_seen__lt=timezone.now() - FORGET_AFTER).delete()


class HeartbeatThread(threading.Thread):
    """Beats every `interval` seconds until stopped; a failed beat is retried next time."""

    def __init__(self, *, worker_id: str, interval: float) -> None:
        super().__init__(name="ik-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.interval = interval
        self.started_at = timezone.now()
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            close_old_connections()
            try:
                beat(worker_id=self.worker_id, started_at=self.started_at)
            except DatabaseError:
                # The database is away; readiness reports that through the web side.
                connection.close()
            self.stopping.wait(self.interval)
        connection.close()

    def stop(self) -> None:
        self.stopping.set()
