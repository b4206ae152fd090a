"""The system register in a real browser: import refused with a clear error, then an edit."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from ik.demo.users import DEMO_PASSWORD
from ik.web.tests.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BAD_FILE = (
    "system;kritikalitet;prioritet;beror_pa;rto_timmar;larm;larmmottagare\n"
    "Nätverk;samhällskritisk;1;;2;ja;IT-jour\n"
    "Kalender;övrig;sist;Nätverk;;nej;\n"
).encode()


@pytest.fixture
def demo(live_server):
    call_command("loaddemo", stdout=io.StringIO())
    return live_server.url


def test_controller_meets_a_bad_priority_on_import_then_edits_a_system(page: Page, demo: str):
    page.goto(f"{demo}/logga-in/")
    page.get_by_label("Användarnamn").fill("controller")
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", name="Mina uppgifter")).to_be_visible()

    page.goto(f"{demo}/o/mjolby/")
    page.get_by_role("link", name="Systemregister").click()
    expect(page.get_by_role("heading", name="Systemregister")).to_be_visible()
    expect(page.get_by_role("link", name="Räddningstjänstens larmsystem")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Importera").click()
    assert_accessible(page)
    page.get_by_label("Systemregister (CSV eller Excel)").set_input_files(
        files=[{"name": "system.csv", "mimeType": "text/csv", "buffer": BAD_FILE}]
    )
    page.get_by_role("button", name="Läs in").click()
    expect(
        page.get_by_text("Prioriteten är inget heltal: 'sist' (rad 3, kolumn prioritet)")
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Systemregister").click()
    page.get_by_role("link", name="E-post").click()
    expect(page.get_by_role("heading", name="E-post")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Redigera").click()
    assert_accessible(page)
    page.get_by_label("Återställningstid, mål (timmar)").fill("4,5")
    page.get_by_label("Brandvägg").check()
    page.get_by_role("button", name="Spara").click()

    expect(page.get_by_text("Systemet E-post är sparat.")).to_be_visible()
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("4,5")
    expect(page.get_by_role("link", name="Brandvägg")).to_be_visible()
    assert_accessible(page)
