"""The controller reads a municipal plan file in: upload, preview and mapping, confirm."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ik.engine.tests.plan_files import municipal_xlsx
from ik.web.tests.axe import assert_accessible
from ik.web.tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_controller_previews_remaps_and_reads_in_a_plan(page: Page, demo: str):
    log_in(page, demo, "controller")
    page.goto(f"{demo}/o/exempelkommun/")
    page.get_by_role("link", name="Socialnämnden", exact=True).click()
    page.get_by_role("link", name="Läs in plan från fil").click()
    assert_accessible(page)
    page.get_by_label("År").fill("2019")
    page.get_by_label("Fil med planen").set_input_files(
        files=[{"name": "miljoplan.xlsx", "mimeType": XLSX, "buffer": municipal_xlsx()}]
    )
    page.get_by_role("button", name="Förhandsgranska").click()

    expect(page.get_by_role("heading", name="Förhandsgranska inläsningen")).to_be_visible()
    preview = page.get_by_role("region", name="Raderna som de sparas")
    expect(preview).to_contain_text("Följs tillsynsplanen?")
    expect(preview).to_contain_text("Direktåtgärd")
    assert_accessible(page)

    page.get_by_label("Kontrollmetod").select_option(index=0)
    page.get_by_role("button", name="Uppdatera förhandsvisningen").click()
    expect(page.get_by_role("region", name="Raderna som de sparas")).not_to_contain_text(
        "Stickprov 10 ärenden"
    )
    assert_accessible(page)

    page.get_by_role("button", name="Läs in 3 kontrollmoment").click()
    expect(page.get_by_role("heading", name="Internkontrollplan 2019")).to_be_visible()
    expect(page.get_by_text("3 kontrollmoment är inlästa i planen för 2019.")).to_be_visible()
    expect(page.get_by_role("rowheader", name="V1. Tillsyn")).to_be_visible()
    assert_accessible(page)
