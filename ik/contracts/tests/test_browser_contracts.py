"""The contract register in a real browser: the demo register, a refused import, the settings."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ik.demo.users import DEMO_PASSWORD
from ik.web.tests.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BAD_FILE = (
    "leverantor;orgnr;avtal_id;giltig_fran;giltig_till\n"
    "Vätterns El AB;556475-6467;E-1;2016-01-01;2015-12-31\n"
).encode()


NEW_FILE = (
    b"leverantor;orgnr;avtal_id;titel;kategori;giltig_fran;giltig_till;ramavtal\n"
    b"Adda Kontor AB;;R-9;Kontor;Kontor;2018-01-01;;ja\n"
)


def test_controller_reads_the_register_meets_a_refused_file_and_sets_a_limit(page: Page, demo: str):
    page.goto(f"{demo}/logga-in/")
    page.get_by_label("Användarnamn").fill("controller")
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", name="Mina uppgifter")).to_be_visible()

    page.goto(f"{demo}/o/mjolby/")
    page.get_by_role("link", name="Avtalsregister").click()
    expect(page.get_by_role("heading", name="Avtalsregister")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Östgöta Städ AB")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Importera").click()
    assert_accessible(page)
    page.get_by_label("Avtalsregister (CSV eller Excel)").set_input_files(
        files=[{"name": "avtal.csv", "mimeType": "text/csv", "buffer": BAD_FILE}]
    )
    page.get_by_role("button", name="Förhandsvisa").click()
    expect(page.get_by_text("Avtalet slutar före det börjar")).to_be_visible()
    assert_accessible(page)

    # An update: one new contract, the rest kept; the preview counts before anything is saved.
    page.get_by_label("Avtalsregister (CSV eller Excel)").set_input_files(
        files=[{"name": "avtal.csv", "mimeType": "text/csv", "buffer": NEW_FILE}]
    )
    page.get_by_label("Uppdatera: lägg till nya och ändra ändrade avtal").check()
    page.get_by_role("button", name="Förhandsvisa").click()
    expect(page.get_by_role("heading", name="Så ändras avtalsregistret")).to_be_visible()
    expect(page.get_by_text("R-9 Adda Kontor AB")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Spara ändringarna").click()
    expect(page.get_by_text("Nya: 1, ändrade: 0, borttagna: 0")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Adda Kontor AB")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Östgöta Städ AB")).to_be_visible()

    page.get_by_role("link", name="Ändra R-9 Adda Kontor AB").click()
    assert_accessible(page)
    page.get_by_label("Kategori").fill("Kontorsmaterial")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("cell", name="Kontorsmaterial", exact=True)).to_be_visible()
    page.get_by_role("link", name="Avsluta R-9 Adda Kontor AB").click()
    assert_accessible(page)
    page.get_by_label("Sista giltighetsdag").fill("2019-06-30")
    page.get_by_role("button", name="Avsluta avtalet").click()
    expect(page.get_by_role("cell", name="2019-06-30", exact=True)).to_be_visible()
    assert_accessible(page)

    expect(page.get_by_role("rowheader", name="Östgöta Städ AB")).to_be_visible()
    page.get_by_role("link", name="Ändra inställningar").click()
    assert_accessible(page)
    page.get_by_label("Rullande tolv månader").check()
    page.get_by_label("Egen direktupphandlingsgräns (kr)").fill("500 000")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("500 000 kr (organisationens egen)")).to_be_visible()
    assert_accessible(page)
