"""`make serve` and the gunicorn config refuse development settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, override_settings

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION_KEY = "p" * 60


class ProductionCheckTests(SimpleTestCase):
    @override_settings(DEBUG=False, STATIC_ROOT="/srv/ik/static", SECRET_KEY=PRODUCTION_KEY)
    def test_production_settings_pass(self):
        call_command("productioncheck", stdout=open(os.devnull, "w"))  # noqa: SIM115

    @override_settings(DEBUG=True, STATIC_ROOT=None, SECRET_KEY="development-only-not-secret")
    def test_development_settings_are_refused_with_every_reason(self):
        with pytest.raises(CommandError) as refused:
            call_command("productioncheck")
        message = str(refused.value)
        assert "startar inte med utvecklingsinställningar" in message
        assert "IK_DEBUG är på" in message
        assert "IK_DEVELOPMENT är inte 0" in message
        assert "IK_SECRET_KEY saknas eller är kortare än 50 tecken" in message

    @override_settings(DEBUG=False, STATIC_ROOT="/srv/ik/static", SECRET_KEY="kort")
    def test_a_short_secret_key_is_refused(self):
        with pytest.raises(CommandError, match="IK_SECRET_KEY"):
            call_command("productioncheck")


def test_gunicorn_refuses_to_start_in_debug_mode():
    env = {
        **os.environ,
        "IK_DEBUG": "1",
        "IK_DEVELOPMENT": "0",
        "IK_SECRET_KEY": PRODUCTION_KEY,
        "PORT": "0",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    result = subprocess.run(  # noqa: S603
        [str(gunicorn), "-c", "deploy/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "IK_DEBUG är på" in result.stderr
    assert "Booting worker" not in result.stderr
