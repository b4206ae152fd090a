"""The oversight journey in a real browser, with an accessibility check on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from ik.web.tests.axe import assert_accessible
from ik.web.tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_late_payment_result_shows_up_beside_the_other_committees(page: Page, demo: str):
    log_in(page, demo, "exempel-ekonomichef")
    page.goto(f"{demo}/o/exempelkommun/")
    assert_accessible(page)
    page.get_by_role("link", name="Kultur- och fritidsnämnden").click()
    assert_accessible(page)
    page.get_by_role("link", name="Internkontrollplan 2018").click()
    expect(page.get_by_role("heading", name="Internkontrollplan 2018")).to_be_visible()
    assert_accessible(page)
    row = page.locator("tr", has_text="Försent betalda fakturor")
    row.get_by_role("link", name=re.compile("^Rapportera")).click()
    assert_accessible(page)
    page.get_by_label("Mätvärde (%)").fill("4,2")
    page.get_by_label("Genomförande").select_option(label="Genomförd")
    page.get_by_label("Resultat").fill("4,2 % av fakturorna betalades för sent.")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator("tr", has_text="Försent betalda fakturor")).to_contain_text("4,2 %")
    assert_accessible(page)
    expect(page.get_by_role("link", name="Översikt")).to_have_count(0)
    page.get_by_role("button", name="Logga ut").click()

    log_in(page, demo, "controller")
    page.get_by_role("link", name="Översikt").click()
    expect(page.get_by_role("heading", name="Internkontroll 2018 – översikt")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("navigation", name="Välj uppföljningsdatum").get_by_role(
        "link", name="2018-08-31"
    ).click()
    expect(page.get_by_text("uppföljning per 31 augusti 2018")).to_be_visible()
    assert_accessible(page)

    late = page.get_by_role("table", name=re.compile("^Försent betalda fakturor"))
    results = {
        "Kommunstyrelsen": ("Grön", "3,2 %"),
        "Barn- och utbildningsnämnden": ("Gul", "6,1 %"),
        "Socialnämnden": ("Röd", "9,4 %"),
        "Kultur- och fritidsnämnden": ("Grön", "4,2 %"),
    }
    for committee, (colour, value) in results.items():
        row = late.locator("tbody tr", has=page.get_by_role("rowheader", name=committee))
        expect(row.locator(".badge")).to_have_text(colour)
        expect(row).to_contain_text(value.replace(" ", "\u00a0"))
    expect(late.locator("tfoot")).to_contain_text("Hela kommunen")

    summary = page.get_by_role("table", name=re.compile("^Nämndernas internkontroll"))
    expect(summary.locator("#namnd-sbn")).to_contain_text("Utkast")
    summary.locator("#namnd-kfn").get_by_role("link", name=re.compile("^Uppföljning")).click()
    expect(page.get_by_text("Kultur- och fritidsnämnden")).not_to_have_count(0)
    assert_accessible(page)
