"""The label as SVG: well-formed, every field printed, the QR code a path that decodes."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from tanzuji.labels import LabelContent, label_svg, qr_code
from tanzuji.labels.svg import BOUNDARY_EN
from tests.labels.conftest import URL, make_content

SVG = "{http://www.w3.org/2000/svg}"


def texts(svg: str) -> list[str]:
    """The text of every <text> element, in drawing order."""
    root = ET.fromstring(svg)
    return [element.text or "" for element in root.iter(f"{SVG}text")]


class TestLabelSvg:
    def test_is_well_formed_svg_of_the_stated_size(self, content: LabelContent) -> None:
        root = ET.fromstring(label_svg(content, "zh"))
        assert root.tag == f"{SVG}svg"
        assert (root.get("width"), root.get("height"), root.get("viewBox")) == (
            "60mm", "100mm", "0 0 60 100",
        )  # fmt: skip
        assert root.get("font-family", "").startswith("'Noto Sans CJK SC'")
        assert root.get("font-family", "").endswith("sans-serif")

    def test_the_chinese_label_prints_every_field(self, content: LabelContent) -> None:
        shown = texts(label_svg(content, "zh"))
        for expected in ("产品碳足迹", "0.923", "kg CO2e", "每 1 kg green tea", "都匀毛尖绿茶",
                         "系统边界", "从摇篮到大门", "碳足迹等级", "证书编号",
                         "GZ-PCF-2026-000001", "有效期至", "2028-03-01", "扫码验证"):  # fmt: skip
            assert expected in shown, expected
        assert "".join(shown[-2:]) == URL  # the URL, printed on two lines under "scan"

    def test_the_english_label(self, content: LabelContent) -> None:
        shown = texts(label_svg(content, "en"))
        for expected in ("Carbon footprint", "per 1 kg green tea", "Duyun Maojian green tea",
                         "Boundary", "cradle to gate", "Grade", "Certificate",
                         "Valid until", "Scan to verify"):  # fmt: skip
            assert expected in shown, expected

    def test_the_grade_is_the_filled_box_of_five(self, content: LabelContent) -> None:
        root = ET.fromstring(label_svg(content, "en"))
        boxes = [r for r in root.iter(f"{SVG}rect") if r.get("rx") == "0.5"]
        assert len(boxes) == 5
        assert [box.get("fill") != "#ffffff" for box in boxes] == [False, True, False, False,
                                                                    False]  # fmt: skip

    def test_no_grade_says_so(self) -> None:
        shown = texts(label_svg(make_content(grade=None), "zh"))
        assert "未分级" in shown
        assert "1" not in shown

    @pytest.mark.parametrize("boundary", list(BOUNDARY_EN))
    def test_every_boundary_has_its_words(self, boundary: object) -> None:
        content = make_content(boundary=boundary)
        assert content.boundary.label_zh in texts(label_svg(content, "zh"))
        assert BOUNDARY_EN[content.boundary] in texts(label_svg(content, "en"))

    def test_the_title_describes_the_label_for_screen_readers(self, content: LabelContent) -> None:
        root = ET.fromstring(label_svg(content, "en"))
        assert root.get("role") == "img"
        title = root.find(f"{SVG}title")
        assert title is not None
        assert title.text == ("Duyun Maojian green tea: 0.923 kg CO2e per 1 kg green tea; "
                              "certificate GZ-PCF-2026-000001, valid until 2028-03-01")  # fmt: skip

    def test_text_is_escaped(self) -> None:
        content = make_content(product_name_en="Tea <premium> & co")
        assert "Tea <premium> & co" in texts(label_svg(content, "en"))

    def test_the_qr_code_is_drawn_with_its_quiet_zone(self, content: LabelContent) -> None:
        root = ET.fromstring(label_svg(content, "zh"))
        code = qr_code(URL)
        paths = [p for p in root.iter(f"{SVG}path") if p.get("d") == code.path]
        assert len(paths) == 1
        group = next(g for g in root.iter(f"{SVG}g") if paths[0] in list(g))
        quiet = group.find(f"{SVG}rect")
        assert quiet is not None
        assert (quiet.get("width"), quiet.get("fill")) == (str(code.size), "#ffffff")


class TestQrCode:
    def test_level_q_with_a_four_module_quiet_zone(self) -> None:
        code = qr_code(URL)
        assert code.error == "Q"
        assert code.size == 17 + 4 * code.version + 8
        # the path starts at the top-left finder pattern, inside the quiet zone
        assert code.path.startswith("M4 4h7v1h-7z")
