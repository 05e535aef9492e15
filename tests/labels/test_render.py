"""The label rendered: the PNG at its stated pixel size with a QR code that really decodes
to the URL (read back with zbarimg), the PDF one vector page with the label's text."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tanzuji.errors import LabelError
from tanzuji.labels import LabelContent, label_pdf, label_png, label_svg, pixel_size
from tests.labels.conftest import URL, make_content
from tests.labels.tools import decode_qr, pdf_info, pdf_pages, pdf_text


class TestPng:
    def test_300_dpi_is_709_by_1181_pixels(self, content: LabelContent) -> None:
        # 60 mm / 25.4 mm per inch × 300 = 708.66 → 709; 100 mm → 1181.1 → 1181
        image = Image.open(io.BytesIO(label_png(label_svg(content), 300)))
        assert image.format == "PNG"
        assert image.size == (709, 1181) == pixel_size(300)

    def test_the_qr_code_decodes_to_the_verification_url(self, content: LabelContent) -> None:
        assert decode_qr(label_png(label_svg(content, "zh"))) == [URL]

    @pytest.mark.parametrize("dpi", [150, 600])
    def test_it_decodes_at_other_resolutions_and_for_other_urls(self, dpi: int) -> None:
        url = "http://127.0.0.1:8000/v/GZ-PCF-2027-004321?lang=en"
        content = make_content(verification_url=url)
        assert decode_qr(label_png(label_svg(content, "en"), dpi)) == [url]

    def test_a_resolution_out_of_range_is_refused(self) -> None:
        with pytest.raises(LabelError, match="dpi 20 is outside 72 to 1200"):
            pixel_size(20)


class TestPdf:
    def test_one_page_of_the_label_size(self, content: LabelContent) -> None:
        pdf = label_pdf(label_svg(content, "zh"))
        assert pdf.startswith(b"%PDF-")
        assert pdf_pages(pdf) == 1
        # 60 mm × 100 mm in points (72 per inch): 170.079 × 283.465
        assert pdf_info(pdf)["Page size"] == "170.079 x 283.465 pts"

    def test_its_text_is_the_label_s(self, content: LabelContent) -> None:
        text = pdf_text(label_pdf(label_svg(content, "en")))
        for expected in ("Carbon footprint", "0.923", "kg CO2e", "GZ-PCF-2026-000001",
                         "2028-03-01", "Duyun Maojian green tea"):  # fmt: skip
            assert expected in text, expected
