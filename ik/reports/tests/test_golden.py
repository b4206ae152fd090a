"""The Mjölby demo renders the reference committee item (KS/2017:335, § 137) verbatim: every
line of the reference, in its order, in DOCX and PDF."""

import io
import re
from pathlib import Path

import docx
import pytest
from django.core.management import call_command

from ik.followups.models import FollowUp
from ik.reports.followup import build_followup
from ik.reports.queries import item_document
from ik.reports.render_docx import render_docx
from ik.reports.render_pdf import render_pdf
from ik.reports.tests.pdftext import PdfFile
from ik.reports.tests.readback import docx_cells, docx_text, flat, pdf_text
from ik.reports.tests.reference_data import (
    COLUMN_HEADERS,
    followup_data,
    golden_texts,
    reference_cells,
)

REFERENCE = Path(__file__).parent / "reference" / "mjolby-ks-2018-internkontroll-uppfoljning.txt"
# The letterhead's contact block starts here; it is printed in the page footer.
FOOTER_START = "Postadress"


def reference_lines() -> tuple[list[str], list[str]]:
    """The reference's texts in order, as (body, footer): markup removed, bold runs and
    table cells split apart."""
    texts: list[str] = []
    for line in REFERENCE.read_text(encoding="utf-8").splitlines():
        line = re.sub(r"</?i>|^#+ ", "", line.strip())
        for cell in line.split("\t"):
            texts += [part.strip() for part in cell.split("**") if part.strip()]
    start = texts.index(FOOTER_START)
    return texts[:start], texts[start:]


def missing_in_order(texts: list[str], haystack: str) -> list[str]:
    """The texts not found in `haystack` in the given order (whitespace ignored)."""
    haystack, position, missing = flat(haystack), 0, []
    for text in texts:
        found = haystack.find(flat(text), position)
        if found < 0:
            missing.append(text)
        else:
            position = found + len(flat(text))
    return missing


def _missing(text: str) -> list[str]:
    haystack = flat(text)
    return [g for g in golden_texts() if flat(g) not in haystack]


def test_reference_data_renders_every_heading_sentence_and_cell_in_docx_and_pdf():
    document = build_followup(followup_data())
    docx_data = render_docx(document)
    assert _missing(docx_text(docx_data)) == []
    cells = docx_cells(docx_data)
    assert [c for c in [*COLUMN_HEADERS, *reference_cells()] if c not in cells] == []
    assert _missing(pdf_text(render_pdf(document))) == []


def test_the_reference_splits_into_its_three_parts_and_the_letterhead():
    body, footer = reference_lines()
    assert body[:3] == ["§ 137", "KS/2017:335", "Redovisning internkontrollplan KSF"]
    assert "Carina Åsman" in body and "Carina Brofeldt" in body
    assert footer[-2:] == ["Bankgironummer", "791-9848"]


@pytest.fixture
def demo_item(db):
    call_command("loaddemo", stdout=io.StringIO())
    followup = FollowUp.objects.get(
        plan__committee__organisation__code="mjolby",
        plan__committee__code="ks",
        plan__year=2018,
        cutoff="2018-08-31",
    )
    return item_document(followup)


def test_the_demo_item_in_docx_has_every_line_of_the_reference_in_order(demo_item):
    body, footer = reference_lines()
    data = render_docx(demo_item)
    assert missing_in_order(body, docx_text(data)) == []
    word = docx.Document(io.BytesIO(data))
    footer_text = "\n".join(
        cell.text for table in word.sections[0].footer.tables for cell in table._cells
    )
    assert missing_in_order(footer, footer_text) == []


def test_the_demo_item_in_pdf_has_every_line_of_the_reference_in_order(demo_item):
    body, footer = reference_lines()
    reader = PdfFile(render_pdf(demo_item))
    assert missing_in_order(body, reader.text()) == []
    for page in reader.pages():
        assert missing_in_order(footer, reader.page_text(page)) == []
