"""Factories for small, readable test data: every test builds its own."""

from __future__ import annotations

from typing import Any

import pytest

from tanzuji.factors import EmissionFactor, FactorSet
from tanzuji.model import ProductModel


def make_factor(factor_id: str = "F-ELEC", **overrides: Any) -> EmissionFactor:
    """A factor with sensible defaults: 0.5 kg fossil CO2 per kWh, in China, 2023."""
    fields: dict[str, Any] = {
        "id": factor_id,
        "activity": "electricity.grid",
        "name_zh": "电力",
        "name_en": "electricity",
        "unit": "kWh",
        "gases": {"CO2": 0.5},
        "geography": "CN",
        "reference_year": 2023,
        "source": {"document": "test fixture, not a published value"},
        "data_quality": {"technological": 1, "temporal": 2, "geographical": 3},
    }
    fields.update(overrides)
    return EmissionFactor.model_validate(fields)


def make_model(product_id: str = "widget", **overrides: Any) -> ProductModel:
    """A cradle-to-gate model making 1,000 kg a year, per 1 kg, with no lines."""
    fields: dict[str, Any] = {
        "id": product_id,
        "name_zh": product_id,
        "name_en": product_id,
        "declared_unit": "1 kg",
        "reference_output": {"amount": 1000, "unit": "kg"},
        "reference_period": {"start": "2025-01-01", "end": "2025-12-31"},
        "boundary": "cradle-to-gate",
        "geography": "CN-GZ",
        "stages": {},
    }
    fields.update(overrides)
    return ProductModel.model_validate(fields)


def line(name: str, amount: float, unit: str, **target: Any) -> dict[str, Any]:
    """An activity line as a model file would write it."""
    return {"name": name, "amount": amount, "unit": unit, **target}


@pytest.fixture
def factor_set() -> FactorSet:
    """Electricity (0.5 kg CO2/kWh), diesel (3,000 kg CO2 + 0.1 kg N2O per t) and a biogenic
    factor, all invented for arithmetic, not published values."""
    return FactorSet(
        "test-1",
        [
            make_factor(),
            make_factor(
                "F-DIESEL",
                activity="diesel.combustion",
                unit="t",
                gases={"CO2": 3000.0, "N2O": 0.1},
                name_en="diesel",
                name_zh="柴油",
            ),
            make_factor(
                "F-WOOD",
                activity="wood.combustion",
                unit="kg",
                gases={"CO2-biogenic": 1.6, "CH4-biogenic": 0.01},
                name_en="firewood",
                name_zh="薪柴",
            ),
        ],
    )
