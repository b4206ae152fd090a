"""Running contract compliance from the follow-up page against the demo's contract register."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ik.controls.models import ControlRun
from ik.controls.running import control_run_execute
from ik.web.tests.axe import assert_accessible
from ik.web.tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEDGER = Path(__file__).resolve().parents[2] / "engine" / "examples"


def test_control_owner_runs_contract_compliance_on_the_demo_register(page: Page, demo: str):
    log_in(page, demo, "ekonomichef")
    page.get_by_role("link", name="Nämnder och planer").click()
    page.get_by_role("link", name="Internkontrollplan 2018").click()
    page.get_by_role("link", name=re.compile("Öppna uppföljningen")).click()
    page.get_by_role("link", name=re.compile("^Kör automatisk kontroll för 1\\.")).click()
    page.get_by_role("link", name="Avtalstrohet").click()
    expect(page.get_by_label("Mål: minst (%)")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Reskontrafil").set_input_files(
        str(LEDGER / "exempel_reskontra_betalningar.csv")
    )
    page.get_by_role("button", name="Kör kontrollen").click()
    expect(page.locator("#run-status")).to_contain_text("I kö")
    control_run_execute(run_id=ControlRun.objects.latest("id").pk)
    expect(page.locator("#run-status .badge")).to_have_text("Röd", timeout=10_000)
    expect(page.locator("#run-status")).to_contain_text("51,2")
    expect(page.get_by_text("avtalet upphörde 2018-04-20")).to_be_visible()
    assert_accessible(page)
