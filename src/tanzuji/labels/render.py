"""The label's SVG rendered to PNG (raster, for screens and office printers) and PDF (vector,
for print shops), with CairoSVG: bytes in, bytes out, no files.

A PNG is ``WIDTH_MM`` × ``HEIGHT_MM`` at ``dpi`` dots per inch, each side rounded to whole
pixels: at the default 300 dpi, 60 mm × 100 mm is 709 × 1181 pixels. The PDF is one page of
the label's physical size (60 mm × 100 mm = 170.08 pt × 283.46 pt), every shape and the QR
code kept as vectors.
"""

from __future__ import annotations

import cairosvg

from tanzuji.errors import LabelError
from tanzuji.labels.svg import HEIGHT_MM, WIDTH_MM

__all__ = ["DEFAULT_DPI", "label_pdf", "label_png", "pixel_size"]

DEFAULT_DPI = 300
"""Print resolution of a PNG label: at 300 dpi a QR module of 0.45 mm is 5 pixels wide."""
MM_PER_INCH = 25.4


def pixel_size(dpi: int = DEFAULT_DPI) -> tuple[int, int]:
    """Width and height in pixels of a label PNG at ``dpi``.

    >>> pixel_size(300)
    (709, 1181)
    """
    if not 72 <= dpi <= 1200:
        raise LabelError(f"dpi {dpi} is outside 72 to 1200", "dpi")
    return round(WIDTH_MM / MM_PER_INCH * dpi), round(HEIGHT_MM / MM_PER_INCH * dpi)


def label_png(svg: str, dpi: int = DEFAULT_DPI) -> bytes:
    """The label ``svg`` as a PNG of :func:`pixel_size` pixels on a white background."""
    width, height = pixel_size(dpi)
    png: bytes = cairosvg.svg2png(
        bytestring=svg.encode(),
        output_width=width,
        output_height=height,
        dpi=dpi,
        background_color="#ffffff",
    )
    return png


def label_pdf(svg: str) -> bytes:
    """The label ``svg`` as a one-page vector PDF of its physical size."""
    pdf: bytes = cairosvg.svg2pdf(bytestring=svg.encode())
    return pdf
