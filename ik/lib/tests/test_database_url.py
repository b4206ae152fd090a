import pytest

from ik.lib.database_url import parse_database_url


def test_postgres_url_with_credentials_and_options():
    cfg = parse_database_url("postgresql://ik:hemligt%21@db.local:5433/ik?sslmode=require")
    assert cfg["ENGINE"] == "django.db.backends.postgresql"
    assert (cfg["NAME"], cfg["USER"], cfg["PASSWORD"]) == ("ik", "ik", "hemligt!")
    assert (cfg["HOST"], cfg["PORT"]) == ("db.local", "5433")
    assert cfg["OPTIONS"] == {"sslmode": "require"}


def test_sqlite_absolute_path():
    cfg = parse_database_url("sqlite:////var/lib/ik/db.sqlite3")
    assert cfg == {"ENGINE": "django.db.backends.sqlite3", "NAME": "/var/lib/ik/db.sqlite3"}


def test_unknown_scheme_is_refused():
    with pytest.raises(ValueError, match="mysql"):
        parse_database_url("mysql://x@y/z")
