"""Two web servers and two workers on one database, driven alternately, as on two machines.

Real processes on loopback: gunicorn twice (deploy/gunicorn.conf.py, one process each) and
`manage.py worker` twice, sharing one database and one media folder. A session made on one
server works on the other, a change saved through one is read through the other, and the
two workers take queued tasks side by side without running any twice.
"""

import http.client
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def call(port: int, method: str, path: str, cookies: dict, form: dict | None = None):
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    headers = {"Host": HOST, "X-Forwarded-Proto": "https", "Referer": f"https://{HOST}/"}
    headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            cookies[name] = value
        return response.status, text
    finally:
        conn.close()


def csrf_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]


def version(page: str) -> str:
    """The version the edit form was opened at, which the browser sends back."""
    return re.search(r'name="version" value="(\d+)"', page)[1]


def wait_until_up(port: int, process: subprocess.Popen) -> None:
    for _ in range(1200):
        assert process.poll() is None, "the server stopped"
        try:
            if call(port, "GET", "/halsa/", {})[0] == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"no answer on port {port}")


@pytest.fixture
def shared_database(tmp_path):
    """A database of its own, migrated and with the demo: PostgreSQL when the suite runs
    on it (a sibling of the test database), otherwise an SQLite file."""
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        name = f"{s['NAME']}_pair"[:63]
        server = f"postgresql://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT'] or 5432}"
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
        url = f"{server}/{name}"
    else:
        url = f"sqlite:///{tmp_path / 'delad.sqlite3'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("IK_", "DJANGO_"))}
    env |= {
        "DATABASE_URL": url,
        "IK_DEVELOPMENT": "0",
        "IK_SECRET_KEY": secrets.token_urlsafe(50),
        "IK_ALLOWED_HOSTS": HOST,
        "IK_BEHIND_PROXY": "1",
        "IK_MEDIA_ROOT": str(tmp_path / "media"),
        "IK_STATIC_ROOT": str(tmp_path / "static"),
        "IK_WEB_WORKERS": "1",
        "IK_WEB_THREADS": "2",
        "IK_WORKER_HEARTBEAT_SECONDS": "1",
    }
    for command in (["migrate", "--no-input"], ["loaddemo"], ["collectstatic", "--no-input"]):
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    yield env
    if connection.vendor == "postgresql":
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_logs(paths: list[str]) -> str:
    return "\n".join(Path(p).read_text()[-3000:] for p in paths)


def shell(env: dict, script: str) -> str:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


def test_two_servers_and_two_workers_share_one_database(shared_database, tmp_path):
    env = shared_database
    ports = [free_port(), free_port()]
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    logs: list[str] = []
    with ExitStack() as stack:

        def start(command: list[str], **extra: str) -> subprocess.Popen:
            log = stack.enter_context((tmp_path / f"{len(logs)}.log").open("w"))
            logs.append(log.name)
            process = subprocess.Popen(  # noqa: S603
                command,
                cwd=ROOT,
                env={**env, **extra},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            stack.callback(process.wait)
            stack.callback(process.terminate)
            return process

        servers = [
            start([gunicorn, "-c", "deploy/gunicorn.conf.py"], PORT=str(port)) for port in ports
        ]
        worker = [sys.executable, "manage.py", "worker", "--no-startup-delay", "--interval", "0.2"]
        start([*worker, "--worker-id", "maskin-a"])
        start([*worker, "--worker-id", "maskin-b"])
        for port, server in zip(ports, servers, strict=True):
            wait_until_up(port, server)
        a, b = ports

        # Signed in on A, the same session works on B (sessions live in the database).
        cookies: dict[str, str] = {}
        status, page = call(a, "GET", "/logga-in/", cookies)
        form = {
            "csrfmiddlewaretoken": csrf_token(page),
            "username": "ekonomichef",
            "password": "internkontroll",
        }
        assert call(a, "POST", "/logga-in/", cookies, form)[0] == 302
        status, home = call(b, "GET", "/", cookies)
        assert status == 200 and "Logga ut" in home

        # A result saved through B is read through A, and the other way round.
        entry_url = shell(
            env,
            (
                "from ik.followups.models import FollowUpEntry as E;"
                "e = E.objects.filter(control_point__owner_person__user__username='ekonomichef',"
                " followup__status='open').order_by('id').first();"
                "print(f'/poster/{e.public_id}/rapportera/')"
            ),
        )
        for writer, reader, text in ((b, a, "Sparat via B."), (a, b, "Sparat via A.")):
            status, edit = call(reader, "GET", entry_url, cookies)
            assert status == 200
            form = {
                "csrfmiddlewaretoken": csrf_token(edit),
                "version": version(edit),
                "execution_status": "done",
                "result_text": text,
                "measured_value": "3",
                "assessment": "",
            }
            assert call(writer, "POST", entry_url, cookies, form)[0] == 302, server_logs(logs)
            assert text in call(reader, "GET", entry_url, cookies)[1]

        # Two tasks that only finish when two workers hold one each at the same time.
        meeting = tmp_path / "meeting"
        meeting.mkdir()
        shell(
            env,
            (
                "from ik.ops.tests.tasks import meet;"
                f"[meet.enqueue(str({str(meeting)!r}), 2) for _ in range(2)]"
            ),
        )
        for _ in range(1200):
            ready = [json.loads(call(p, "GET", "/halsa/redo/", {})[1]) for p in ports]
            if (
                all(r["queue"]["depth"] == 0 for r in ready)
                and shell(
                    env,
                    (
                        "from django_tasks_db.models import DBTaskResult as T;"
                        "print(T.objects.exclude(status__in=['SUCCESSFUL','FAILED']).count())"
                    ),
                )
                == "0"
            ):
                break
            time.sleep(0.2)
        done = json.loads(
            shell(
                env,
                (
                    "import json; from django_tasks_db.models import DBTaskResult as T;"
                    "print(json.dumps([[t.status, t.worker_ids] for t in T.objects.all()]))"
                ),
            )
        )
        assert sorted(status for status, _ in done) == ["SUCCESSFUL", "SUCCESSFUL"]
        assert sorted(ids[0] for _, ids in done) == ["maskin-a", "maskin-b"]
        assert all(len(ids) == 1 for _, ids in done)
        assert len(list(meeting.iterdir())) == 2

        # Both servers see both workers alive.
        for port in ports:
            status, body = call(port, "GET", "/halsa/redo/", {})
            assert status == 200 and json.loads(body)["worker"]["ok"]
        heartbeats = shell(
            env,
            (
                "from ik.ops.models import WorkerHeartbeat as H;"
                "print(sorted(H.objects.values_list('worker_id', flat=True)))"
            ),
        )
        assert heartbeats == "['maskin-a', 'maskin-b']"
