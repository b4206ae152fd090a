"""Write the shipped Word template, `templates_docx/default.docx`.

Run `uv run python -m ik.reports.make_default_template` after changing the look. The file is
written with fixed zip timestamps so the same code always produces the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

TARGET = Path(__file__).resolve().parent / "templates_docx" / "default.docx"
FONT = "Arial"
BLACK = RGBColor(0, 0, 0)
FIXED_TIME = (2018, 1, 1, 0, 0, 0)


def _set_language(word: docx.document.Document) -> None:
    # Swedish proofing for everything typed into documents made from the template.
    defaults = word.styles.element.find(qn("w:docDefaults"))
    if defaults is None:
        return
    run_props = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if run_props is None:
        return
    for old in run_props.findall(qn("w:lang")):
        run_props.remove(old)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "sv-SE")
    lang.set(qn("w:eastAsia"), "sv-SE")
    lang.set(qn("w:bidi"), "ar-SA")
    run_props.append(lang)


def _style_fonts(word: docx.document.Document) -> None:
    normal = word.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(6)
    sizes = {"Title": 18, "Heading 1": 15, "Heading 2": 12, "Heading 3": 11}
    for name, size in sizes.items():
        style = word.styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = BLACK
        style.paragraph_format.space_before = Pt(12)
        style.paragraph_format.space_after = Pt(4)
        fonts = style.element.rPr.rFonts if style.element.rPr is not None else None
        if fonts is not None:
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                fonts.attrib.pop(qn(attr), None)


def _page_setup(word: docx.document.Document) -> None:
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin = Cm(2.5)
    section.bottom_margin = Cm(3.2)
    section.header_distance = Cm(1)
    section.footer_distance = Cm(0.8)


def _fixed_zip(data: bytes) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for name in sorted(source.namelist()):
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(name))
    return out.getvalue()


def build_default_template() -> bytes:
    """The default template's bytes: A4, Arial, black headings, Swedish proofing."""
    word = docx.Document()
    _page_setup(word)
    _style_fonts(word)
    _set_language(word)
    props = word.core_properties
    props.title = "IK – mall för nämndhandlingar"
    props.author = "IK"
    props.language = "sv-SE"
    props.revision = 1
    props.created = props.modified = dt.datetime(2018, 1, 1, tzinfo=dt.UTC)
    buffer = io.BytesIO()
    word.save(buffer)
    return _fixed_zip(buffer.getvalue())


def main() -> None:
    """Write the template next to the renderer."""
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_bytes(build_default_template())


if __name__ == "__main__":
    main()
