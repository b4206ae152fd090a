"""The secretary reports a follow-up to the committee, which freezes it, and reopens it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from ik.web.tests.axe import assert_accessible
from ik.web.tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reported_followup_is_frozen_until_reopened_with_a_reason(page: Page, demo: str):
    log_in(page, demo, "sekreterare")
    page.get_by_role("link", name="Kommunstyrelsen 2018").click()
    expect(page.get_by_role("heading", name=re.compile("Uppföljning av"))).to_be_visible()
    page.locator("details.history summary").first.click()
    expect(page.get_by_text("Genomförande: Ej påbörjad → Pågår").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Rapportera till nämnden").click()
    expect(page.get_by_role("button", name="Rapportera och lås")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Nämndens sammanträdesdatum").fill("2018-10-03")
    page.get_by_label("Paragraf").fill("201")
    expect(page.get_by_role("alert")).to_contain_text("Alla kontrollmoment är inte rapporterade")
    page.get_by_label(re.compile("Rapportera till nämnden ändå")).check()
    page.get_by_role("button", name="Rapportera och lås").click()
    expect(page.locator("#frozen")).to_contain_text(
        "Rapporterad till Kommunstyrelsen 2018-10-03 § 201"
    )
    expect(
        page.get_by_role("link", name=re.compile("^Rapportera kontrollmoment|^Rapportera 1"))
    ).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("^Registrera avvikelse"))).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="Öppna igen").click()
    expect(page.get_by_label("Skäl")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Öppna igen").click()
    expect(page.get_by_text("Ange varför uppföljningen öppnas igen.").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Skäl").fill("Fel mätvärde för kontrollmoment 1.")
    page.get_by_role("button", name="Öppna igen").click()
    expect(page.locator("#frozen")).to_have_count(0)
    expect(page.get_by_text("Skäl: Fel mätvärde för kontrollmoment 1.")).to_be_visible()
    assert_accessible(page)


def test_the_case_details_are_filled_in_part_by_part(page: Page, demo: str):
    log_in(page, demo, "sekreterare")
    page.get_by_role("link", name="Kommunstyrelsen 2018").click()
    page.get_by_role("link", name="Ärendeuppgifter och sammanfattning").click()
    groups = page.locator("fieldset.field-group > legend")
    expect(groups).to_have_text(["Uppföljningen", "Tjänsteskrivelsen", "Protokollsutdraget"])
    assert_accessible(page)
    protocol = page.get_by_role("group", name="Protokollsutdraget")
    protocol.get_by_label(re.compile("^Paragraf:?$")).fill("§ 201")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", name=re.compile("Uppföljning av"))).to_be_visible()
    page.get_by_role("link", name="Ärendeuppgifter och sammanfattning").click()
    expect(protocol.get_by_label(re.compile("^Paragraf:?$"))).to_have_value("§ 201")
    page.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(page)
