"""Readiness for monitoring and load balancers: can this instance do its work right now?"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count, Max, Min
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ik.ops.models import WorkerHeartbeat

# Once every migration is applied it stays so for the life of the process (a new migration
# comes with new code, hence a restart), so the migration graph is read only until then.
_migrations_applied = False


def unapplied_migrations() -> int:
    global _migrations_applied
    if _migrations_applied:
        return 0
    executor = MigrationExecutor(connection)
    count = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    _migrations_applied = count == 0
    return count


def _seconds_since(moment: datetime | None, now: datetime) -> float | None:
    return None if moment is None else round((now - moment).total_seconds(), 1)


def readiness() -> dict[str, Any]:
    """The checks as one JSON-ready dict; `ready` is false when any required check fails.

    Required: the database answers, every migration is applied, and some worker wrote its
    heartbeat within IK_WORKER_HEARTBEAT_MAX_AGE seconds. The queue (depth and the age of the
    oldest task waiting) is reported for alerting but does not make the instance unready.
    """
    now = timezone.now()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return {"ready": False, "database": {"ok": False}}
    unapplied = unapplied_migrations()
    newest = WorkerHeartbeat.objects.aggregate(newest=Max("last_seen"))["newest"]
    heartbeat_age = _seconds_since(newest, now)
    max_age = settings.IK_WORKER_HEARTBEAT_MAX_AGE
    queued = DBTaskResult.objects.ready().aggregate(depth=Count("id"), oldest=Min("enqueued_at"))
    checks: dict[str, dict[str, Any]] = {
        "database": {"ok": True},
        "migrations": {"ok": unapplied == 0, "unapplied": unapplied},
        "worker": {
            "ok": heartbeat_age is not None and heartbeat_age <= max_age,
            "last_heartbeat_seconds": heartbeat_age,
            "max_seconds": max_age,
        },
        "queue": {
            "depth": queued["depth"],
            "oldest_seconds": _seconds_since(queued["oldest"], now),
        },
    }
    required = ("database", "migrations", "worker")
    return {"ready": all(checks[name]["ok"] for name in required), **checks}
