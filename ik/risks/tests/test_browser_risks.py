"""The risk analysis in a real browser: a red risk without a control is flagged and counted."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ik.web.tests.axe import assert_accessible
from ik.web.tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_RISK = "Lösenord till ekonomisystemet delas mellan handläggare."


def test_secretary_adds_a_red_risk_without_control_and_sees_it_flagged(page: Page, demo: str):
    log_in(page, demo, "sekreterare")
    page.get_by_role("link", name="Nämnder och planer").click()
    assert_accessible(page)
    page.get_by_role("link", name="Internkontrollplan 2018").click()
    expect(page.get_by_role("heading", name="Internkontrollplan 2018")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Riskanalys").click()
    expect(page.get_by_role("heading", name="Riskanalys 2018")).to_be_visible()
    matrix = page.get_by_role("img", name="Riskmatris för internkontrollplan 2018")
    expect(matrix).to_be_visible()
    flagged = page.locator(".facts div").filter(has_text="Utan kontroll eller åtgärd")
    expect(flagged.locator("dd")).to_have_text("1")
    table_toggle = page.get_by_text("Riskmatrisen som tabell")
    expect(page.locator("details.risk-matrix-table")).not_to_have_attribute("open", "")
    table_toggle.click()
    corner = page.get_by_role("row", name="4 Sannolik").get_by_role("cell").nth(3)
    expect(corner).to_contain_text("0")
    assert_accessible(page)

    page.get_by_role("link", name="Ny risk").click()
    expect(page.get_by_role("heading", name="Ny risk")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Risk:").fill(NEW_RISK)
    page.get_by_label("Kategori").select_option(label="IT")
    page.get_by_label("4 – Sannolik").check()
    page.get_by_label("4 – Allvarlig").check()
    page.get_by_role("button", name="Spara").click()

    expect(page.get_by_text("Risken är tillagd i riskanalysen.")).to_be_visible()
    expect(flagged.locator("dd")).to_have_text("2")
    expect(page.locator(".risk-flags")).to_contain_text(NEW_RISK)
    row = page.locator("tr").filter(has_text=NEW_RISK)
    expect(row).to_contain_text("4 × 4 = 16")
    expect(row).to_contain_text("Hög (röd)")
    expect(row).to_contain_text("Saknar kontroll och åtgärd")
    table_toggle.click()
    expect(page.get_by_role("row", name="4 Sannolik").get_by_role("cell").nth(3)).to_contain_text(
        "1 (hög"
    )
    expect(page.locator("#heat-map-desc")).to_contain_text(
        "Sannolik × Allvarlig (riskvärde 16): 1 risk"
    )
    assert_accessible(page)

    page.get_by_role("link", name="Plan 2018").click()
    expect(page.locator(".plan-risks")).to_contain_text("2 röda risker utan kontroll eller åtgärd")
    assert_accessible(page)


def test_controller_adds_a_risk_category(page: Page, demo: str):
    log_in(page, demo, "controller")
    page.goto(f"{demo}/o/mjolby/riskskala/")
    expect(page.get_by_role("heading", name="Riskskala och kategorier")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Ny kategori").fill("Miljö")
    page.get_by_role("button", name="Lägg till kategori").click()
    expect(page.get_by_text("Kategorin Miljö är tillagd.")).to_be_visible()
    expect(page.get_by_role("button", name="Ta bort kategorin Miljö")).to_be_visible()
    assert_accessible(page)
