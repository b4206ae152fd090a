"""The controller invites a new user, who follows the e-mailed link and starts working."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from ik.web.tests.axe import assert_accessible
from ik.web.tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_invited_user_sets_a_password_and_lands_on_their_tasks(page: Page, demo: str):
    log_in(page, demo, "controller")
    page.get_by_role("link", name="Nämnder och planer").click()
    assert_accessible(page)
    page.get_by_role("link", name="Mjölby kommun").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Användare och roller").click()
    expect(page.get_by_role("heading", name="Användare och roller")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Bjud in användare").click()
    assert_accessible(page)
    page.get_by_label("E-post").fill("nina.ny@mjolby.se")
    page.get_by_label("Kontrollansvarig").check()
    page.get_by_role("button", name="Skicka inbjudan").click()
    expect(page.get_by_text("Inbjudan är skickad till nina.ny@mjolby.se")).to_be_visible()
    expect(page.get_by_text("nina.ny@mjolby.se –")).to_be_visible()
    assert_accessible(page)

    # The live server runs in this process, so its e-mail lands in the test outbox.
    link = re.search(r"http://\S+/inbjudan/\S+/", mail.outbox[-1].body)
    assert link is not None
    page.get_by_role("button", name="Logga ut").click()
    page.goto(link.group(0))
    expect(page.get_by_role("heading", name="Välkommen till IK")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Förnamn").fill("Nina")
    page.get_by_label("Efternamn").fill("Ny")
    page.get_by_label("Användarnamn").fill("nina")
    page.get_by_label(re.compile(r"^Lösenord:?$")).fill("kort")
    page.get_by_label("Lösenord igen").fill("kort")
    page.get_by_role("button", name="Skapa konto och logga in").click()
    expect(page.locator(".field--error").first).to_be_visible()
    assert_accessible(page)

    page.get_by_label(re.compile(r"^Lösenord:?$")).fill("internkontroll-i-mjolby")
    page.get_by_label("Lösenord igen").fill("internkontroll-i-mjolby")
    page.get_by_role("button", name="Skapa konto och logga in").click()
    expect(page.get_by_role("heading", name="Mina uppgifter")).to_be_visible()
    expect(page.get_by_text("Nina Ny").first).to_be_visible()
    assert_accessible(page)

    # The link is spent: opening it again says so.
    page.goto(link.group(0))
    expect(page.get_by_text("Inbjudan är redan använd")).to_be_visible()
    assert_accessible(page)


def test_the_auditor_reads_and_filters_the_audit_log(page: Page, demo: str):
    log_in(page, demo, "revisor")
    page.get_by_role("link", name="Nämnder och planer").click()
    page.get_by_role("link", name="Mjölby kommun").first.click()
    page.get_by_role("link", name="Händelselogg").click()
    expect(page.get_by_role("heading", name="Händelselogg")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Objekttyp").select_option(label="Åtgärd")
    page.get_by_role("button", name="Visa").click()
    expect(page.get_by_text("Beslutad åtgärd").first).to_be_visible()
    assert_accessible(page)
