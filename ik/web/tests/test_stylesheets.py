"""The stylesheets: one file per component, colours only as tokens, nothing inline (the CSP)."""

import re
from pathlib import Path

from django.conf import settings

CSS = Path(settings.BASE_DIR) / "static" / "css"
TEMPLATES = Path(settings.BASE_DIR) / "templates"
COLOUR_LITERAL = re.compile(r"#[0-9a-fA-F]{3,8}\b|\brgba?\(|\bhsla?\(")


def test_colours_are_written_only_as_design_tokens():
    literals = {
        path.name: COLOUR_LITERAL.findall(path.read_text())
        for path in CSS.glob("*.css")
        if path.name != "tokens.css"
    }
    assert {name: found for name, found in literals.items() if found} == {}


def test_every_stylesheet_is_linked_from_a_template():
    linked = "".join(path.read_text() for path in TEMPLATES.rglob("*.html"))
    orphans = [p.name for p in CSS.glob("*.css") if f"css/{p.name}" not in linked]
    assert orphans == []


def test_the_tokens_load_before_the_components_that_use_them():
    base = (TEMPLATES / "base.html").read_text()
    links = re.findall(r"css/([\w-]+)\.css", base)
    assert links[0] == "tokens" and len(links) == len(set(links)) >= 5


def test_no_template_carries_inline_style_or_script_the_csp_would_block():
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if re.search(
            r"\sstyle=|<style|<script>|<script\s(?![^>]*\bsrc=)|\son[a-z]+=", path.read_text()
        )
    ]
    assert offenders == []
    for directive in ("style-src", "script-src"):
        assert "unsafe-inline" not in " ".join(settings.SECURE_CSP[directive])
