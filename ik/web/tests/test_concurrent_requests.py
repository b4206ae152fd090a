"""Many people at once against a real server on the default SQLite database.

The server is Django's threaded development server in its own process, on a database file of
its own, so the requests contend for SQLite's write lock the way they do in use: logins write
the session and `last_login`, saves write the entry, its history and the audit trail. Its
listen queue is longer than runserver's ten, so no connection is refused before Django sees it.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings

LOGINS = 38
SAVES = 40
PASSWORD = "internkontroll"
SERVE = """
import sys
import django
django.setup()
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.core.wsgi import get_wsgi_application

class Server(ThreadedWSGIServer):
    request_queue_size = 128

httpd = Server(("127.0.0.1", int(sys.argv[1])), WSGIRequestHandler)
httpd.set_app(get_wsgi_application())
httpd.serve_forever()
"""
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The server's address and database file; its log (the tracebacks) is beside the file."""
    database = tmp_path_factory.mktemp("concurrent") / "ik.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "IK_MEDIA_ROOT": str(database.parent / "media"),
        "IK_DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "ik.settings",
    }
    _manage(env, "migrate", "--no-input", "-v0")
    _manage(env, "loaddemo")
    port = _free_port()
    log = (database.parent / "server.log").open("w")
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", SERVE, str(port)],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    try:
        for _attempt in range(600):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None, "the server stopped while starting"
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}", database
    finally:
        process.terminate()
        process.wait()
        log.close()


class Browser:
    """One person's browser: its own cookies, so its own session."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            _NoRedirect(),
        )

    def request(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        headers = {"Referer": self.base + path}
        req = urllib.request.Request(self.base + path, data=body, headers=headers)  # noqa: S310
        try:
            with self.opener.open(req, timeout=120) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace")

    def form(self, path: str) -> dict[str, str]:
        status, page = self.request(path)
        assert status == 200, (path, status)
        return dict(_HIDDEN.findall(page))

    def login(self, username: str) -> int:
        fields = self.form("/logga-in/")
        status, _ = self.request(
            "/logga-in/", {**fields, "username": username, "password": PASSWORD}
        )
        return status


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _errors(database: Path) -> str:
    log = (database.parent / "server.log").read_text(errors="replace")
    return "\n".join(line for line in log.splitlines() if "Error" in line)[-3000:]


def _open_entries(database: Path) -> list[str]:
    with sqlite3.connect(database) as con:
        rows = con.execute(
            "SELECT e.public_id FROM followups_followupentry e "
            "JOIN followups_followup f ON f.id = e.followup_id "
            "WHERE f.status = 'open' ORDER BY e.id"
        ).fetchall()
    return [str(row[0]) for row in rows]


def _uuid(hex_or_dashed: str) -> str:
    text = hex_or_dashed.replace("-", "")
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def test_parallel_logins_and_saves_on_sqlite_give_no_server_errors(
    server: tuple[str, Path],
) -> None:
    base, database = server
    browsers = [Browser(base) for _ in range(max(LOGINS, SAVES))]
    with ThreadPoolExecutor(max_workers=len(browsers)) as pool:
        logins = Counter(pool.map(lambda b: b.login("controller"), browsers[:LOGINS]))
    assert logins == Counter({302: LOGINS}), (logins, _errors(database))

    for browser in browsers[LOGINS:]:
        assert browser.login("controller") == 302
    entries = _open_entries(database)
    assert len(entries) >= 5
    targets = [_uuid(entries[i % len(entries)]) for i in range(SAVES)]
    forms = [b.form(f"/poster/{t}/rapportera/") for b, t in zip(browsers, targets, strict=True)]

    def save(index: int) -> int:
        fields = {
            **forms[index],
            "execution_status": "in_progress",
            "result_text": f"Sparat av webbläsare {index}",
            "measured_value": "",
            "assessment": "",
            "not_done_reason": "",
        }
        status, _ = browsers[index].request(f"/poster/{targets[index]}/rapportera/", fields)
        return status

    with ThreadPoolExecutor(max_workers=SAVES) as pool:
        saves = Counter(pool.map(save, range(SAVES)))
    assert not [status for status in saves.elements() if status >= 500], (saves, _errors(database))
    assert saves[302] >= len(entries), saves
