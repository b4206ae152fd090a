"""Organisation logos: decoded and re-encoded when they come in, checked again when used.

A raster logo is decoded with Pillow once its header has shown a size within the limits, and
stored as a PNG that Pillow itself wrote: a corrupt file, a decompression bomb or stray
metadata never reaches the PDF and Word renderers. An SVG stays vector; it is refused when it
declares entities, runs scripts or loads anything from outside itself.
"""

from __future__ import annotations

import io
import re
import warnings

import resvg_py
from PIL import Image, UnidentifiedImageError

from ik.lib.filelimits import LOGO, LimitError, check_image, check_xml_prolog

MAX_SIDE = 1200  # pixels kept; the logo is printed about 1 cm high
MAX_SVG_BYTES = 1024 * 1024
_SVG_FORBIDDEN = re.compile(
    rb"<script|<foreignObject|<!ENTITY|<!DOCTYPE|\b(?:xlink:)?href\s*=\s*[\"'](?!#|data:image/)",
    re.IGNORECASE,
)
WHAT = "Logotypen"


def image_format(data: bytes) -> str | None:
    """Gives "png", "jpg" or "svg" from the file's first bytes; None for anything else."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if b"<svg" in data[:2048]:
        return "svg"
    return None


def _check_svg(data: bytes) -> bytes:
    if len(data) > MAX_SVG_BYTES:
        raise LimitError(f"{WHAT} (SVG) är större än 1 MB, vilket är gränsen för en SVG-logotyp.")
    check_xml_prolog(data[: 64 * 1024], what=WHAT, part="SVG-filen")
    if _SVG_FORBIDDEN.search(data):
        raise LimitError(
            f"{WHAT} (SVG) innehåller skript, entiteter eller länkar till andra filer; "
            "spara den som en fristående SVG eller som PNG."
        )
    return data


def _reencode(data: bytes) -> bytes:
    width, height = check_image(data, LOGO, what=WHAT)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.size != (width, height):
                    raise LimitError(f"{WHAT} anger två olika storlekar och är skadad.")
                image.load()
                picture = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    except LimitError:
        raise
    except (OSError, ValueError, SyntaxError, UnidentifiedImageError, Warning, EOFError):
        raise LimitError(f"{WHAT} är skadad och kan inte läsas som bild.") from None
    picture.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return out.getvalue()


def clean_logo(data: bytes) -> tuple[bytes, str]:
    """The logo to store and its file suffix; raises LimitError (Swedish) for a bad image."""
    kind = image_format(data)
    if kind == "svg":
        return _check_svg(data), "svg"
    if kind is None:
        raise LimitError(f"{WHAT} måste vara en bild i formatet PNG, JPEG eller SVG.")
    return _reencode(data), "png"


def usable_logo(data: bytes | None) -> tuple[bytes, str] | None:
    """A stored logo fit to render, or None: a logo stored before today's checks may not be."""
    if not data:
        return None
    try:
        kind = image_format(data)
        if kind == "svg":
            return _check_svg(data), "svg"
        if kind is None:
            return None
        check_image(data, LOGO, what=WHAT)
        with Image.open(io.BytesIO(data)) as image:
            image.load()
    except (LimitError, OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError):
        return None
    return data, kind


# Printed about 1 cm high in Word; 240 pixels keeps it sharp at 600 dpi.
RASTER_HEIGHT = 240


def svg_as_png(svg: bytes, height: int = RASTER_HEIGHT) -> bytes | None:
    """A checked SVG logo drawn as PNG for formats without SVG (Word), or None if it cannot
    be drawn. resvg renders it without a browser or system libraries and reads no files:
    `usable_logo` has already refused references to anything outside the SVG."""
    try:
        png = resvg_py.svg_to_bytes(svg_string=svg.decode("utf-8"), height=height)
    except (UnicodeDecodeError, ValueError, RuntimeError, OSError):
        return None
    data = bytes(png)
    return data if data.startswith(b"\x89PNG") else None
