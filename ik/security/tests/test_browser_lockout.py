"""The lock-out message in a real browser, checked for accessibility."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ik.web.tests.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_guessing_passwords_locks_the_account_with_a_readable_message(page: Page, demo: str):
    page.goto(f"{demo}/logga-in/")
    for _ in range(5):
        page.get_by_label("Användarnamn").fill("itchef")
        page.get_by_label("Lösenord").fill("gissning")
        page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("alert")).to_contain_text("Inloggningen är spärrad till")
    assert_accessible(page)
