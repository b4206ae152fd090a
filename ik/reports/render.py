"""One entry point for views and commands: a `Document` in, a file's bytes out."""

from __future__ import annotations

from dataclasses import dataclass

from ik.reports.document import Document
from ik.reports.render_docx import TemplateSource, render_docx
from ik.reports.render_pdf import render_pdf
from ik.reports.render_xlsx import render_xlsx


@dataclass(frozen=True, slots=True)
class Format:
    extension: str
    content_type: str


FORMATS = {
    "docx": Format(
        "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    "pdf": Format("pdf", "application/pdf"),
    "xlsx": Format("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def render(document: Document, fmt: str, template: TemplateSource = None) -> bytes:
    """Render `document` as "docx", "pdf" or "xlsx"; `template` only affects DOCX."""
    if fmt == "docx":
        return render_docx(document, template)
    if fmt == "pdf":
        return render_pdf(document)
    if fmt == "xlsx":
        return render_xlsx(document)
    raise ValueError(f"Okänt format: {fmt}. Välj docx, pdf eller xlsx.")
