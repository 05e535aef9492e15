"""The upstream of the phosphate chain: phosphate rock, sulfuric acid, wet-process phosphoric acid.

Each class works one example (examples/phosphate-rock.yaml, sulfuric-acid.yaml and
phosphoric-acid.yaml) with the arithmetic written out, checks a formula by hand on round numbers
and shows an input mistake with the problem it yields. The factors used, per unit:

    electricity, China life cycle 2024 (ELEC-LCA-CN-2024)   0.5777 kgCO2e/kWh
    diesel (FUEL-DIESEL)                                    3,145 kgCO2/t
    natural gas (FUEL-NATGAS)                               2.162 kgCO2/Nm3
    road freight, 30 t truck (FRT-ROAD-DSL-30T)             0.078 kgCO2e/t*km
    rail freight (FRT-RAIL-CN)                              0.010 kgCO2e/t*km
    purchased heat default (HEAT-CN-DEFAULT)                110 kgCO2/GJ
    ammonium nitrate manufacture (PHOS-ROCK-AN-MFG)         15,407.33 kgCO2e/t N
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tanzuji.engine import calculate
from tanzuji.factors import bundled_factor_set
from tanzuji.rules import ActivityData, account, build, check, find_rule, load_activity_data

EXAMPLES = Path(__file__).parents[2] / "examples"
EXACT = 1e-9

ELECTRICITY = 0.5777
DIESEL = 3145.0
NATURAL_GAS = 2.162
ROAD = 0.078
RAIL = 0.010
HEAT = 110.0
AMMONIUM_NITRATE = 15_407.33
CO2_PER_C = 44.01 / 12.011
N_IN_NH4NO3 = 2 * 14.007 / 80.043  # = 0.349987


def example(name: str, **changes: Any) -> ActivityData:
    """examples/<name>.yaml with some inputs replaced (``None`` removes one)."""
    data = load_activity_data(EXAMPLES / f"{name}.yaml")
    inputs = {**data.inputs, **changes}
    kept = {key: value for key, value in inputs.items() if value is not None}
    return data.model_copy(update={"inputs": kept})


def one_off(rule: str, inputs: dict[str, float]) -> ActivityData:
    """Activity data of one tonne made, for hand calculations."""
    return ActivityData.model_validate(
        {
            "rule": rule,
            "product": "one",
            "name_zh": "一吨",
            "name_en": "one tonne",
            "geography": "CN-GZ",
            "reference_period": {"start": "2025-01-01", "end": "2025-12-31"},
            "inputs": inputs,
        }
    )


def fields(problems: list[Any]) -> set[tuple[str, str]]:
    return {(p.severity, p.field) for p in problems}


class TestPhosphateRock:
    """examples/phosphate-rock.yaml: 1.1 Mt of concentrate at 30.5 % P2O5, per 1 t of rock."""

    ROCK = 1_100_000.0  # t
    MINING_ELECTRICITY = 18e6 * ELECTRICITY  # kWh: 10,398,600 kg
    MINING_DIESEL = 1200 * DIESEL  # t: 3,774,000 kg
    BLASTING = 450_000 * 0.05 * CO2_PER_C  # kg explosive x carbon: 82,443.6 kg CO2
    # kg N in the explosive's ammonium nitrate: 450,000 x 0.75 x 0.349987 = 118,120.7 kg N
    NITRATE = 450_000 * 0.75 * N_IN_NH4NO3 / 1000 * AMMONIUM_NITRATE  # 1,819,923 kg
    BENEFICIATION = 33e6 * ELECTRICITY  # kWh: 19,064,100 kg
    FLOTATION_ACID = 16_500 * 53.3  # t x kgCO2e/t (sulfuric acid example): 879,450 kg
    COLLECTORS = 1_100 * 2500.0  # t x kgCO2e/t (supplier): 2,750,000 kg
    HAULAGE = 12e6 * ROAD  # t*km: 936,000 kg
    RAW_MATERIALS = NITRATE + FLOTATION_ACID + COLLECTORS  # 5,449,373 kg
    PRODUCTION = MINING_ELECTRICITY + MINING_DIESEL + BLASTING + BENEFICIATION  # 33,319,144 kg
    TOTAL = (RAW_MATERIALS + HAULAGE + PRODUCTION) / ROCK  # 36.095 kgCO2e/t

    def test_total_and_stages(self) -> None:
        footprint = account(
            find_rule("phosphate-rock"), example("phosphate-rock"), bundled_factor_set()
        )
        assert footprint.total_kgco2e == pytest.approx(self.TOTAL, rel=EXACT)
        assert footprint.by_stage == pytest.approx(
            {
                "raw_material_acquisition": self.RAW_MATERIALS / self.ROCK,
                "transport": self.HAULAGE / self.ROCK,
                "production": self.PRODUCTION / self.ROCK,
            },
            rel=EXACT,
        )
        # per t of P2O5 in the rock: 36.095 / 0.305 = 118.3 kgCO2e
        assert footprint.total_kgco2e / 0.305 == pytest.approx(118.344, rel=1e-4)
        assert "PHOS-ROCK-AN-MFG" in footprint.provenance.factors

    def test_blasting_and_ammonium_nitrate_of_one_tonne_of_explosive(self) -> None:
        """1 t of explosive, 75 % NH4NO3 and 5 % carbon, for 1 t of rock (no other input):
        detonation 1,000 x 0.05 x 44.01/12.011 = 183.21 kg CO2; ammonium nitrate
        750 kg x 0.349987 = 262.49 kg N x 15.40733 = 4,044.3 kgCO2e; together 4,227.5."""
        data = one_off(
            "phosphate-rock",
            {
                "phosphate_rock": 1,
                "p2o5_grade": 0.30,
                "mining_electricity": 0,
                "explosives": 1000,
                "explosive_an_share": 0.75,
                "explosive_carbon": 0.05,
            },
        )
        footprint = account(find_rule("phosphate-rock"), data, bundled_factor_set())
        assert footprint.total_kgco2e == pytest.approx(183.21 + 4044.3, rel=1e-4)

    def test_the_supplier_footprint_of_the_explosive_replaces_the_estimate(self) -> None:
        data = example("phosphate-rock", explosive_pcf=3000.0)  # kgCO2e per t of explosive
        footprint = account(find_rule("phosphate-rock"), data, bundled_factor_set())
        supplied = 450 * 3000.0  # t x kgCO2e/t = 1,350,000 kg
        expected = self.TOTAL + (supplied - self.NITRATE) / self.ROCK
        assert footprint.total_kgco2e == pytest.approx(expected, rel=EXACT)
        assert "PHOS-ROCK-AN-MFG" not in footprint.provenance.factors

    def test_the_grade_of_the_rock_must_be_stated(self) -> None:
        problems = check(find_rule("phosphate-rock"), example("phosphate-rock", p2o5_grade=None))
        assert fields(problems) == {("error", "p2o5_grade")}

    def test_explosives_need_their_carbon_content(self) -> None:
        """Without it the detonation CO2 used to count as zero."""
        data = example("phosphate-rock", explosive_carbon=None)
        problems = check(find_rule("phosphate-rock"), data)
        assert [(p.severity, p.field, p.message_en) for p in problems] == [
            (
                "error",
                "explosive_carbon",
                "'carbon content of the explosives' is required because explosives is given",
            )
        ]

    def test_collectors_and_their_footprint_go_together(self) -> None:
        rule = find_rule("phosphate-rock")
        without_footprint = check(rule, example("phosphate-rock", collectors_pcf=None))
        assert [(p.field, p.message_en) for p in without_footprint] == [
            (
                "collectors_pcf",
                "'footprint of the collectors (supplier)' is required because collectors is given",
            )
        ]
        without_amount = check(rule, example("phosphate-rock", collectors=None))
        assert [(p.field, p.message_en) for p in without_amount] == [
            (
                "collectors",
                "'collectors and other flotation reagents' is required because collectors_pcf "
                "is given",
            )
        ]


class TestSulfuricAcid:
    """examples/sulfuric-acid.yaml: 800 kt of acid from sulfur, per 1 t H2SO4; the heat sent
    out as steam and power is a co-product, allocated by revenue."""

    ACID = 800_000.0  # t
    ENERGY = 2_900_000.0  # GJ sent out
    SULFUR = 264_000 * 120.0  # t x kgCO2e/t (supplier): 31,680,000 kg
    SULFUR_CARBON = 264_000 * 0.0003 * CO2_PER_C * 1000  # kg CO2: 290,199
    POWER = 48e6 * ELECTRICITY  # kWh: 27,729,600 kg
    GAS = 150_000 * NATURAL_GAS  # Nm3: 324,300 kg
    FREIGHT = 184.8e6 * RAIL + 7.92e6 * ROAD  # t*km: 1,848,000 + 617,760 kg
    WHOLE = SULFUR + SULFUR_CARBON + POWER + GAS + FREIGHT  # 62,489,860 kg
    # revenue: acid 800,000 t x 350 = 280.0 M CNY; energy 2.9 M GJ x 45 = 130.5 M CNY
    SHARE = 280.0 / 410.5  # the acid's share: 0.68210

    def test_the_acid_and_its_stages_after_allocation(self) -> None:
        footprint = account(
            find_rule("sulfuric-acid"), example("sulfuric-acid"), bundled_factor_set()
        )
        assert footprint.allocation_factor == pytest.approx(self.SHARE, rel=EXACT)
        # 62,489,860 x 0.68210 / 800,000 = 53.28 kgCO2e per t
        assert footprint.total_kgco2e == pytest.approx(
            self.WHOLE * self.SHARE / self.ACID, rel=EXACT
        )
        assert footprint.by_stage == pytest.approx(
            {
                "raw_material_acquisition": self.SULFUR * self.SHARE / self.ACID,
                "transport": self.FREIGHT * self.SHARE / self.ACID,
                "production": (self.SULFUR_CARBON + self.POWER + self.GAS) * self.SHARE / self.ACID,
            },
            rel=EXACT,
        )

    def test_the_energy_sent_out_carries_the_rest(self) -> None:
        rule, data = find_rule("sulfuric-acid"), example("sulfuric-acid")
        result = calculate([build(rule, data)], bundled_factor_set())
        per_gj = result.total_of("gz-sulfuric-acid/exported-energy")
        # 62,489,860 x (130.5 / 410.5) / 2,900,000 GJ = 6.85 kgCO2e per GJ, no credit anywhere
        assert per_gj == pytest.approx(self.WHOLE * (1 - self.SHARE) / self.ENERGY, rel=EXACT)

    def test_the_pyrite_route_by_hand(self) -> None:
        """1 t of acid from 0.8 t pyrite (50 kgCO2e/t, 2 % carbon), 100 kWh, 1 GJ sent out;
        pyrite 40 + carbon 0.8 x 0.02 x 3.66414 t = 58.626 + power 57.77 = 156.396 kgCO2e,
        of which the acid carries 300 / (300 + 100) = 75 %: 117.30 kgCO2e."""
        data = one_off(
            "sulfuric-acid",
            {
                "sulfuric_acid": 1,
                "pyrite": 0.8,
                "pyrite_pcf": 50,
                "pyrite_carbon": 0.02,
                "electricity": 100,
                "energy_exported": 1,
                "acid_price": 300,
                "energy_price": 100,
            },
        )
        footprint = account(find_rule("sulfuric-acid"), data, bundled_factor_set())
        whole = 0.8 * 50 + 0.8 * 0.02 * CO2_PER_C * 1000 + 100 * ELECTRICITY
        assert footprint.total_kgco2e == pytest.approx(0.75 * whole, rel=EXACT)

    def test_sulfur_without_its_footprint_is_refused(self) -> None:
        """The footprint is asked for by name (and the raw material stage is empty)."""
        problems = check(find_rule("sulfuric-acid"), example("sulfuric-acid", sulfur_pcf=None))
        assert fields(problems) == {
            ("error", "sulfur_pcf"),
            ("error", "stages.raw_material_acquisition"),
        }
        sulfur_pcf = next(p for p in problems if p.field == "sulfur_pcf")
        assert sulfur_pcf.message_en == (
            "'footprint of the sulfur (supplier)' is required because sulfur is given"
        )

    def test_pyrite_needs_its_carbon_content(self) -> None:
        """Coal-measure pyrite may hold several per cent carbon; left out, it counted as zero."""
        data = one_off(
            "sulfuric-acid",
            {"sulfuric_acid": 1, "pyrite": 0.8, "pyrite_pcf": 50, "electricity": 100},
        )
        problems = check(find_rule("sulfuric-acid"), data)
        assert [(p.severity, p.field, p.message_en) for p in problems if p.severity == "error"] == [
            (
                "error",
                "pyrite_carbon",
                "'carbon content of the pyrite (total carbon)' is required because pyrite is given",
            )
        ]

    def test_a_plant_that_sends_no_energy_out_carries_the_whole_burden(self) -> None:
        """No energy sent out and no prices: no co-product, no allocation;
        62,489,860 kg / 800,000 t = 78.11 kgCO2e per t."""
        data = example("sulfuric-acid", energy_exported=None, energy_price=None, acid_price=None)
        footprint = account(find_rule("sulfuric-acid"), data, bundled_factor_set())
        assert footprint.allocation_factor == 1.0
        assert footprint.total_kgco2e == pytest.approx(self.WHOLE / self.ACID, rel=EXACT)
        assert footprint.total_kgco2e == pytest.approx(78.112, rel=1e-4)

    def test_energy_sent_out_needs_both_prices(self) -> None:
        data = example("sulfuric-acid", energy_price=None, acid_price=None)
        problems = check(find_rule("sulfuric-acid"), data)
        assert [(p.field, p.message_en) for p in problems] == [
            (
                "acid_price",
                "'average price of the acid' is required because energy_exported is given",
            ),
            (
                "energy_price",
                "'average price of the energy sent out' is required because energy_exported "
                "is given",
            ),
        ]

    def test_an_energy_price_without_the_energy_sent_out(self) -> None:
        """A price with no amount: the energy sent out was probably forgotten, and the acid
        would silently carry the whole burden."""
        problems = check(find_rule("sulfuric-acid"), example("sulfuric-acid", energy_exported=None))
        assert [(p.field, p.message_en) for p in problems] == [
            (
                "energy_exported",
                "'energy sent out (steam and waste-heat power)' is required because energy_price "
                "is given",
            )
        ]


class TestPhosphoricAcid:
    """examples/phosphoric-acid.yaml: 300 kt P2O5 from the complex's own rock, acid and steam,
    per 1 t P2O5."""

    P2O5 = 300_000.0  # t
    ROCK = 1_050_000 * 36.1  # t x kgCO2e/t (phosphate-rock example): 37,905,000 kg
    ACID = 780_000 * 53.3  # t x kgCO2e/t (sulfuric-acid example): 41,574,000 kg
    CARBONATE = 1_050_000 * 0.025 * 1000  # t rock x CO2 content: 26,250,000 kg CO2
    STEAM = 1_800_000 * 6.85  # GJ x kgCO2e/GJ (the acid plant's energy): 12,330,000 kg
    POWER = 39e6 * ELECTRICITY  # kWh: 22,530,300 kg
    FREIGHT = 15.75e6 * ROAD  # t*km: 1,228,500 kg
    TOTAL = (ROCK + ACID + CARBONATE + STEAM + POWER + FREIGHT) / P2O5  # 472.73 kgCO2e/t P2O5

    def test_total_stages_and_gases(self) -> None:
        footprint = account(
            find_rule("phosphoric-acid"), example("phosphoric-acid"), bundled_factor_set()
        )
        assert footprint.total_kgco2e == pytest.approx(self.TOTAL, rel=EXACT)
        assert footprint.by_stage == pytest.approx(
            {
                "raw_material_acquisition": (self.ROCK + self.ACID) / self.P2O5,
                "transport": self.FREIGHT / self.P2O5,
                "production": (self.CARBONATE + self.STEAM + self.POWER) / self.P2O5,
            },
            rel=EXACT,
        )
        assert footprint.by_gas["CO2"].kg == pytest.approx(self.CARBONATE / self.P2O5, rel=EXACT)

    def test_its_supplier_footprints_are_the_upstream_examples(self) -> None:
        factors = bundled_factor_set()
        rock = account(find_rule("phosphate-rock"), example("phosphate-rock"), factors)
        acid_rule, acid_data = find_rule("sulfuric-acid"), example("sulfuric-acid")
        acid = account(acid_rule, acid_data, factors)
        energy = calculate([build(acid_rule, acid_data)], factors).total_of(
            "gz-sulfuric-acid/exported-energy"
        )
        data = example("phosphoric-acid")
        amounts = {
            name: value.amount
            for name in ("rock_pcf", "sulfuric_acid_pcf", "steam_pcf")
            if (value := data.value(name)) is not None
        }
        assert amounts == {
            "rock_pcf": round(rock.total_kgco2e, 1),
            "sulfuric_acid_pcf": round(acid.total_kgco2e, 1),
            "steam_pcf": round(energy, 2),
        }

    def test_carbonate_from_calcite_and_dolomite(self) -> None:
        """Without the CO2 content, 5 % calcite and 2 % dolomite give per t of rock
        0.05 x 44.01/100.09 + 0.02 x 2 x 44.01/184.40 = 0.021985 + 0.009547 = 0.031532 t CO2."""
        data = example("phosphoric-acid", rock_co2=None, rock_calcite=0.05, rock_dolomite=0.02)
        footprint = account(find_rule("phosphoric-acid"), data, bundled_factor_set())
        per_rock = 0.05 * 44.01 / 100.09 + 0.02 * 2 * 44.01 / 184.40
        assert per_rock == pytest.approx(0.031532, rel=1e-4)
        carbonate = 1_050_000 * per_rock * 1000
        expected = self.TOTAL + (carbonate - self.CARBONATE) / self.P2O5
        assert footprint.total_kgco2e == pytest.approx(expected, rel=EXACT)

    def test_without_a_steam_footprint_the_purchased_heat_default_applies(self) -> None:
        data = example("phosphoric-acid", steam_pcf=None)
        footprint = account(find_rule("phosphoric-acid"), data, bundled_factor_set())
        default = 1_800_000 * HEAT  # GJ x kgCO2/GJ = 198,000,000 kg
        expected = self.TOTAL + (default - self.STEAM) / self.P2O5
        assert footprint.total_kgco2e == pytest.approx(expected, rel=EXACT)
        assert "HEAT-CN-DEFAULT" in footprint.provenance.factors

    def test_phosphogypsum_carries_no_burden(self) -> None:
        data = example("phosphoric-acid", phosphogypsum=1_800_000.0)
        footprint = account(find_rule("phosphoric-acid"), data, bundled_factor_set())
        assert footprint.total_kgco2e == pytest.approx(self.TOTAL, rel=EXACT)

    def test_the_sulfuric_acid_footprint_is_required(self) -> None:
        data = example("phosphoric-acid", sulfuric_acid_pcf=None)
        problems = check(find_rule("phosphoric-acid"), data)
        assert fields(problems) == {("error", "sulfuric_acid_pcf")}

    def test_a_steam_footprint_without_the_steam(self) -> None:
        """The steam footprint falls back to a default when left out, so it is not required
        with the steam; but a footprint with no steam means the steam was left out."""
        problems = check(find_rule("phosphoric-acid"), example("phosphoric-acid", steam=None))
        assert [(p.severity, p.field, p.message_en) for p in problems] == [
            ("error", "steam", "'steam used (heat)' is required because steam_pcf is given")
        ]

    def test_calcite_without_dolomite_is_refused(self) -> None:
        data = example("phosphoric-acid", rock_co2=None, rock_calcite=0.05)
        problems = check(find_rule("phosphoric-acid"), data)
        assert [(p.field, p.message_en) for p in problems] == [
            (
                "rock_dolomite",
                "'dolomite (CaMg(CO3)2) content of the rock' is required because rock_calcite "
                "is given",
            )
        ]
