"""Real `db_worker` processes on one database file: each run once, and a killed worker.

The workers are separate processes, as in production; the database is an SQLite file of
their own (migrated once for the module, copied per test), so they contend for it as they
would for the real one.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from ik.controls.lease import EXPIRED_MESSAGE

RUNS = 12
WORKERS = 3
SETUP = """
from datetime import date
from django.core.files.uploadedfile import SimpleUploadedFile
from ik.controls.services import control_run_request
from ik.followups.services import followup_create
from ik.org.models import Committee, Organisation
from ik.test import TEST_SETUP, make_plan

LEDGER = (
    b"FAKTURANR;LEVERANTOR;ANSVAR;FAKTURADATUM;FORFALLODATUM;BETALDATUM;BELOPP_SEK\\n"
    b"1;A;11;2018-01-01;2018-01-31;2018-02-10;100\\n"
)
organisation = Organisation.objects.create(code="k", name="K")
committee = Committee.objects.create(organisation=organisation, code="ks", name="KS")
followup = followup_create(
    plan=make_plan(committee), cutoff=date(2018, 8, 31), by=TEST_SETUP
)
entry = followup.entries.order_by("control_point__position")[0]
"""
QUEUE_RUNS = """
for _ in range({runs}):
    control_run_request(
        entry=entry,
        by=TEST_SETUP,
        control="late_payments",
        uploads={{"ledger": SimpleUploadedFile("r.csv", LEDGER)}},
        arguments=["--target", "5"],
    )
"""
# A run whose ledger is a named pipe: reading it blocks until the worker is killed.
QUEUE_BLOCKED_RUN = """
from ik.controls.models import ControlRun
from ik.controls.tasks import run_control
files = {"ledger": {"name": "r.csv", "storage": "evidence/fifo", "sha256": "0" * 64}}
run = ControlRun.objects.create(
    entry=entry, control="late_payments", arguments=["--target", "5"], files=files
)
run_control.enqueue(run.pk)
"""
EXPIRE = """
from datetime import timedelta
from django.utils import timezone
from ik.controls.lease import control_runs_expire, lease
print(control_runs_expire(now=timezone.now() + lease() + timedelta(seconds=1)))
"""


def _env(database: Path) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("IK_", "DJANGO_"))},
        "DATABASE_URL": f"sqlite:///{database}",
        "IK_MEDIA_ROOT": str(database.parent / "media"),
        "IK_CONTROL_RUNS_PER_ORGANISATION": str(WORKERS),
    }


def _manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def _shell(env: dict[str, str], script: str) -> str:
    return _manage(env, "shell", "--no-imports", "-c", script)


def _worker(env: dict[str, str], *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.1"]
        + list(extra),
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _query(database: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(database) as con:
        return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    database = tmp_path_factory.mktemp("workers") / "ik.sqlite3"
    _manage(_env(database), "migrate", "--no-input", "-v0")
    return database


@pytest.fixture
def database(migrated: Path, tmp_path: Path) -> Iterator[Path]:
    copy = tmp_path / "ik.sqlite3"
    shutil.copy(migrated, copy)
    (tmp_path / "media" / "evidence").mkdir(parents=True)
    yield copy


def test_three_workers_take_each_of_many_queued_runs_exactly_once(database: Path) -> None:
    env = _env(database)
    _shell(env, SETUP + QUEUE_RUNS.format(runs=RUNS))
    workers = [_worker(env, "--batch") for _ in range(WORKERS)]
    assert [w.wait() for w in workers] == [0] * WORKERS

    statuses = _query(database, "SELECT status, COUNT(*) FROM controls_controlrun GROUP BY 1")
    assert statuses == [("done", RUNS)]
    tasks = _query(
        database, "SELECT status, COUNT(*) FROM django_tasks_database_dbtaskresult GROUP BY 1"
    )
    assert tasks == [("SUCCESSFUL", RUNS)]
    # Each task was claimed by one worker: a task taken twice lists two worker ids.
    claims = _query(
        database, "SELECT json_array_length(worker_ids) FROM django_tasks_database_dbtaskresult"
    )
    assert claims == [(1,)] * RUNS
    # Every run is red on the one entry: the first registers the automatic deviation and
    # every later run brings that same deviation up to date instead of adding another.
    assert _query(database, "SELECT COUNT(*) FROM followups_deviation") == [(1,)]
    linked = _query(
        database, "SELECT COUNT(*) FROM controls_controlrun WHERE deviation_id IS NOT NULL"
    )
    assert linked == [(RUNS,)]


def test_a_run_whose_worker_is_killed_is_failed_with_a_message_and_files_nothing(
    database: Path,
) -> None:
    env = _env(database)
    os.mkfifo(database.parent / "media" / "evidence" / "fifo")
    _shell(env, SETUP + QUEUE_BLOCKED_RUN)
    worker = _worker(env)
    try:
        for _attempt in range(3000):
            if _query(database, "SELECT status FROM controls_controlrun") == [("running",)]:
                break
            assert worker.poll() is None, "the worker stopped by itself"
            time.sleep(0.1)
        else:
            raise AssertionError("the worker never took the run")
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        worker.wait()
    assert _query(database, "SELECT status FROM controls_controlrun") == [("running",)]

    assert _shell(env, EXPIRE).strip() == "1"
    assert _query(database, "SELECT status, error FROM controls_controlrun") == [
        ("failed", EXPIRED_MESSAGE)
    ]
    assert _query(database, "SELECT COUNT(*) FROM followups_deviation") == [(0,)]
    entries = _query(database, "SELECT result_text, version FROM followups_followupentry")
    assert set(entries) == {("", 1)}
