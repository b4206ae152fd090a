"""Throughput of the production server under many concurrent signed-in users.

Creates a PostgreSQL database, migrates it and loads the demo, starts gunicorn with
`deploy/gunicorn.conf.py` (what `make serve` runs) on a free loopback port with production
settings, and drives it with 10, 50 and 200 concurrent users: reads of the start, plan,
follow-up and oversight pages, and 10 % writes (a follow-up entry saved through its form).
Two baselines come from the same server at the same concurrency: an empty signed-in page
(session, user, rights and the base layout; `load_urls.py`), the floor under every page, and
a stylesheet. Bounded: each level runs for --seconds or until --max-requests, whichever
comes first.

    uv run python benchmarks/load.py [--users 10,50,200] [--seconds 15] [--workers 4]
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_DATABASE = "postgresql://ik:ik@127.0.0.1:5432/ik_load"
HOST = "127.0.0.1"
STATIC = "/static/css/base.css"
# The empty signed-in page load_urls.py adds to IK's URLs.
EMPTY = "/belastning/tomt/"
PASSWORD = "internkontroll"
# Signed-in users the virtual users share; the controller also saves entries. Each reads only
# the pages it may see (checked once before the run).
USERS = ["controller", "revisor", "sekreterare"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def recreate_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"Databasnamnet {name!r} ska vara små bokstäver, siffror och _.")
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")


def server_env(database_url: str, port: int, args: argparse.Namespace) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IK_")}
    return {
        **env,
        "DATABASE_URL": database_url,
        # IK's settings plus the empty signed-in page (load_settings.py).
        "DJANGO_SETTINGS_MODULE": "load_settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "benchmarks"), str(ROOT)]),
        "IK_DEVELOPMENT": "0",
        "IK_SECRET_KEY": secrets.token_urlsafe(50),
        "IK_ALLOWED_HOSTS": HOST,
        "IK_BEHIND_PROXY": "1",
        "IK_STATIC_ROOT": str(Path(tempfile.gettempdir()) / f"ik-load-static-{port}"),
        "IK_WEB_WORKERS": str(args.workers),
        "IK_WEB_THREADS": str(args.threads),
        "IK_LOG_LEVEL": "WARNING",
        "HOST": HOST,
        "PORT": str(port),
    }


def manage(env: dict[str, str], *command: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def start_server(env: dict[str, str]) -> subprocess.Popen[bytes]:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "-c", "deploy/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(Path(tempfile.gettempdir()) / "ik-load-server.log", "a"),  # noqa: SIM115
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if request(int(env["PORT"]), "GET", "/halsa/").status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("gunicorn svarade inte på /halsa/ inom 120 s.")


@dataclass
class Answer:
    status: int
    body: str
    cookies: dict[str, str] = field(default_factory=dict)


def request(
    port: int,
    method: str,
    path: str,
    *,
    cookies: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    conn: http.client.HTTPConnection | None = None,
) -> Answer:
    own = conn is None
    conn = conn or http.client.HTTPConnection(HOST, port, timeout=60)
    headers = {"Host": HOST, "X-Forwarded-Proto": "https", "Referer": f"https://{HOST}/"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        set_cookies = {}
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            set_cookies[name.strip()] = value.strip()
        return Answer(response.status, text, set_cookies)
    finally:
        if own:
            conn.close()


class FormReader(HTMLParser):
    """The fields of every POST form on a page, as a browser would submit them."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, str]] = []
        self.fields: dict[str, str] | None = None
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self.fields = {}
            self.forms.append(self.fields)
        if self.fields is None:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind not in {"checkbox", "radio", "submit", "file"} or "checked" in a:
                self.fields[a["name"]] = a.get("value", "")
        elif tag == "select":
            self.select = a.get("name")
        elif self.select and tag == "option":
            if "selected" in a or self.select not in self.fields:
                self.fields[self.select] = a.get("value", "")
        elif tag == "textarea":
            self.textarea = a.get("name", "")
            self.fields[self.textarea] = ""

    def handle_data(self, data: str) -> None:
        if self.textarea and self.fields is not None:
            self.fields[self.textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form":
            self.fields = None

    def form_with(self, name: str) -> dict[str, str]:
        return next(form for form in self.forms if name in form)


def log_in(port: int, username: str) -> dict[str, str]:
    page = request(port, "GET", "/logga-in/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
    assert token, "ingen CSRF-token på inloggningssidan"
    form = {"csrfmiddlewaretoken": token[1], "username": username, "password": PASSWORD}
    answer = request(port, "POST", "/logga-in/", cookies=page.cookies, form=form)
    assert answer.status == 302, f"inloggningen som {username} gav {answer.status}"
    return {**page.cookies, **answer.cookies}


def demo_urls(env: dict[str, str]) -> tuple[list[str], list[str]]:
    """Pages to read, and entry forms the controller may save, from the demo database."""
    script = (
        "from django.urls import reverse as r\n"
        "from ik.plans.models import Plan\n"
        "from ik.followups.models import FollowUp, FollowUpEntry\n"
        "from ik.org.models import Organisation\n"
        "for p in Plan.objects.all()[:6]: print('R', r('plans:plan_detail', args=[p.public_id]))\n"
        "for f in FollowUp.objects.all()[:6]:\n"
        "    print('R', r('followups:followup_detail', args=[f.public_id]))\n"
        "for o in Organisation.objects.all():\n"
        "    print('R', r('oversight:overview', args=[o.code]))\n"
        "open_entries = FollowUpEntry.objects.filter(followup__status=FollowUp.Status.OPEN)\n"
        "for e in open_entries: print('W', r('followups:entry_edit', args=[e.public_id]))\n"
    )
    out = manage(env, "shell", "--no-imports", "-c", script)
    reads = ["/"] + [line[2:] for line in out.splitlines() if line.startswith("R ")]
    writes = [line[2:] for line in out.splitlines() if line.startswith("W ")]
    return reads, writes


@dataclass
class Tally:
    times: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, error: str | None) -> None:
        with self.lock:
            self.times.append(seconds)
            if error:
                self.errors.append(error)


def timed(tally: Tally, expect: int, call) -> Answer | None:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    try:
        answer = call()
    except (OSError, http.client.HTTPException) as exc:
        tally.add(time.perf_counter() - start, type(exc).__name__)
        return None
    ok = answer.status == expect
    tally.add(time.perf_counter() - start, None if ok else f"HTTP {answer.status}")
    return answer if ok else None


class Desk:
    """Entries someone has open in an edit form. Two people rarely edit the same control
    point in the same second; a virtual user takes an entry nobody else has open, so a
    refusal is an error of the server and never the version check doing its job."""

    def __init__(self, urls: list[str]) -> None:
        self.free = list(urls)
        self.lock = threading.Lock()

    def take(self, rng: random.Random) -> str | None:
        with self.lock:
            if not self.free:
                return None
            return self.free.pop(rng.randrange(len(self.free)))

    def give_back(self, url: str) -> None:
        with self.lock:
            self.free.append(url)


def save_entry(port, conn, tally, cookies, desk, rng):  # type: ignore[no-untyped-def]
    """Save an entry nobody else has open; False when every entry is open elsewhere."""
    url = desk.take(rng)
    if url is None:
        return False
    try:
        _save(port, conn, tally, cookies, url)
    finally:
        desk.give_back(url)
    return True


def _save(port, conn, tally, cookies, url):  # type: ignore[no-untyped-def]
    page = timed(tally, 200, lambda: request(port, "GET", url, cookies=cookies, conn=conn))
    if page is None:
        return
    reader = FormReader()
    reader.feed(page.body)
    form = reader.form_with("execution_status")
    form["execution_status"] = "done"
    form["result_text"] = f"Kontrollerat {random.randint(1, 10**6)}."
    if "measured_value" in form and not form["measured_value"].strip():
        form["measured_value"] = "3"
    timed(tally, 302, lambda: request(port, "POST", url, cookies=cookies, form=form, conn=conn))


def read(port, conn, tally, cookies, url):  # type: ignore[no-untyped-def]
    timed(tally, 200, lambda: request(port, "GET", url, cookies=cookies, conn=conn))


def virtual_user(port, until, cap, tally, sessions, reads, writes, workload):  # type: ignore[no-untyped-def]
    rng = random.Random()
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        while time.monotonic() < until and len(tally.times) < cap:
            if workload == "static":
                timed(tally, 200, lambda: request(port, "GET", STATIC, conn=conn))
                continue
            username, cookies = rng.choice(sessions)
            if workload == "empty":
                read(port, conn, tally, cookies, EMPTY)
                continue
            saving = username == "controller" and rng.random() < 0.1 * len(sessions)
            if not (saving and save_entry(port, conn, tally, cookies, writes, rng)):
                read(port, conn, tally, cookies, rng.choice(reads[username]))
    finally:
        conn.close()


def run_level(users: int, seconds: float, cap: int, workload: str, **shared) -> tuple[Tally, float]:  # type: ignore[no-untyped-def]
    tally = Tally()
    start = time.monotonic()
    threads = [
        threading.Thread(
            target=virtual_user,
            args=(shared["port"], start + seconds, cap, tally, shared["sessions"]),
            kwargs={"reads": shared["reads"], "writes": shared["writes"], "workload": workload},
        )
        for _ in range(users)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return tally, time.monotonic() - start


# The mixed workload, the empty signed-in page (the floor of every page) and the stylesheet.
WORKLOADS = ("mixed", "empty", "static")


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] * 1000 if len(values) > 1 else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--users", default="10,50,200")
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--max-requests", type=int, default=20000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--conn-max-age",
        default="300",
        help="IK_DB_CONN_MAX_AGE, or several to compare in one run (0,300: 0 = a new "
        "connection per request, as before)",
    )
    parser.add_argument("--rounds", type=int, default=1, help="repeat the comparison")
    args = parser.parse_args()
    if not args.database_url.startswith("postgresql://ik:ik@127.0.0.1:"):
        raise SystemExit("Bara en databas på 127.0.0.1 (loopback) används.")

    port = free_port()
    env = server_env(args.database_url, port, args)
    recreate_database(args.database_url)
    manage(env, "migrate", "--no-input")
    manage(env, "loaddemo")
    manage(env, "collectstatic", "--no-input")
    reads, writes = demo_urls(env)
    print(f"gunicorn {args.workers} processes × {args.threads} threads, PostgreSQL, demo data")
    print(
        f"{len(reads)} pages to read, {len(writes)} entry forms to save (10 % of actions, "
        "each open in one virtual user's form at a time)"
    )
    print(
        f"{'conn age':>8}{'users':>6} {'workload':<10}{'requests':>9}{'errors':>8}{'req/s':>9}"
        f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}",
        flush=True,
    )
    ages = [int(a) for a in args.conn_max_age.split(",")]
    for _ in range(args.rounds):
        for age in ages:
            serve_and_measure({**env, "IK_DB_CONN_MAX_AGE": str(age)}, reads, writes, args)


def serve_and_measure(env, reads, writes, args) -> None:  # type: ignore[no-untyped-def]
    port = int(env["PORT"])
    server = start_server(env)
    try:
        sessions = [(name, log_in(port, name)) for name in USERS]
        readable = {
            name: [url for url in reads if request(port, "GET", url, cookies=c).status == 200]
            for name, c in sessions
        }
        shared = {"port": port, "sessions": sessions, "reads": readable, "writes": Desk(writes)}
        for users in [int(n) for n in args.users.split(",")]:
            rates = {}
            for workload in WORKLOADS:
                tally, elapsed = run_level(
                    users, args.seconds, args.max_requests, workload, **shared
                )
                t = tally.times
                rates[workload] = len(t) / elapsed
                print(
                    f"{env['IK_DB_CONN_MAX_AGE']:>8}{users:>6} "
                    f"{workload:<10}{len(t):>9}"
                    f"{len(tally.errors):>8}{rates[workload]:>9.1f}"
                    f"{pct(t, 50):>9.1f}{pct(t, 95):>9.1f}{pct(t, 99):>9.1f}",
                    flush=True,
                )
                if tally.errors:
                    print(f"{'':>15}errors: {', '.join(sorted(set(tally.errors)))}")
            print(
                f"{'':>15}mixed = {rates['mixed'] / rates['empty']:.2f} × the empty signed-in "
                f"page, {rates['mixed'] / rates['static']:.3f} × the stylesheet",
                flush=True,
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()


if __name__ == "__main__":
    main()
