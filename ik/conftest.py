"""Browser-test fixtures: Debian's Chromium driven by Playwright, with axe-core checks."""

from __future__ import annotations

import os
from datetime import date
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

from ik.reports.tests.archives import remove_archived_items

# Hypothesis' default 200 ms deadline is a wall-clock limit: on a loaded machine it fails
# tests whose behaviour is right. The properties are checked without a clock.
hypothesis_settings.register_profile("ik", deadline=None)
hypothesis_settings.load_profile("ik")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_configure(config: pytest.Config) -> None:
    """Argon2 costs about 0.2 s a hash by design; the tests create hundreds of users."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Organisation archives are signed; the tests share one key (README, Säkerhetskopiering).
    settings.IK_BACKUP_KEY = "test-backup-key-" + "x" * 32


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Browser tests need Debian's Chromium at {CHROMIUM} (make test installs it).")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def _demo_loaded_in_2018(monkeypatch: pytest.MonkeyPatch) -> None:
    """Exempelkommun's plans follow the day the demo is loaded. The suite loads it as on
    15 October 2018, so that its pages and documents read the same whatever the year."""
    monkeypatch.setattr("ik.demo.exempelkommun.today", lambda: date(2018, 10, 15))


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    """Uploaded files from tests go to a temporary folder, never into var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _archives_removed_before_the_flush(request: pytest.FixtureRequest) -> Any:
    """A transactional test may leave archived items, which the database refuses to
    delete (reports migration 0006); they are removed before its tables are emptied."""
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and marker.kwargs.get("transaction", False)
    if not transactional and not {"live_server", "transactional_db"} & set(request.fixturenames):
        yield
        return
    # Asked for here so that this teardown runs before the database is emptied.
    request.getfixturevalue("transactional_db")
    yield
    remove_archived_items()


@pytest.fixture
def demo(live_server: Any) -> str:
    """The demo data behind a live server; returns the server's address."""
    import io

    from django.core.management import call_command

    call_command("loaddemo", stdout=io.StringIO())
    return str(live_server.url)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """A laptop screen; assert_accessible also tries each page at a phone's width."""
    return {**browser_context_args, "viewport": {"width": 1366, "height": 900}}
