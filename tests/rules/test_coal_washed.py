"""The washed coal rule: its example with the arithmetic written out, the energy allocation by
hand, and bad input."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest

from tanzuji.engine import calculate
from tanzuji.factors import bundled_factor_set
from tanzuji.rules import ActivityData, account, build, check, find_rule, load_activity_data

EXAMPLES = Path(__file__).parents[2] / "examples"
EXACT = 1e-9


def round_numbers(**changes: Any) -> ActivityData:
    """100 t of raw coal at 100 kgCO2e/t washed into 50 t of washed coal (30 GJ/t), 20 t of
    middlings (15 GJ/t) and 10 t of slime (12 GJ/t); no other burden. So small a plant lies
    outside the plausible ranges, which gives warnings; the tests look at errors."""
    inputs: dict[str, Any] = {
        "washed_coal": 50,
        "washed_ncv": 30,
        "raw_coal": 100,
        "raw_coal_pcf": 100,
        "electricity": 0,
        "middlings": 20,
        "middlings_ncv": 15,
        "slime": 10,
        "slime_ncv": 12,
    }
    inputs.update(changes)
    return ActivityData.model_validate(
        {
            "rule": "coal-washed",
            "product": "round",
            "name_zh": "整数示例",
            "name_en": "round numbers",
            "geography": "CN-GZ",
            "reference_period": {"start": "2025-01-01", "end": "2025-12-31"},
            "inputs": {name: value for name, value in inputs.items() if value is not None},
        }
    )


class TestExample:
    """examples/coal-washed.yaml: 1.2 Mt of raw coal washed into 660,000 t of washed coal."""

    WASHED = 660_000.0  # t
    RAW_COAL = 1_200_000 * 309.41  # t x the mine's kgCO2e/t = 371,292,000 kg
    ROAD = 30_000_000 * 0.078  # t*km x 30 t truck = 2,340,000 kg
    ELECTRICITY = 8_400_000 * 0.5777  # kWh x life-cycle factor = 4,852,680 kg
    DIESEL = 180 * 3145.0  # t x kgCO2/t = 566,100 kg
    GANGUE = 1_000_000 * 0.078  # t*km hauling gangue = 78,000 kg
    WHOLE = RAW_COAL + ROAD + ELECTRICITY + DIESEL + GANGUE  # 379,128,780 kg
    # energy: washed 660,000 x 28 = 18,480,000 GJ, middlings 240,000 x 14 = 3,360,000 GJ,
    # slime 90,000 x 12 = 1,080,000 GJ; 22,920,000 GJ in all, 16.5414 kgCO2e per GJ
    ENERGY: ClassVar[dict[str, float]] = {
        "washed": 660_000 * 28.0,
        "middlings": 240_000 * 14.0,
        "slime": 90_000 * 12.0,
    }
    SHARE = ENERGY["washed"] / sum(ENERGY.values())  # 0.806283

    def test_total_stages_and_allocation(self) -> None:
        footprint = account(
            find_rule("coal-washed"),
            load_activity_data(EXAMPLES / "coal-washed.yaml"),
            bundled_factor_set(),
        )
        assert footprint.allocation_factor == pytest.approx(self.SHARE, rel=EXACT)
        # 379,128,780 x 0.806283 / 660,000 = 463.18 kgCO2e per t
        assert footprint.total_kgco2e == pytest.approx(
            self.SHARE * self.WHOLE / self.WASHED, rel=EXACT
        )
        assert footprint.by_stage == pytest.approx(
            {
                "raw_material_acquisition": self.SHARE * self.RAW_COAL / self.WASHED,
                "transport": self.SHARE * self.ROAD / self.WASHED,
                "production": self.SHARE
                * (self.ELECTRICITY + self.DIESEL + self.GANGUE)
                / self.WASHED,
            },
            rel=EXACT,
        )
        assert "DIRECT-CO2e-SUPPLIED" in footprint.provenance.factors

    def test_every_output_carries_the_same_burden_per_gigajoule(self) -> None:
        rule, data = find_rule("coal-washed"), load_activity_data(EXAMPLES / "coal-washed.yaml")
        result = calculate([build(rule, data)], bundled_factor_set())
        per_gj = self.WHOLE / sum(self.ENERGY.values())  # 16.5414 kgCO2e per GJ
        assert result.total_of("gz-washed-coal/middlings") == pytest.approx(
            per_gj * 14.0, rel=EXACT
        )
        assert result.total_of("gz-washed-coal/slime") == pytest.approx(per_gj * 12.0, rel=EXACT)


class TestFormulas:
    def test_energy_allocation_on_round_numbers(self) -> None:
        """50 x 30 = 1,500 GJ of washed coal of 1,500 + 20 x 15 + 10 x 12 = 1,920 GJ, a share of
        0.78125 of 100 t x 100 kgCO2e/t = 10,000 kgCO2e: 7,812.5 kg over 50 t = 156.25 kg/t."""
        footprint = account(find_rule("coal-washed"), round_numbers(), bundled_factor_set())
        assert footprint.allocation_factor == pytest.approx(0.78125, rel=EXACT)
        assert footprint.total_kgco2e == pytest.approx(156.25, rel=EXACT)

    def test_a_plant_that_sells_no_slime_shares_with_the_middlings_only(self) -> None:
        """1,500 of 1,500 + 300 = 1,800 GJ: 10,000 x 1,500/1,800 / 50 t = 166.67 kg/t."""
        footprint = account(
            find_rule("coal-washed"),
            round_numbers(slime=None, slime_ncv=None),
            bundled_factor_set(),
        )
        assert footprint.allocation_factor == pytest.approx(1500 / 1800, rel=EXACT)
        assert footprint.total_kgco2e == pytest.approx(10_000 * 1500 / 1800 / 50, rel=EXACT)

    def test_a_richer_washed_coal_takes_a_larger_share(self) -> None:
        """At 33 GJ/t the washed coal holds 1,650 of 2,070 GJ: 10,000 x 1,650/2,070 / 50 t."""
        footprint = account(
            find_rule("coal-washed"), round_numbers(washed_ncv=33), bundled_factor_set()
        )
        assert footprint.total_kgco2e == pytest.approx(10_000 * 1650 / 2070 / 50, rel=EXACT)


class TestBadInput:
    def test_slime_needs_its_calorific_value(self) -> None:
        problems = check(find_rule("coal-washed"), round_numbers(slime_ncv=None))
        errors = [p for p in problems if p.severity == "error"]
        assert [p.field for p in errors] == ["slime_ncv"]
        assert "required because slime is given" in errors[0].message_en

    def test_the_raw_coal_needs_the_mines_footprint(self) -> None:
        problems = check(find_rule("coal-washed"), round_numbers(raw_coal_pcf=None))
        assert [p.field for p in problems if p.severity == "error"] == ["raw_coal_pcf"]

    def test_calorific_values_are_the_plants_measurements(self) -> None:
        data = round_numbers(washed_ncv={"amount": 30, "data_type": "secondary"})
        problems = check(find_rule("coal-washed"), data)
        errors = [p for p in problems if p.severity == "error"]
        assert [p.field for p in errors] == ["washed_ncv"]
        assert "primary" in errors[0].message_en
