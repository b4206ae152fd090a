"""The shared page check catches a page that scrolls sideways on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from ik.web.tests.axe import assert_fits

pytestmark = pytest.mark.browser


def test_a_page_wider_than_a_phone_fails_the_check_and_names_the_element(page: Page):
    page.set_content('<main><p class="wide" style="width: 500px">Lång rad</p></main>')
    with pytest.raises(AssertionError, match=r"is 5\d\d px wide at 390 px: \['p.wide'\]"):
        assert_fits(page)
    assert page.viewport_size == {"width": 1366, "height": 900}


def test_a_wide_table_in_its_own_scrolling_region_passes(page: Page):
    page.set_content(
        '<div style="overflow-x: auto"><table><tr><td style="min-width: 900px">x</td></tr>'
        "</table></div>"
    )
    assert_fits(page)
