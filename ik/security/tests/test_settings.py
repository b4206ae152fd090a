"""Production settings pass Django's deployment check; single sign-on is off unless set up."""

import ast
import importlib
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import NoReverseMatch, clear_url_caches, reverse

from ik.security.oidc import BACKEND, REQUIRED, authentication_backends, oidc_settings

ROOT = Path(__file__).resolve().parents[3]

# The production environment README documents ("Säkerhet och produktion").
PRODUCTION = {
    "IK_DEVELOPMENT": "0",
    "IK_SECRET_KEY": secrets.token_urlsafe(50),
    "IK_ALLOWED_HOSTS": "ik.example.se",
    "IK_CSRF_TRUSTED_ORIGINS": "https://ik.example.se",
    "IK_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "IK_EMAIL_HOST": "smtp.example.se",
}

ENTRA = {
    "IK_OIDC_RP_CLIENT_ID": "00000000-0000-0000-0000-000000000000",
    "IK_OIDC_RP_CLIENT_SECRET": "hemligt",
    "IK_OIDC_OP_AUTHORIZATION_ENDPOINT": "https://login.microsoftonline.com/t/oauth2/v2.0/authorize",
    "IK_OIDC_OP_TOKEN_ENDPOINT": "https://login.microsoftonline.com/t/oauth2/v2.0/token",
    "IK_OIDC_OP_USER_ENDPOINT": "https://graph.microsoft.com/oidc/userinfo",
    "IK_OIDC_OP_JWKS_ENDPOINT": "https://login.microsoftonline.com/t/discovery/v2.0/keys",
}


def _manage(*args: str, extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("IK_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    return subprocess.run(  # noqa: S603 - a fixed command line, no user input
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**env, **extra},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_documented_production_environment_passes_the_deployment_check(tmp_path):
    database = {"DATABASE_URL": f"sqlite:///{tmp_path / 'ik.sqlite3'}"}
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", extra={**PRODUCTION, **database}
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_settings_are_strict(tmp_path):
    script = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_PROXY_SSL_HEADER)"
    )
    database = {"DATABASE_URL": f"sqlite:///{tmp_path / 'ik.sqlite3'}"}
    behind_proxy = {**PRODUCTION, **database, "IK_BEHIND_PROXY": "1"}
    result = _manage("shell", "--no-imports", "-c", script, extra=behind_proxy)
    assert result.stdout.split() == [
        "True",
        "True",
        "True",
        "31536000",
        "True",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
    ], result.stderr


def test_development_does_not_redirect_to_https():
    assert not settings.SECURE_SSL_REDIRECT
    assert settings.SECURE_PROXY_SSL_HEADER is None


def test_passwords_are_hashed_with_argon2_outside_the_tests():
    # The test run swaps in a fast hasher (ik/conftest.py); the configured one is Argon2.
    import ik.settings as configured

    assert configured.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_single_sign_on_is_off_by_default():
    assert settings.IK_OIDC_ENABLED is False
    assert BACKEND not in settings.AUTHENTICATION_BACKENDS
    with pytest.raises(NoReverseMatch):
        reverse("oidc_authentication_init")


def test_single_sign_on_settings_come_from_the_environment():
    assert oidc_settings({}) == {"IK_OIDC_ENABLED": False}
    values = oidc_settings(ENTRA)
    assert values["IK_OIDC_ENABLED"] and values["OIDC_CREATE_USER"] is False
    assert values["OIDC_RP_SIGN_ALGO"] == "RS256"
    assert authentication_backends(True)[-1] == BACKEND


def test_half_configured_single_sign_on_is_an_error():
    partial = {k: v for k, v in ENTRA.items() if k != REQUIRED[-1]}
    with pytest.raises(RuntimeError, match="IK_OIDC_OP_JWKS_ENDPOINT"):
        oidc_settings(partial)


@pytest.mark.django_db
def test_enabling_single_sign_on_adds_the_backend_the_urls_and_the_button(client):
    import ik.urls

    enabled = {**oidc_settings(ENTRA), "AUTHENTICATION_BACKENDS": authentication_backends(True)}
    try:
        with override_settings(**enabled):
            importlib.reload(ik.urls)
            clear_url_caches()
            assert reverse("oidc_authentication_init") == "/oidc/authenticate/"
            assert reverse("oidc_authentication_callback") == "/oidc/callback/"
            page = client.get(reverse("login")).content.decode()
            assert "/oidc/authenticate/" in page
            from django.contrib.auth import load_backend

            backend = load_backend(BACKEND)
            assert backend.get_settings("OIDC_CREATE_USER") is False
    finally:
        importlib.reload(ik.urls)
        clear_url_caches()
    with pytest.raises(NoReverseMatch):
        reverse("oidc_authentication_init")


def test_a_typo_in_a_production_switch_stops_the_start_naming_the_variable(tmp_path):
    database = {"DATABASE_URL": f"sqlite:///{tmp_path / 'ik.sqlite3'}"}
    typo = {**PRODUCTION, **database, "IK_SECURE_SSL_REDIRECT": "ture"}
    result = _manage("check", extra=typo)
    assert result.returncode != 0
    assert "IK_SECURE_SSL_REDIRECT ska vara 1 eller 0" in result.stderr


def test_secrets_are_read_from_files(tmp_path):
    key = secrets.token_urlsafe(50)
    (tmp_path / "key").write_text(f"{key}\n", encoding="utf-8")
    (tmp_path / "db").write_text(f"sqlite:///{tmp_path / 'fil.sqlite3'}\n", encoding="utf-8")
    production = {k: v for k, v in PRODUCTION.items() if k != "IK_SECRET_KEY"}
    files = {"IK_SECRET_KEY_FILE": str(tmp_path / "key"), "DATABASE_URL_FILE": str(tmp_path / "db")}
    script = (
        "from django.conf import settings as s;"
        f"print(s.SECRET_KEY == {key!r}, s.DATABASES['default']['NAME'].endswith('fil.sqlite3'))"
    )
    result = _manage("shell", "--no-imports", "-c", script, extra={**production, **files})
    assert result.stdout.split() == ["True", "True"], result.stderr


def _variables_read(source: Path) -> set[str]:
    tree = ast.parse(source.read_text(encoding="utf-8"))
    names = {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and re.fullmatch(r"IK_[A-Z0-9_]+|DATABASE_URL", node.value)
    }
    return names - {"IK_OIDC_ENABLED"}


def test_every_environment_variable_the_settings_read_is_in_the_readme():
    import ik.settings as configured

    read = _variables_read(ROOT / "ik" / "settings.py")
    read |= _variables_read(ROOT / "ik" / "security" / "oidc.py")
    read |= {f"{name}_FILE" for name in configured._SECRETS}
    assert {"IK_SECURE_COOKIES", "IK_SECRET_KEY_FILE", "IK_OIDC_RP_SIGN_ALGO"} <= read
    table_rows = [
        line
        for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("| `")
    ]
    documented = {name for row in table_rows for name in re.findall(r"`([A-Z0-9_]+)`", row)}
    assert sorted(read - documented) == []
