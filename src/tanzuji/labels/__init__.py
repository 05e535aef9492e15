"""Carbon labels for certified products: what they say, drawn as SVG, rendered to PNG and PDF.

Domain core: no database, no web. See ``docs/labels.md``.
"""

from tanzuji.labels.content import LabelContent, Language, format_value
from tanzuji.labels.qr import QrCode, qr_code
from tanzuji.labels.render import DEFAULT_DPI, label_pdf, label_png, pixel_size
from tanzuji.labels.svg import HEIGHT_MM, WIDTH_MM, label_svg

__all__ = [
    "DEFAULT_DPI",
    "HEIGHT_MM",
    "WIDTH_MM",
    "LabelContent",
    "Language",
    "QrCode",
    "format_value",
    "label_pdf",
    "label_png",
    "label_svg",
    "pixel_size",
    "qr_code",
]
