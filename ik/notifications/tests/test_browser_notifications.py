"""Choosing reminders and the calendar link in a real browser, checked for accessibility."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ik.notifications.models import ReminderPreference, ReminderSettings
from ik.web.tests.axe import assert_accessible
from ik.web.tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_control_owner_opts_out_and_renews_the_calendar_link(page: Page, demo: str):
    log_in(page, demo, "ekonomichef")
    page.get_by_role("link", name="Mina inställningar").click()
    expect(page.get_by_role("heading", name="Mina inställningar")).to_be_visible()
    assert_accessible(page)
    old_link = page.get_by_label("Kalenderadress").input_value()

    page.get_by_label("Mina åtgärder som har passerat klart-datum").uncheck()
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Dina val av påminnelser är sparade.")).to_be_visible()
    assert_accessible(page)
    assert not ReminderPreference.objects.get(user__username="ekonomichef").actions_overdue

    page.get_by_role("button", name="Skapa ny länk").click()
    expect(page.get_by_text("Kalenderlänken är ny.")).to_be_visible()
    assert page.get_by_label("Kalenderadress").input_value() != old_link
    assert_accessible(page)


def test_the_controller_sets_how_many_days_before(page: Page, demo: str):
    log_in(page, demo, "controller")
    page.get_by_role("link", name="Mina inställningar").click()
    page.get_by_role("link", name="påminnelser för Mjölby kommun").click()
    assert_accessible(page)
    page.get_by_label("Dagar före sista rapporteringsdag").fill("10")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Inställningen för påminnelser är sparad.")).to_be_visible()
    assert_accessible(page)
    assert ReminderSettings.objects.get(organisation__code="mjolby").days_before == 10
