"""Checks for every page the browser tests visit: axe-core (WCAG 2.1 A/AA), and that the page
fits a laptop (1366 px) and a phone (390 px) without scrolling sideways."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = (1366, 390)
_axe = Axe()

# The elements that stick out past the right edge, outermost first, to name them in a failure.
_WIDE_ELEMENTS = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .filter(e => e.parentElement.getBoundingClientRect().right <= window.innerWidth + 1)
  .slice(0, 5)
  .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`)"""


def assert_fits(page: Any) -> None:
    """No horizontal page scroll at any of WIDTHS: wide content scrolls inside its own region."""
    original = page.viewport_size
    try:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": original["height"]})
            scroll_width, inner_width = page.evaluate(
                "() => [document.documentElement.scrollWidth, window.innerWidth]"
            )
            assert scroll_width <= inner_width, (
                f"{page.url} is {scroll_width} px wide at {inner_width} px: "
                f"{page.evaluate(_WIDE_ELEMENTS)}"
            )
    finally:
        page.set_viewport_size(original)


def assert_accessible(page: Any) -> None:
    # A click that navigates returns once the new page starts loading; axe needs its document.
    page.wait_for_load_state("load")
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    violations = results.response["violations"]
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} – "
        + "; ".join(n["target"][0] for n in v["nodes"][:5])
        for v in violations
    )
    assert not violations, f"{page.url}\n{report}"
    assert_fits(page)
