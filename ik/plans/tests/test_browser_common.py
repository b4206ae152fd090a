"""The controller decides a common control point and finds it in every committee's plan."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ik.web.tests.axe import assert_accessible
from ik.web.tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "Följs rutinen för gåvor och mutor?"


def test_controller_adds_a_common_point_that_appears_in_all_five_plans(page: Page, demo: str):
    log_in(page, demo, "controller")
    page.goto(f"{demo}/o/exempelkommun/")
    assert_accessible(page)
    page.get_by_role("link", name="Kommungemensamma kontrollmoment").click()
    assert_accessible(page)
    page.goto(f"{page.url}?ar=2018")
    expect(page.get_by_role("heading", name="Kommungemensamma kontrollmoment 2018")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Nytt kommungemensamt kontrollmoment").click()
    assert_accessible(page)
    page.get_by_label("Process").fill("Oegentligheter")
    page.get_by_label("Kontrollmoment").fill(QUESTION)
    page.get_by_label("Kontrollmetod").fill("Genomgång av gåvoregistret")
    page.get_by_label("Kontrollansvarig").fill("Förvaltningschef")
    page.get_by_label("Tidpunkt/frekvens").fill("En gång per år")
    page.get_by_role("button", name="Spara").click()

    row = page.get_by_role("row", name="Oegentligheter")
    expect(row).to_contain_text("5 av 5 planer")
    assert_accessible(page)

    for committee in ("Socialnämnden", "Samhällsbyggnadsnämnden"):
        page.goto(f"{demo}/o/exempelkommun/")
        page.get_by_role("link", name=committee, exact=True).click()
        assert_accessible(page)
        page.get_by_role("link", name="Internkontrollplan 2018").first.click()
        expect(page.get_by_role("heading", name="Internkontrollplan 2018")).to_be_visible()
        expect(page.get_by_text(QUESTION)).to_be_visible()
        expect(page.get_by_text("Oegentligheter (kommungemensamt)")).to_be_visible()
        assert_accessible(page)


def test_the_deadlines_page_shows_late_committees_in_the_demo(page: Page, demo: str):
    log_in(page, demo, "controller")
    page.goto(f"{demo}/o/exempelkommun/")
    page.get_by_role("link", name="Tidsplan").click()
    assert_accessible(page)
    page.goto(f"{page.url}?ar=2018")
    late = page.get_by_role("region", name="Sena nämnder")
    expect(late).to_contain_text("Samhällsbyggnadsnämnden")
    expect(late).to_contain_text("Planen är inte fastställd.")
    expect(late).to_contain_text("Planen fastställdes för sent (2017-12-17).")
    assert_accessible(page)
