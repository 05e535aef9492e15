"""What a carbon label says: the certified product, its footprint with units, and where to
check it.

A label repeats what the certificate states, nothing more: the product, the footprint value in
kg CO2e per declared unit (GB/T 24067-2024 §6.3 asks the declared unit to be stated with the
value), the system boundary, the grade (1 best to 5, when a benchmark applies), the certificate
number and the end of its validity, and the URL of the public verification page its QR code
encodes.

Numbers are formatted for the label's language with Babel (3 significant digits, never fewer
than the integer part: 0.923, 12.3, 2,013); dates are the calendar day in China Standard Time.
"""

from __future__ import annotations

import datetime
import math
import zoneinfo
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from babel.numbers import format_decimal

from tanzuji.errors import LabelError
from tanzuji.model.stages import Boundary

__all__ = [
    "GRADES",
    "LANGUAGES",
    "LabelContent",
    "Language",
    "format_value",
]

Language = Literal["zh", "en"]
LANGUAGES: dict[Language, str] = {"zh": "zh_Hans_CN", "en": "en_GB"}
"""The label languages and the Babel locale each formats numbers with."""

GRADES = range(1, 6)
"""The grades of graded management: 1 (best) to 5."""

SIGNIFICANT_DIGITS = 3
"""Digits a label shows of a footprint: the certificate keeps the full value."""

CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class LabelContent:
    """Everything a carbon label prints.

    ``value`` is the certified footprint in ``unit`` (kg CO2e) per ``declared_unit``
    (e.g. "1 kg green tea"); ``grade`` is 1 (best) to 5, or ``None`` where no benchmark
    applies; ``valid_until`` is the end of the certificate's validity (timezone-aware);
    ``verification_url`` is the public page that the QR code opens.
    """

    product_name_zh: str
    product_name_en: str
    value: float
    unit: str
    declared_unit: str
    boundary: Boundary
    grade: int | None
    certificate_number: str
    valid_until: datetime.datetime
    verification_url: str

    def __post_init__(self) -> None:
        for field in ("product_name_zh", "unit", "declared_unit", "certificate_number"):
            if not getattr(self, field).strip():
                raise LabelError(f"{field} is empty: a label must state it", field)
        if not math.isfinite(self.value):
            raise LabelError(f"value {self.value} is not a number a label can show", "value")
        if self.grade is not None and self.grade not in GRADES:
            raise LabelError(f"grade {self.grade} is not one of 1 (best) to 5", "grade")
        if self.valid_until.tzinfo is None:
            raise LabelError(
                "valid_until needs a timezone (the certificate's is UTC)", "valid_until"
            )
        url = urlsplit(self.verification_url)
        if url.scheme not in ("http", "https") or not url.netloc:
            raise LabelError(
                f"verification_url {self.verification_url!r} is not an http(s) URL the QR code "
                "can open",
                "verification_url",
            )

    def product_name(self, language: Language) -> str:
        """The product's name in ``language`` (the Chinese name where no English one is given)."""
        if language == "en" and self.product_name_en.strip():
            return self.product_name_en
        return self.product_name_zh

    def valid_until_day(self) -> datetime.date:
        """The last day of validity as a calendar day in China Standard Time."""
        return self.valid_until.astimezone(CHINA).date()


def format_value(value: float, language: Language) -> str:
    """``value`` with :data:`SIGNIFICANT_DIGITS` significant digits, grouped for ``language``.

    >>> format_value(0.92345, "zh"), format_value(2013.4, "en"), format_value(12.34, "en")
    ('0.923', '2,013', '12.3')
    """
    magnitude = abs(value)
    order = math.floor(math.log10(magnitude)) if magnitude > 0 else 0
    decimals = max(0, SIGNIFICANT_DIGITS - 1 - order)
    rounded = round(value, decimals)
    return format_decimal(rounded, format=f"#,##0.{'0' * decimals}" if decimals else "#,##0",
                          locale=LANGUAGES[language])  # fmt: skip
