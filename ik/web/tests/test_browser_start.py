"""Start pages by role in a real browser, each checked with axe at laptop and phone width."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ik.web.tests.axe import assert_accessible
from ik.web.tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_politician_lands_on_the_committee_at_a_glance(page: Page, demo: str):
    log_in(page, demo, "politiker")
    glance = page.get_by_role("region", name="Senaste uppföljningen per nämnd, Mjölby kommun")
    row = glance.get_by_role("row", name="Kommunstyrelsen")
    expect(row).to_contain_text("Per 31 augusti 2018")
    red = page.get_by_role("region", name="Röda bedömningar")
    expect(red).to_contain_text("Försent betalda fakturor")
    expect(page.get_by_role("region", name="Öppna avvikelser")).to_contain_text("8 %")
    expect(page.get_by_text("Du har inga kontrollmoment")).to_have_count(0)
    red.get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Uppföljning av internkontrollplan")).to_be_visible()
    assert_accessible(page)


def test_the_auditor_sees_both_organisations_by_name(page: Page, demo: str):
    log_in(page, demo, "revisor")
    expect(page.get_by_role("heading", name="Exempelkommun")).to_be_visible()
    expect(page.get_by_role("heading", name="Mjölby kommun")).to_be_visible()
    expect(page.get_by_role("region", name="Försenade åtgärder")).to_be_visible()
    assert_accessible(page)


def test_the_controller_finds_late_committees_from_the_start_and_the_overview(
    page: Page, demo: str
):
    log_in(page, demo, "controller")
    late = page.get_by_role("region", name="Försenat i Exempelkommun")
    expect(late).to_contain_text("Samhällsbyggnadsnämnden")
    late.get_by_role("link", name="Tidsplan 2018 för Exempelkommun").click()
    expect(page.get_by_role("heading", name="Tidsplan 2018")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{demo}/o/exempelkommun/oversikt/?ar=2018")
    overview_late = page.get_by_role("region", name="Sena nämnder 2018")
    expect(overview_late).to_contain_text("Planen är inte fastställd.")
    expect(overview_late.get_by_role("link", name="Tidsplan 2018")).to_be_visible()
    assert_accessible(page)
