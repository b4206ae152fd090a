"""The main journeys in a real browser, with an accessibility check on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from ik.web.tests.axe import assert_accessible
from ik.web.tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_control_owner_records_a_value_above_target_and_sees_red(page: Page, demo: str):
    log_in(page, demo, "ekonomichef")
    page.get_by_role("link", name="Nämnder och planer").click()
    assert_accessible(page)
    page.get_by_role("link", name="Internkontrollplan 2018").click()
    expect(page.get_by_role("heading", name="Internkontrollplan 2018")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=re.compile(r"^Rapportera kontrollmoment 1")).click()
    assert_accessible(page)
    page.get_by_label("Mätvärde (%)").fill("9,5 %")
    page.get_by_label("Genomförande").select_option(label="Genomförd")
    page.get_by_role("button", name="Spara").click()

    row = page.locator("#kontrollmoment-1")
    expect(row.locator(".badge")).to_have_text("Röd")
    expect(row).to_contain_text("Mätvärde 9,5 %")
    assert_accessible(page)


def test_a_word_as_value_is_refused_in_the_browser(page: Page, demo: str):
    log_in(page, demo, "ekonomichef")
    page.get_by_role("link", name=re.compile(r"^Rapportera kontrollmoment 1")).first.click()
    page.get_by_label("Mätvärde (%)").fill("åtta")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("”åtta” är inte ett tal")).to_be_visible()
    assert_accessible(page)


def test_secretary_edits_an_entry_inline_on_the_followup_page(page: Page, demo: str):
    log_in(page, demo, "sekreterare")
    page.get_by_role("link", name="Kommunstyrelsen 2018").click()
    expect(
        page.get_by_role("heading", name=re.compile("Uppföljning av internkontrollplan"))
    ).to_be_visible()
    assert_accessible(page)

    card = page.locator("article", has_text="4. Kompetens digitala system")
    card.get_by_role("link", name=re.compile("^Rapportera")).click()
    form = page.locator("article.entry-card--editing")
    expect(form).to_be_visible()
    assert "/rapportera/" not in page.url  # swapped in place, no page load
    assert_accessible(page)
    form.get_by_label("Bedömning").select_option("green")
    form.get_by_label("Genomförande").select_option(label="Genomförd")
    form.get_by_label("Resultat").fill("Övningen genomförd; två personer kan varje roll.")
    form.get_by_role("button", name="Spara").click()
    card = page.locator("article", has_text="4. Kompetens digitala system")
    expect(card.locator(".badge")).to_contain_text("Grön")
    expect(card).to_contain_text("två personer kan varje roll")
    assert_accessible(page)


def test_auditor_reads_the_organisation_and_other_pages_are_accessible(page: Page, demo: str):
    log_in(page, demo, "revisor")
    page.goto(f"{demo}/o/exempelkommun/")
    assert_accessible(page)
    page.get_by_role("link", name="Socialnämnden").click()
    assert_accessible(page)
    page.get_by_role("link", name="Internkontrollplan 2018").click()
    assert_accessible(page)
    expect(page.get_by_role("link", name="Nytt kontrollmoment")).to_have_count(0)
