"""Steps the browser journeys share."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from ik.demo.users import DEMO_PASSWORD
from ik.web.tests.axe import assert_accessible


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/logga-in/")
    assert_accessible(page)
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", name="Mina uppgifter")).to_be_visible()
    assert_accessible(page)
