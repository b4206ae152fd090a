"""`manage.py worker`: django-tasks-db's db_worker with a heartbeat for `/halsa/redo/`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django_tasks_db.management.commands import db_worker

from ik.ops.heartbeat import HeartbeatThread, beat, forget_silent_workers


class Command(db_worker.Command):
    help = "Kör bakgrundskön (som db_worker) och skriver ett livstecken för /halsa/redo/."

    def handle(self, *args: Any, **options: Any) -> None:
        forget_silent_workers()
        heartbeat = HeartbeatThread(
            worker_id=options["worker_id"], interval=settings.IK_WORKER_HEARTBEAT_SECONDS
        )
        beat(worker_id=heartbeat.worker_id, started_at=heartbeat.started_at)
        # A --batch run drains the queue and exits: the beat above is its sign of life, and
        # no second thread competes with it for the database (SQLite locks whole tables).
        if not options["batch"]:
            heartbeat.start()
        try:
            super().handle(*args, **options)
        finally:
            if heartbeat.is_alive():
                heartbeat.stop()
                heartbeat.join()
