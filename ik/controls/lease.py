"""A running control run holds a lease its worker renews; a run whose lease ran out is failed.

A worker that dies (killed, out of memory, the machine restarted) cannot say so. While it
computes, a thread beside it writes the run's heartbeat every quarter of the lease; a run
still "Körs" whose heartbeat is older than the lease is marked failed with a message saying
why, the page stops polling, and nothing of the run is filed: its result is only written
after the work is done, in one transaction that first checks the run is still its worker's.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from types import TracebackType

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from ik.controls.models import ControlRun

EXPIRED_MESSAGE = (
    "Arbetsprocessen som körde kontrollen slutade svara, till exempel för att den stoppades "
    "eller startades om. Inget resultat sparades; starta kontrollen igen."
)


def lease() -> timedelta:
    return timedelta(seconds=settings.IK_CONTROL_RUN_LEASE_SECONDS)


def control_runs_expire(*, now: datetime | None = None) -> int:
    """Fail every running run whose lease has run out; returns how many."""
    now = now or timezone.now()
    cutoff = now - lease()
    return ControlRun.objects.filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff),
        status=ControlRun.Status.RUNNING,
    ).update(status=ControlRun.Status.FAILED, error=EXPIRED_MESSAGE, progress="", finished_at=now)


def beat(run_id: int) -> None:
    ControlRun.objects.filter(pk=run_id, status=ControlRun.Status.RUNNING).update(
        heartbeat_at=timezone.now()
    )


class Heartbeat:
    """Renews a run's lease from a thread for as long as the `with` block runs."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"heartbeat-{run_id}", daemon=True)

    def _run(self) -> None:
        interval = settings.IK_CONTROL_RUN_LEASE_SECONDS / 4
        try:
            while not self.stop.wait(interval):
                beat(self.run_id)
        finally:
            connection.close()  # the thread's own connection

    def __enter__(self) -> Heartbeat:
        self.thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop.set()
        self.thread.join()
