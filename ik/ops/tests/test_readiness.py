"""`/halsa/redo/`: ready when the database answers, migrations are applied and a worker lives."""

import io
import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.migrations.recorder import MigrationRecorder
from django.tasks import task
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from ik.ops import readiness
from ik.ops.heartbeat import beat
from ik.ops.models import WorkerHeartbeat

ROOT = Path(__file__).resolve().parents[3]


@task()
def noop() -> None:
    """A task that does nothing, for filling the queue."""


class ReadinessTests(TestCase):
    def get(self):
        response = self.client.get(reverse("ops:readiness"))
        return response.status_code, json.loads(response.content)

    def test_ready_with_a_fresh_heartbeat_and_reports_the_queue(self):
        beat(worker_id="w1", started_at=timezone.now())
        noop.enqueue()
        noop.enqueue()
        status, body = self.get()
        assert status == 200
        assert body["ready"] is True
        assert body["database"]["ok"] and body["migrations"] == {"ok": True, "unapplied": 0}
        assert body["worker"]["ok"] and body["worker"]["last_heartbeat_seconds"] < 60
        assert body["queue"]["depth"] == 2
        assert 0 <= body["queue"]["oldest_seconds"] < 60

    def test_no_worker_ever_seen_is_not_ready(self):
        status, body = self.get()
        assert status == 503
        assert body["ready"] is False
        assert body["worker"] == {"ok": False, "last_heartbeat_seconds": None, "max_seconds": 60}

    def test_a_silent_worker_is_not_ready(self):
        beat(worker_id="w1", started_at=timezone.now())
        WorkerHeartbeat.objects.update(last_seen=timezone.now() - timedelta(seconds=61))
        status, body = self.get()
        assert status == 503
        assert body["worker"]["ok"] is False and body["worker"]["last_heartbeat_seconds"] > 60

    def test_an_unapplied_migration_is_not_ready(self):
        beat(worker_id="w1", started_at=timezone.now())
        MigrationRecorder.Migration.objects.filter(app="ops").delete()
        readiness._migrations_applied = False
        status, body = self.get()
        assert status == 503
        assert body["migrations"] == {"ok": False, "unapplied": 1}
        readiness._migrations_applied = False

    def test_readiness_needs_no_login_and_is_not_cached(self):
        response = self.client.get(reverse("ops:readiness"))
        assert "no-cache" in response["Cache-Control"]
        assert response["Content-Type"] == "application/json"


@pytest.mark.django_db(transaction=True)
def test_the_worker_writes_its_heartbeat():
    call_command(
        "worker",
        "--batch",
        "--no-startup-delay",
        "--worker-id",
        "arbetare-1",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    heartbeat = WorkerHeartbeat.objects.get(worker_id="arbetare-1")
    assert heartbeat.pid == os.getpid()
    assert timezone.now() - heartbeat.last_seen < timedelta(minutes=1)


def test_an_unreachable_database_answers_503():
    """The fault itself: a PostgreSQL address where nothing listens."""
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client(HTTP_HOST='localhost').get('/halsa/redo/');"
        "print(r.status_code, r.content.decode())"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ik.settings",
        "DATABASE_URL": "postgresql://ik:ik@127.0.0.1:9/ingen?connect_timeout=2",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    status, body = result.stdout.split(" ", 1)
    assert status == "503", result.stderr
    assert json.loads(body) == {"ready": False, "database": {"ok": False}}
