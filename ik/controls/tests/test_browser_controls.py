"""Running a control from the follow-up page in a real browser, with the page polling."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from ik.controls.models import ControlRun
from ik.controls.running import control_run_execute
from ik.web.tests.axe import assert_accessible
from ik.web.tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEDGER = (
    "FAKTURANR;LEVERANTOR;ORGNR;ANSVAR;FAKTURADATUM;FORFALLODATUM;BETALDATUM;BELOPP_SEK\n"
    "1;Åkeri AB;5560360793;11;2018-01-01;2018-01-31;2018-01-30;1 000,00\n"
    "2;Åkeri AB;5560360793;11;2018-01-01;2018-01-31;2018-02-12;2 500,00\n"
    "3;Städ i Mjölby;5560360793;12;2018-02-01;2018-03-02;2018-03-01;900,00\n"
)


def test_control_owner_runs_late_payments_and_the_result_turns_the_entry_red(
    page: Page,
    demo: str,
    tmp_path,  # noqa: F811
):
    ledger = tmp_path / "reskontra.csv"
    ledger.write_bytes(LEDGER.encode("cp1252"))
    log_in(page, demo, "ekonomichef")
    page.get_by_role("link", name="Nämnder och planer").click()
    page.get_by_role("link", name="Internkontrollplan 2018").click()
    page.get_by_role("link", name=re.compile("Öppna uppföljningen")).click()
    page.get_by_role("link", name=re.compile("^Kör automatisk kontroll för 1\\.")).click()
    assert_accessible(page)
    page.get_by_role("link", name="Försent betalda fakturor").click()
    assert_accessible(page)
    page.get_by_label("Reskontrafil").set_input_files(str(ledger))
    page.get_by_role("button", name="Kör kontrollen").click()

    expect(page.locator("#run-status")).to_contain_text("I kö")
    assert_accessible(page)
    # The worker's part, done here so the test does not depend on a background process.
    control_run_execute(run_id=ControlRun.objects.latest("id").pk)
    expect(page.locator("#run-status .badge")).to_have_text("Röd", timeout=10_000)
    expect(page.locator("#run-status")).to_contain_text("33,3")
    expect(page.locator("#run-status")).to_contain_text("11 Ekonomiska avdelningen")
    assert_accessible(page)

    page.get_by_role("link", name="Tillbaka till uppföljningen").click()
    card = page.locator("article", has_text="1. Försent betalda fakturor")
    expect(card).to_contain_text("33,3 %")
    expect(card.get_by_role("link", name=re.compile("Försent betalda fakturor, "))).to_be_visible()
