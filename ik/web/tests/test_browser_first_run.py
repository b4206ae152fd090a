"""A municipality moves in: from an empty database to a control owner seeing their work.

createorganisation → the controller accepts the invitation → two committees, a unit tree
and three people (one by import) → a plan with control points owned by people without
accounts, adopted and followed up → one of them is invited, logs in and sees exactly the
entries assigned to them. Every page visited is checked with axe.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import Page, expect

from ik.web.tests.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "ett-långt-lösenord-i-malmö"
PEOPLE_CSV = "namn;titel;telefon;epost;enhet\nLisa Lund;Miljöchef;040-34 10 00;;\n".encode()


def field(page: Page, label: str) -> Any:
    """The form field with exactly this label (Django adds a colon)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


def accept_invitation(page: Page, link: str, first: str, last: str, username: str) -> None:
    page.goto(link)
    assert_accessible(page)
    page.get_by_label("Förnamn").fill(first)
    page.get_by_label("Efternamn").fill(last)
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label(re.compile(r"^Lösenord:?$")).fill(PASSWORD)
    page.get_by_label("Lösenord igen").fill(PASSWORD)
    page.get_by_role("button", name="Skapa konto och logga in").click()
    expect(page.get_by_role("heading", name="Mina uppgifter")).to_be_visible()
    assert_accessible(page)


def save(page: Page) -> None:
    page.get_by_role("button", name="Spara").click()
    assert_accessible(page)


def add_committee(page: Page, name: str, short: str, *, board: bool) -> None:
    page.get_by_role("link", name="Ny nämnd").click()
    assert_accessible(page)
    field(page, "Namn").fill(name)
    page.get_by_label("Kortnamn").fill(short)
    if board:
        page.get_by_label("Kommunstyrelse/regionstyrelse").check()
    save(page)
    expect(page.get_by_role("heading", name=name)).to_be_visible()


def add_person(page: Page, name: str, title: str, email: str, unit: str = "") -> None:
    page.get_by_role("link", name="Ny person").click()
    assert_accessible(page)
    field(page, "Namn").fill(name)
    page.get_by_label("Titel").fill(title)
    page.get_by_label("E-post").fill(email)
    if unit:
        page.get_by_label("Enhet").select_option(label=unit)
    save(page)


def add_point(page: Page, process: str, question: str, owner: str) -> None:
    page.get_by_role("link", name="Nytt kontrollmoment").click()
    assert_accessible(page)
    page.get_by_label("Process").fill(process)
    page.get_by_label("Kontrollmoment").fill(question)
    page.get_by_label("Kontrollmetod").fill("Stickprov")
    field(page, "Kontrollansvarig").fill("Ekonomichef")
    page.get_by_label("Ansvarig person").select_option(label=owner)
    page.get_by_label("Tidpunkt/frekvens").fill("En gång per år")
    save(page)


def test_a_municipality_sets_itself_up_from_an_empty_database(page: Page, live_server: Any):
    base = live_server.url
    out = io.StringIO()
    call_command(
        "createorganisation",
        "--name=Malmö stad",
        "--controller-email=anna@malmo.se",
        "--slug=malmo",
        f"--url={base}",
        stdout=out,
    )
    link = next(line for line in out.getvalue().splitlines() if "/inbjudan/" in line)
    accept_invitation(page, link, "Anna", "Ström", "anna")

    page.get_by_role("link", name="Nämnder och planer").click()
    expect(page.get_by_role("heading", name="Malmö stad")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Nämnder och enheter").click()
    assert_accessible(page)
    add_committee(page, "Kommunstyrelsen", "KS", board=True)
    add_committee(page, "Miljönämnden", "MN", board=False)
    expect(page.get_by_role("heading", name="Nämnder och enheter")).to_be_visible()

    page.get_by_role("link", name="Ny enhet under Kommunstyrelsen").click()
    assert_accessible(page)
    field(page, "Namn").fill("Kommunledningsförvaltningen")
    page.get_by_label("Typ").select_option(label="Förvaltning")
    save(page)
    page.get_by_role("link", name="Ny underenhet under Kommunledningsförvaltningen").click()
    field(page, "Namn").fill("Ekonomiavdelningen")
    save(page)
    tree = page.locator("ul.tree ul.tree")
    expect(tree).to_contain_text("Ekonomiavdelningen")

    page.get_by_role("link", name=re.compile(r"^Personer")).click()
    assert_accessible(page)
    add_person(
        page,
        "Karin Berg",
        "Ekonomichef",
        "karin@malmo.se",
        unit="Ekonomiavdelningen (Kommunstyrelsen)",
    )
    add_person(page, "Per Ek", "Upphandlingschef", "per@malmo.se")
    page.get_by_role("link", name="Läs in från fil").click()
    assert_accessible(page)
    page.get_by_label(re.compile("^Personer")).set_input_files(
        files=[{"name": "personer.csv", "mimeType": "text/csv", "buffer": PEOPLE_CSV}]
    )
    page.get_by_role("button", name="Läs in").click()
    expect(page.get_by_text("1 nya och 0 ändrade personer")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Malmö stad").first.click()
    page.get_by_role("link", name="Kommunstyrelsen").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Ny internkontrollplan").click()
    page.get_by_label("År").fill("2027")
    page.get_by_label("Diarienummer").fill("KS/2026:12")
    page.get_by_role("button", name="Skapa plan").click()
    expect(page.get_by_role("heading", name="Internkontrollplan 2027")).to_be_visible()
    assert_accessible(page)
    add_point(page, "Inköp", "Betalas fakturor i tid?", "Karin Berg, Ekonomichef")
    add_point(
        page, "Upphandling", "Följs riktlinjen för direktupphandling?", "Per Ek, Upphandlingschef"
    )

    page.get_by_role("link", name="Fastställ").click()
    assert_accessible(page)
    page.get_by_label("Beslutsdatum").fill("2026-12-10")
    page.get_by_label("Paragraf").fill("§ 201")
    page.get_by_role("button", name="Markera som fastställd").click()
    expect(page.get_by_text("Planen är markerad som fastställd.")).to_be_visible()
    page.get_by_role("link", name="Ny uppföljning").click()
    assert_accessible(page)
    page.get_by_label("Per datum").fill("2027-08-31")
    page.get_by_role("button", name="Skapa uppföljning").click()
    assert_accessible(page)

    page.goto(f"{base}/o/malmo/personer/")
    page.get_by_role("link", name="Bjud in Karin Berg").click()
    assert_accessible(page)
    page.get_by_role("button", name="Skicka inbjudan").click()
    expect(page.get_by_text("Inbjudan är skickad till karin@malmo.se.")).to_be_visible()
    karin_link = next(
        line for line in mail.outbox[-1].body.splitlines() if "/inbjudan/" in line
    ).strip()
    page.get_by_role("button", name="Logga ut").click()

    accept_invitation(page, karin_link, "Karin", "Berg", "karin")
    mine = page.locator("table").first
    expect(mine).to_contain_text("Betalas fakturor i tid?")
    expect(mine.locator("tbody tr")).to_have_count(1)
    expect(page.get_by_text("Följs riktlinjen för direktupphandling?")).to_have_count(0)
