"""Logos are decoded and re-encoded on the way in, and checked again on the way out."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from ik.lib.filelimits import LimitError
from ik.lib.logos import clean_logo, usable_logo
from ik.lib.tests import hostile

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10"/></svg>'


def _jpeg(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "navy").save(out, format="JPEG")
    return out.getvalue()


def test_a_raster_logo_is_stored_as_a_png_that_pillow_wrote_no_larger_than_needed() -> None:
    data, suffix = clean_logo(_jpeg(3000, 600))
    assert suffix == "png"
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
        assert image.size == (1200, 240)


def test_a_corrupt_file_with_a_png_signature_is_refused_at_upload() -> None:
    with pytest.raises(LimitError, match="Logotypen är skadad och kan inte läsas som bild"):
        clean_logo(hostile.png_corrupt())


def test_a_logo_of_thirty_thousand_pixels_square_is_refused_before_decoding() -> None:
    with pytest.raises(LimitError, match="30\u00a0000 × 30\u00a0000 bildpunkter"):
        clean_logo(hostile.png(30_000, 30_000))


def test_other_formats_are_refused_in_swedish() -> None:
    with pytest.raises(LimitError, match="PNG, JPEG eller SVG"):
        clean_logo(b"GIF89a")


def test_an_svg_stays_vector_but_not_with_entities_scripts_or_outside_links() -> None:
    assert clean_logo(SVG) == (SVG, "svg")
    hostile_svgs = [
        hostile.BILLION_LAUGHS.encode() + SVG,
        SVG.replace(b"<rect", b"<script>alert(1)</script><rect"),
        SVG.replace(b"<rect", b'<image href="file:///etc/passwd"/><rect'),
    ]
    for data in hostile_svgs:
        with pytest.raises(LimitError, match="Logotypen"):
            clean_logo(data)


def test_a_logo_stored_before_the_checks_is_used_only_when_it_decodes() -> None:
    assert usable_logo(hostile.png_corrupt()) is None
    assert usable_logo(hostile.png(30_000, 30_000)) is None
    assert usable_logo(None) is None
    good = hostile.png(40, 20)
    assert usable_logo(good) == (good, "png")
