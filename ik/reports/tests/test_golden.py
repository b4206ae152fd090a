"""The follow-up per 2018-08-31 reproduces the reference committee item verbatim."""

import io

import pytest
from django.core.management import call_command

from ik.followups.models import FollowUp
from ik.reports.followup import build_followup
from ik.reports.queries import followup_document
from ik.reports.render_docx import render_docx
from ik.reports.render_pdf import render_pdf
from ik.reports.tests.readback import docx_cells, docx_text, flat, pdf_text
from ik.reports.tests.reference_data import (
    COLUMN_HEADERS,
    followup_data,
    golden_texts,
    reference_cells,
)


def _missing(text: str) -> list[str]:
    haystack = flat(text)
    return [g for g in golden_texts() if flat(g) not in haystack]


def _assert_reproduces_reference(document):
    docx_data = render_docx(document)
    assert _missing(docx_text(docx_data)) == []
    cells = docx_cells(docx_data)
    assert [c for c in [*COLUMN_HEADERS, *reference_cells()] if c not in cells] == []
    assert _missing(pdf_text(render_pdf(document))) == []


def test_reference_data_renders_every_heading_sentence_and_cell_in_docx_and_pdf():
    _assert_reproduces_reference(build_followup(followup_data()))


@pytest.mark.django_db
def test_demo_data_renders_the_reference_item_verbatim_in_docx_and_pdf():
    call_command("loaddemo", stdout=io.StringIO())
    followup = FollowUp.objects.get(
        plan__committee__organisation__code="mjolby",
        plan__committee__code="ks",
        plan__year=2018,
        cutoff="2018-08-31",
    )
    _assert_reproduces_reference(followup_document(followup))
