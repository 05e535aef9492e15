"""Each rule example beside published Chinese footprints of the same product.

A result far outside every published range is a bug until explained; each row states the
comparable quantity, the band the ratio must fall in, and why (docs/rules/comparison.md).
Published values are read from the bundled factor database, where each carries its source.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tanzuji.engine import Footprint
from tanzuji.factors import bundled_factor_set
from tanzuji.rules import account, find_rule, load_activity_data

EXAMPLES = Path(__file__).parents[2] / "examples"


@dataclass(frozen=True)
class Comparison:
    rule: str
    ours: str  # "total" or a stage name
    published: str  # factor id in the bundled database
    subtract: float  # part of the published value outside our boundary, same unit
    low: float  # band of ours / published
    high: float
    why: str


COMPARISONS = (
    Comparison(
        "tea-green",
        "raw_material_acquisition",
        "TEA-GREEN-SX-CULT",
        0.0,
        0.6,
        1.5,
        "cultivation stage of smallholder green tea, Hanzhong (Agronomy 2023): 6.97",
    ),
    Comparison(
        "tea-green",
        "total",
        "TEA-GREEN-SX-C2G",
        14.90,
        0.4,
        1.5,
        "Hanzhong cradle-to-grave 32.9 less its consumption stage 14.90 = 18.0 to the "
        "gate; its processing burns coal and pellets (7.94), the example uses grid "
        "power and gas (3.81)",
    ),
    Comparison(
        "tea-green",
        "total",
        "TEA-MADE-ZJ-C2G",
        0.0,
        0.3,
        1.5,
        "Songyang made tea, cradle-to-gate, 23.5: its fresh leaf alone is 3.5 per kg "
        "(high N rates); the example's leaf is 1.4 per kg at 190 kg N/ha",
    ),
    Comparison(
        "cement",
        "total",
        "CEMENT-OPC-CN",
        0.0,
        0.8,
        1.2,
        "GB/T 51366-2019 ordinary Portland cement, market average, 735 kgCO2e/t",
    ),
)


def footprint(rule: str) -> Footprint:
    data = load_activity_data(EXAMPLES / f"{rule}.yaml")
    return account(find_rule(rule), data, bundled_factor_set())


@pytest.mark.parametrize("row", COMPARISONS, ids=lambda c: f"{c.rule}-{c.published}")
def test_within_the_explained_band(row: Comparison) -> None:
    result = footprint(row.rule)
    ours = result.total_kgco2e if row.ours == "total" else result.by_stage[row.ours]
    published = bundled_factor_set()[row.published]
    value = next(iter(published.gases.values())) - row.subtract
    assert row.low <= ours / value <= row.high, f"{ours:.4g} vs {value:.4g}: {row.why}"
