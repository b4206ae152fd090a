"""The trend charts in a real browser: readable, accessible and fitting a phone."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from ik.followups.models import FollowUpEntry
from ik.followups.services import entry_record
from ik.org.actors import SystemActor
from ik.web.tests.axe import assert_accessible
from ik.web.tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _ks_year_end_measured() -> None:
    entry = FollowUpEntry.objects.get(
        followup__plan__committee__organisation__code="exempelkommun",
        followup__plan__committee__code="ks",
        followup__cutoff=date(2018, 12, 31),
        control_point__common__process="Försent betalda fakturor",
    )
    entry_record(
        entry=entry,
        by=SystemActor("testdata"),
        execution_status="done",
        result_text="2,8 % betalades för sent.",
        measured_value=Decimal("2.8"),
    )


def test_the_late_payment_trend_on_the_plan_the_entry_and_the_overview(page: Page, demo: str):
    _ks_year_end_measured()
    log_in(page, demo, "controller")
    page.goto(f"{demo}/o/exempelkommun/oversikt/?ar=2018&per=2018-12-31")
    chart = page.get_by_role("img", name=re.compile("^Försent betalda fakturor, hela kommunen"))
    expect(chart).to_be_visible()
    assert_accessible(page)

    page.locator("#namnd-ks").get_by_role("link", name=re.compile("^Plan")).click()
    figure = page.get_by_role("figure", name=re.compile("^Försent betalda fakturor: mätvärde"))
    expect(figure.get_by_role("img")).to_be_visible()
    figure.get_by_text("Siffrorna i tabell").click()
    numbers = figure.get_by_role("table")
    expect(numbers.locator("tbody tr")).to_have_count(2)
    expect(numbers.locator("tbody tr").last).to_contain_text("2,8\u00a0%")
    assert_accessible(page)

    row = page.locator("tr", has_text="Försent betalda fakturor")
    row.get_by_role("link", name=re.compile("^Rapportera")).click()
    expect(page.get_by_role("heading", name="Mätvärden över tid")).to_be_visible()
    assert_accessible(page)
