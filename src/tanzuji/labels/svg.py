"""The carbon label as a print-ready SVG: 60 mm × 100 mm, green, Chinese or English.

From top to bottom: a green band with a footprint pictogram (tanzuji's own drawing, not the
official CNCA artwork) and the title; the footprint as a large number with its unit and the
declared unit; the product name; the system boundary, the grade (five boxes, the product's
filled), the certificate number and the last day of validity; and the QR code that opens the
public verification page, with the same URL printed beside it for people who type it.

The drawing's user unit is the millimetre (``viewBox`` 0 0 60 100 on a 60 mm × 100 mm
canvas). Text asks for "Noto Sans CJK SC" and falls back to other CJK sans-serif faces, then to
any sans-serif. Units are written as given ("kg CO2e", no subscript two): the CJK faces have no
subscript digits, and renderers anchor a line's pieces apart, so a raised or lowered "2" would
push centred text off its centre. The QR code is a path of black squares on its own white
quiet zone.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from tanzuji.labels.content import GRADES, LabelContent, Language, format_value
from tanzuji.labels.layout import fit_text
from tanzuji.labels.qr import qr_code
from tanzuji.model.stages import Boundary

__all__ = ["HEIGHT_MM", "WIDTH_MM", "label_svg"]

WIDTH_MM = 60.0
HEIGHT_MM = 100.0
FONTS = (
    "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'PingFang SC', "
    "'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif"
)
GREEN = "#1d6b36"
"""The label's green (white text on it has a contrast ratio above 6:1)."""
PALE_GREEN = "#e6f2e8"
DARK = "#12361f"
GREY = "#4a5a4f"
MARGIN = 4.0

WORDS: dict[Language, dict[str, str]] = {
    "zh": {
        "title": "产品碳足迹",
        "per": "每 {unit}",
        "boundary": "系统边界",
        "grade": "碳足迹等级",
        "no_grade": "未分级",
        "number": "证书编号",
        "valid_until": "有效期至",
        "scan": "扫码验证",
        "summary": "{product}：{value} {unit}，每 {declared}；证书 {number}，有效期至 {until}",
    },
    "en": {
        "title": "Carbon footprint",
        "per": "per {unit}",
        "boundary": "Boundary",
        "grade": "Grade",
        "no_grade": "not graded",
        "number": "Certificate",
        "valid_until": "Valid until",
        "scan": "Scan to verify",
        "summary": "{product}: {value} {unit} per {declared}; certificate {number}, "
        "valid until {until}",
    },
}
BOUNDARY_EN = {
    Boundary.CRADLE_TO_GATE: "cradle to gate",
    Boundary.CRADLE_TO_GRAVE: "cradle to grave",
    Boundary.GATE_TO_GATE: "gate to gate",
}

FOOTPRINT = (
    # the sole: a tilted egg shape; then five toes from the big one to the little one
    ("ellipse", {"cx": "9.4", "cy": "10.6", "rx": "2.6", "ry": "3.7",
                 "transform": "rotate(-12 9.4 10.6)"}),
    ("circle", {"cx": "6.9", "cy": "5.6", "r": "1.05"}),
    ("circle", {"cx": "8.9", "cy": "4.6", "r": "0.85"}),
    ("circle", {"cx": "10.6", "cy": "4.5", "r": "0.72"}),
    ("circle", {"cx": "12.0", "cy": "5.1", "r": "0.62"}),
    ("circle", {"cx": "13.0", "cy": "6.2", "r": "0.52"}),
)  # fmt: skip
"""tanzuji's footprint pictogram, in millimetres, drawn white on the green band."""


def _n(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _text(
    parent: ET.Element, x: float, y: float, text: str, size: float, **attributes: str
) -> ET.Element:
    element = ET.SubElement(parent, "text", x=_n(x), y=_n(y), attrib={"font-size": _n(size)})
    for name, value in attributes.items():
        element.set(name.replace("_", "-"), value)
    element.text = text
    return element


def _lines(
    parent: ET.Element,
    x: float,
    y: float,
    text: str,
    *,
    width: float,
    size: float,
    max_lines: int = 1,
    leading: float = 1.2,
    **attributes: str,
) -> float:
    """``text`` fitted into ``width`` from baseline ``y``; returns the last baseline."""
    fitted = fit_text(text, width, size, max_lines=max_lines)
    baseline = y
    for number, line in enumerate(fitted.lines):
        baseline = y + number * fitted.size * leading
        _text(parent, x, baseline, line, fitted.size, **attributes)
    return baseline


def _header(svg: ET.Element, words: dict[str, str]) -> None:
    ET.SubElement(svg, "path", d="M0 17V3a3 3 0 0 1 3-3h54a3 3 0 0 1 3 3v14z", fill=GREEN)
    pictogram = ET.SubElement(svg, "g", fill="#ffffff", attrib={"aria-hidden": "true"})
    for shape, attributes in FOOTPRINT:
        ET.SubElement(pictogram, shape, attrib=attributes)
    _lines(svg, 17.5, 9.2, words["title"], width=38.5, size=5.2, fill="#ffffff", font_weight="bold")
    _text(svg, 17.5, 14.2, "GB/T 24067-2024", 2.6, fill="#ffffff")


def _value(
    svg: ET.Element, content: LabelContent, language: Language, words: dict[str, str]
) -> None:
    ET.SubElement(svg, "rect", x="0", y="17", width=_n(WIDTH_MM), height="31", fill=PALE_GREEN)
    middle = WIDTH_MM / 2
    width = WIDTH_MM - 2 * MARGIN
    number = format_value(content.value, language)
    _lines(svg, middle, 31.5, number, width=width, size=12, fill=DARK, font_weight="bold",
           text_anchor="middle")  # fmt: skip
    _text(svg, middle, 37.6, content.unit, 4.2, fill=DARK, text_anchor="middle")
    per = words["per"].format(unit=content.declared_unit)
    _lines(svg, middle, 42.6, per, width=width, size=3.0, max_lines=2, fill=DARK,
           text_anchor="middle")  # fmt: skip


def _facts(
    svg: ET.Element, content: LabelContent, language: Language, words: dict[str, str]
) -> None:
    right = WIDTH_MM - MARGIN
    boundary = content.boundary.label_zh if language == "zh" else BOUNDARY_EN[content.boundary]
    rows = (
        (63.5, words["boundary"], boundary),
        (68.2, words["grade"], None),
        (72.9, words["number"], content.certificate_number),
        (77.6, words["valid_until"], content.valid_until_day().isoformat()),
    )
    for baseline, label, value in rows:
        _text(svg, MARGIN, baseline, label, 2.6, fill=GREY)
        if value is not None:
            _lines(svg, right, baseline, value, width=34, size=2.9, fill=DARK,
                   font_weight="bold", text_anchor="end")  # fmt: skip
    _grade(svg, content.grade, words, right, 68.2)


def _grade(
    svg: ET.Element, grade: int | None, words: dict[str, str], right: float, y: float
) -> None:
    if grade is None:
        _text(svg, right, y, words["no_grade"], 2.9, fill=DARK, text_anchor="end")
        return
    box, gap = 3.6, 0.7
    left = right - len(GRADES) * box - (len(GRADES) - 1) * gap
    for step in GRADES:
        x = left + (step - 1) * (box + gap)
        chosen = step == grade
        ET.SubElement(
            svg, "rect", x=_n(x), y=_n(y - 2.9), width=_n(box), height=_n(box), rx="0.5",
            fill=GREEN if chosen else "#ffffff", stroke=GREEN, attrib={"stroke-width": "0.3"},
        )  # fmt: skip
        _text(svg, x + box / 2, y, str(step), 2.7, fill="#ffffff" if chosen else GREEN,
              text_anchor="middle", font_weight="bold" if chosen else "normal")  # fmt: skip


def _qr(svg: ET.Element, content: LabelContent, words: dict[str, str]) -> None:
    code = qr_code(content.verification_url)
    side = 18.5
    group = ET.SubElement(
        svg, "g", transform=f"translate(3 80.5) scale({_n(side / code.size)})",
        attrib={"shape-rendering": "crispEdges"},
    )  # fmt: skip
    ET.SubElement(group, "rect", width=str(code.size), height=str(code.size), fill="#ffffff")
    ET.SubElement(group, "path", d=code.path, fill="#000000")
    _text(svg, 23, 87, words["scan"], 3.4, fill=GREEN, font_weight="bold")
    _lines(svg, 23, 91.6, content.verification_url, width=33.5, size=2.2, max_lines=2,
           fill=GREY)  # fmt: skip


def label_svg(content: LabelContent, language: Language = "zh") -> str:
    """The carbon label of ``content`` in ``language`` as an SVG document (UTF-8 text)."""
    words = WORDS[language]
    summary = words["summary"].format(
        product=content.product_name(language),
        value=format_value(content.value, language),
        unit=content.unit,
        declared=content.declared_unit,
        number=content.certificate_number,
        until=content.valid_until_day().isoformat(),
    )
    svg = ET.Element(
        "svg",
        xmlns="http://www.w3.org/2000/svg",
        width=f"{_n(WIDTH_MM)}mm",
        height=f"{_n(HEIGHT_MM)}mm",
        viewBox=f"0 0 {_n(WIDTH_MM)} {_n(HEIGHT_MM)}",
        role="img",
        attrib={"aria-labelledby": "label-title", "font-family": FONTS, "lang": language},
    )
    ET.SubElement(svg, "title", id="label-title").text = summary
    ET.SubElement(svg, "rect", width=_n(WIDTH_MM), height=_n(HEIGHT_MM), rx="3", fill="#ffffff")
    _header(svg, words)
    _value(svg, content, language, words)
    _lines(svg, WIDTH_MM / 2, 53.2, content.product_name(language), width=WIDTH_MM - 2 * MARGIN,
           size=4.0, max_lines=2, fill=DARK, font_weight="bold", text_anchor="middle")  # fmt: skip
    ET.SubElement(svg, "path", d=f"M{_n(MARGIN)} 59.6H{_n(WIDTH_MM - MARGIN)}", stroke=GREEN,
                  attrib={"stroke-width": "0.3"})  # fmt: skip
    _facts(svg, content, language, words)
    ET.SubElement(svg, "path", d=f"M{_n(MARGIN)} 80H{_n(WIDTH_MM - MARGIN)}", stroke=GREEN,
                  attrib={"stroke-width": "0.3"})  # fmt: skip
    _qr(svg, content, words)
    ET.SubElement(svg, "rect", x="0.4", y="0.4", width=_n(WIDTH_MM - 0.8),
                  height=_n(HEIGHT_MM - 0.8), rx="2.6", fill="none", stroke=GREEN,
                  attrib={"stroke-width": "0.8"})  # fmt: skip
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(svg, encoding="unicode")
