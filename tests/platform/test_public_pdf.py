"""Printing HTML reports to PDF: A4, Chinese text kept, pages numbered, nothing fetched."""

from __future__ import annotations

import pytest

from tanzuji.errors import InvalidInput
from tanzuji.services.documents_pdf import html_to_pdf
from tests.labels.tools import pdf_info, pdf_pages, pdf_text

REPORT = (
    "<!doctype html><html lang='zh-Hans'><head><meta charset='utf-8'><title>报告</title>"
    "<style>h1 { color: #1d6b36; }</style></head><body><h1>碳足迹信息披露报告</h1>"
    + "".join(f"<p>第 {n} 段：都匀毛尖绿茶 0.923 kg CO2e</p>" for n in range(1, 121))
    + "</body></html>"
)


class TestHtmlToPdf:
    def test_a_long_report_is_several_numbered_a4_pages(self) -> None:
        pdf = html_to_pdf(REPORT, "zh")
        assert pdf.startswith(b"%PDF-")
        pages = pdf_pages(pdf)
        assert pages >= 2
        assert pdf_info(pdf)["Page size"] == "595.276 x 841.89 pts (A4)"
        text = pdf_text(pdf)
        assert "碳足迹信息披露报告" in text
        assert "第 120 段：都匀毛尖绿茶 0.923 kg CO2e" in text
        assert f"第 1 页，共 {pages} 页" in text
        assert f"第 {pages} 页，共 {pages} 页" in text

    def test_english_page_numbers(self) -> None:
        text = pdf_text(html_to_pdf("<p>Disclosure</p>", "en"))
        assert "Page 1 of 1" in text

    @pytest.mark.parametrize(
        "html",
        [
            "<img src='http://127.0.0.1:9/tracker.png' alt=''>",
            "<link rel='stylesheet' href='file:///etc/passwd'>",
        ],
    )
    def test_nothing_is_fetched(self, html: str) -> None:
        with pytest.raises(InvalidInput, match="loads nothing from outside"):
            html_to_pdf(html)
