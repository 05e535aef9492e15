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
    per: float = 1.0  # ours is divided by this to match the published unit (e.g. P2O5 content)


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
    Comparison(
        "battery-li-ion",
        "total",
        "BATT-LFP-PACK-CN",
        0.0,
        0.6,
        1.4,
        "Hao et al. 2017, LFP pack made in China, 3,061 kgCO2e per 28 kWh = 109.3 per kWh; "
        "cathode and aluminium lead in both",
    ),
    Comparison(
        "steel-bf-bof",
        "total",
        "STEEL-BOF-CN",
        0.0,
        0.8,
        1.4,
        "GB/T 51366-2019 converter steel, 1,990 kgCO2e/t; the example adds ferroalloy, lime, "
        "coal and coke upstream from suppliers",
    ),
    Comparison(
        "phosphate-fertilizer",
        "total",
        "FERT-DAP-MFG",
        0.0,
        0.5,
        1.3,
        "Chen, Lu & Wang 2015, DAP at the general level, 1.109 tCE/t P2O5 = 4,066 kgCO2e/t "
        "P2O5; the example is 1,446.7 per t of 18-46-0, 3,145 per t P2O5, with present-day "
        "power and steam from a sulfur-burning acid plant",
        per=0.46,
    ),
    Comparison(
        "electricity",
        "total",
        "ELEC-LCA-CN-2024",
        0.0,
        0.6,
        1.1,
        "the national life-cycle factor of 2024, 0.5777 kgCO2e/kWh; the example plant uses 9 % "
        "own PV and retired certificates for a quarter of its power",
    ),
)


def footprint(rule: str) -> Footprint:
    data = load_activity_data(EXAMPLES / f"{rule}.yaml")
    return account(find_rule(rule), data, bundled_factor_set())


@pytest.mark.parametrize("row", COMPARISONS, ids=lambda c: f"{c.rule}-{c.published}")
def test_within_the_explained_band(row: Comparison) -> None:
    result = footprint(row.rule)
    ours = (result.total_kgco2e if row.ours == "total" else result.by_stage[row.ours]) / row.per
    published = bundled_factor_set()[row.published]
    value = next(iter(published.gases.values())) - row.subtract
    assert row.low <= ours / value <= row.high, f"{ours:.4g} vs {value:.4g}: {row.why}"
