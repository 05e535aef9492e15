"""HTML documents printed to PDF with WeasyPrint: A4, Noto Sans CJK, numbered pages.

Reports (the yearly disclosure report) are written once as HTML for the browser and printed
from the same HTML, so the two never say different things. The print style sheet sets A4
portrait with 18 mm margins, the Chinese sans-serif faces first, and a footer "第 1 页，共 3 页"
(or "Page 1 of 3") in every page's bottom margin. No resource is fetched: the HTML must be
self-contained (its own ``<style>``; no external images or fonts), so printing never reaches
the network.
"""

from __future__ import annotations

from typing import Literal

import weasyprint
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from tanzuji.errors import InvalidInput

__all__ = ["PRINT_CSS", "html_to_pdf"]

FONTS = (
    '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif'
)
PAGE_NUMBERS = {
    "zh": '"第 " counter(page) " 页，共 " counter(pages) " 页"',
    "en": '"Page " counter(page) " of " counter(pages)',
}
PRINT_CSS = """
@page {{
  size: A4;
  margin: 18mm 18mm 20mm 18mm;
  @bottom-center {{ content: {numbers}; font-family: {fonts}; font-size: 8pt; color: #555; }}
}}
html {{ font-family: {fonts}; font-size: 10pt; line-height: 1.45; color: #111; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border-bottom: 0.5pt solid #999; padding: 3pt 4pt; text-align: left;
          vertical-align: top; }}
thead {{ display: table-header-group; }}
tr {{ break-inside: avoid; }}
"""
"""The print style sheet, with the page-number phrase and fonts filled in."""


def html_to_pdf(html: str, language: Literal["zh", "en"] = "zh") -> bytes:
    """The self-contained ``html`` printed to an A4 PDF whose pages are numbered in
    ``language``."""
    stylesheet = weasyprint.CSS(
        string=PRINT_CSS.format(numbers=PAGE_NUMBERS[language], fonts=FONTS)
    )
    nothing = URLFetcher(allowed_protocols=(), fail_on_errors=True)
    document = weasyprint.HTML(string=html, url_fetcher=nothing)
    try:
        pdf: bytes = document.write_pdf(stylesheets=[stylesheet])
    except FatalURLFetchingError as exc:
        raise InvalidInput(
            f"a printed document loads nothing from outside ({exc}): embed what it needs",
            field="html",
        ) from exc
    return pdf
