"""The files in deploy/ cannot run here (no systemd, no container engine), so they are read:
they must parse, and name the same commands as the README, the Makefile and each other."""

import configparser
import re
from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"

COMMANDS = {
    "web": "gunicorn -c deploy/gunicorn.conf.py",
    "worker": "python manage.py worker",
    "reminders": "python manage.py sendreminders --loop",
}
UNITS = {process: f"ik-{process}.service" for process in COMMANDS}
MEMORY = re.compile(r"^\d+[KMG]$")


def unit(name: str) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string((DEPLOY / name).read_text(encoding="utf-8"))
    return parser


def drift_section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("\n## Drift\n", 1)[1].split("\n## ", 1)[0]


def test_the_readme_names_every_process_command():
    drift = drift_section()
    for command in COMMANDS.values():
        assert f"`{command}" in drift, command
    for file in UNITS.values():
        assert file in drift


def test_each_unit_runs_its_command_supervised_and_unprivileged():
    for process, name in UNITS.items():
        service = unit(name)["Service"]
        assert service["ExecStart"].endswith(COMMANDS[process].split(" ", 1)[1]), name
        assert COMMANDS[process].split()[0] in service["ExecStart"]
        assert service["Restart"] == "on-failure"
        assert MEMORY.match(service["MemoryMax"]), name
        assert service["User"] not in {"", "root", "0"}
        assert service["EnvironmentFile"] == "/etc/ik/ik.env"
        assert service["WorkingDirectory"] == "/srv/ik"
        assert unit(name)["Install"]["WantedBy"] == "multi-user.target"


def test_the_web_unit_refuses_development_settings_before_starting():
    assert unit(UNITS["web"])["Service"]["ExecStartPre"].endswith("manage.py productioncheck")


def test_make_serve_runs_the_same_server_after_the_checks():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nserve:", 1)[1].split("\n\n", 1)[0]
    steps = ["productioncheck", "migrate", "collectstatic", COMMANDS["web"]]
    positions = [recipe.index(step) for step in steps]
    assert positions == sorted(positions)


def test_compose_runs_web_worker_reminders_and_postgresql():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert services["db"]["image"].endswith("postgres:15")
    for process, command in COMMANDS.items():
        service = services[process]
        given = service["command"]
        text = " ".join(given) if isinstance(given, list) else given
        assert command in text, process
        assert service["environment"]["DATABASE_URL"].startswith("postgresql://ik:ik@db:5432/")
        assert service["depends_on"]["db"]["condition"] == "service_healthy"
        assert service["restart"] == "on-failure"
        assert service["volumes"] == ["media:/srv/ik/var/media"]
    assert "migrate" in " ".join(services["web"]["command"])
    assert set(compose["volumes"]) == {"media", "pgdata"}


def test_the_container_runs_gunicorn_as_an_unprivileged_user():
    containerfile = (DEPLOY / "Containerfile").read_text(encoding="utf-8")
    assert "\nUSER ik\n" in containerfile
    assert 'CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py"]' in containerfile
    assert "uv sync --frozen --no-dev" in containerfile


def _size(value: str) -> int:
    number, unit_letter = re.fullmatch(r"(\d+)([kmg]?)", value.lower()).groups()
    return int(number) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit_letter]


def test_nginx_accepts_the_largest_upload_the_app_accepts_and_serves_static_files():
    nginx = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    (body,) = re.findall(r"client_max_body_size (\w+);", nginx)
    assert _size(body) >= settings.IK_MAX_UPLOAD_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert "listen 443 ssl" in nginx and "ssl_certificate " in nginx
    env = dict(
        line.split("=", 1)
        for line in (DEPLOY / "ik.env.example").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    )
    (static,) = re.findall(r"location /static/ \{\s*alias ([^;]+);", nginx)
    assert static.rstrip("/") == env["IK_STATIC_ROOT"]
    (read_timeout,) = re.findall(r"proxy_read_timeout (\d+)s;", nginx)
    assert int(read_timeout) > 120  # gunicorn's timeout (IK_WEB_TIMEOUT)
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in nginx
    assert env["IK_BEHIND_PROXY"] == "1"
