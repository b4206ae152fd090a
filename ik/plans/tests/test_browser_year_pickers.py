"""From the timeline to the overview at a cut-off, and between years, without JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ik.web.tests.axe import assert_accessible
from ik.web.tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_timeline_leads_to_the_overview_at_a_cut_off_and_every_year_is_one_click(
    page: Page, demo: str
):
    log_in(page, demo, "controller")
    page.goto(f"{demo}/o/exempelkommun/tidsplan/")
    years = page.get_by_role("navigation", name="Välj år")
    years.get_by_role("link", name="2018", exact=True).click()
    expect(page.get_by_role("heading", name="Tidsplan 2018")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Översikt per 2018-08-31").click()
    expect(page.get_by_role("heading", name="Internkontroll 2018 – översikt")).to_be_visible()
    expect(page.get_by_text("uppföljning per 31 augusti 2018")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{demo}/o/exempelkommun/kommungemensamma/")
    years = page.get_by_role("navigation", name="Välj år")
    years.get_by_role("link", name="2018", exact=True).click()
    expect(page.get_by_role("heading", name="Kommungemensamma kontrollmoment 2018")).to_be_visible()
    expect(years.get_by_role("link", name="2018", exact=True)).to_have_attribute(
        "aria-current", "true"
    )
    assert_accessible(page)
