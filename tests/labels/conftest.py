"""A label for a green tea certificate, the worked example of the label tests."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from tanzuji.labels import LabelContent
from tanzuji.model.stages import Boundary

URL = "https://tanzuji.example.cn/v/GZ-PCF-2026-000001"


def make_content(**overrides: Any) -> LabelContent:
    """Duyun Maojian green tea: 0.92345 kg CO2e per 1 kg, grade 2, valid until 1 March 2028
    (16:00 UTC on 29 February is already 1 March in China)."""
    fields: dict[str, Any] = {
        "product_name_zh": "都匀毛尖绿茶",
        "product_name_en": "Duyun Maojian green tea",
        "value": 0.92345,
        "unit": "kg CO2e",
        "declared_unit": "1 kg green tea",
        "boundary": Boundary.CRADLE_TO_GATE,
        "grade": 2,
        "certificate_number": "GZ-PCF-2026-000001",
        "valid_until": datetime.datetime(2028, 2, 29, 16, tzinfo=datetime.UTC),
        "verification_url": URL,
    }
    fields.update(overrides)
    return LabelContent(**fields)


@pytest.fixture
def content() -> LabelContent:
    return make_content()
