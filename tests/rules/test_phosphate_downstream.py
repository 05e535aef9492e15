"""The downstream phosphate rules: yellow phosphorus, MAP/DAP and compound fertilizer.

Each example's footprint is written out line by line, and each formula is checked on round
numbers. Factors used (kgCO2e per unit): electricity 0.5777/kWh (ELEC-LCA-CN-2024), bituminous
coal 2072/t, purchased heat 110/GJ, road 0.078/t*km (30 t truck), rail 0.010/t*km; per t of
nutrient after Chen, Lu & Wang (2015) x 44/12: ammonia 6130.67, urea 7483.67, ammonium chloride
8140 (t N); MAP 2713.33, SSP 715 (t P2O5); KCl 616 (t K2O).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest

from tanzuji.factors import FactorSet, bundled_factor_set
from tanzuji.rules import ActivityData, Rule, account, check, load_activity_data, load_rule

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples"
EXACT = 1e-9
CO2_PER_C = 44.01 / 12.011  # t CO2 per t C
N_PER_NH3 = 14.007 / 17.031  # t N per t NH3
ELECTRICITY = 0.5777  # kgCO2e/kWh


@pytest.fixture(scope="module")
def factors() -> FactorSet:
    return bundled_factor_set()


def rule(rule_id: str) -> Rule:
    """The rule from its own file, so another rule being edited cannot break these tests."""
    return load_rule(ROOT / "src" / "tanzuji" / "data" / "rules" / rule_id / "2026.1.yaml")


def example(rule_id: str, **inputs: Any) -> ActivityData:
    """The rule's example with some inputs replaced (``None`` removes one)."""
    data = load_activity_data(EXAMPLES / f"{rule_id}.yaml")
    merged = {**data.inputs, **inputs}
    kept = {name: value for name, value in merged.items() if value is not None}
    return ActivityData.model_validate({**data.model_dump(), "inputs": kept})


def one_tonne(rule_id: str, inputs: dict[str, Any]) -> ActivityData:
    return ActivityData.model_validate(
        {
            "rule": rule_id,
            "product": "one",
            "name_zh": "一吨",
            "name_en": "one tonne",
            "geography": "CN-GZ",
            "reference_period": {"start": "2025-01-01", "end": "2025-12-31"},
            "inputs": inputs,
        }
    )


def errors(rule_id: str, data: ActivityData) -> list[tuple[str, str]]:
    return [(p.severity, p.field) for p in check(rule(rule_id), data) if p.severity == "error"]


class TestYellowPhosphorus:
    """examples/yellow-phosphorus.yaml: 20,000 t P4 in 2025, per 1 t, cradle-to-gate."""

    P4 = 20_000.0  # t
    # carbon in: coke 29,000 t x 0.84 = 24,360 t C, electrode paste 400 x 0.85 = 340 t C;
    # out of the plant: tail gas 20e6 Nm3 x 0.45 kg C/Nm3 = 9,000 t C; net 15,700 t C
    CARBON = (29_000 * 0.84 + 400 * 0.85 - 20e6 * 0.45 / 1000) * CO2_PER_C * 1000  # 57,527,017 kg
    CARBONATE = 180_000 * 0.03 * 1000  # t rock x CO2 mass fraction: 5,400,000 kg CO2
    POWER = 276e6 * ELECTRICITY  # kWh: 159,445,200 kg
    UPSTREAM = (
        180_000 * 36.1  # rock x its footprint (phosphate-rock example): 6,498,000
        + 29_000 * 359.0  # coke: 10,411,000
        + 23_000 * 6.0  # silica: 138,000
        + 400 * 800.0  # electrode paste: 320,000
    )  # 17,367,000 kg
    TRANSPORT = 7.89e6 * 0.078 + 14.5e6 * 0.010  # 615,420 + 145,000 = 760,420 kg
    # revenue: P4 20,000 x 23,000 = 460e6 CNY, ferrophosphorus 1,600 x 4,000 = 6.4e6 CNY
    SHARE = 460e6 / (460e6 + 6.4e6)  # 0.986278

    def test_total_stages_and_allocation(self, factors: FactorSet) -> None:
        footprint = account(rule("yellow-phosphorus"), example("yellow-phosphorus"), factors)
        production = self.CARBON + self.CARBONATE + self.POWER  # 222,372,217 kg
        whole = production + self.UPSTREAM + self.TRANSPORT  # 240,499,637 kg
        assert footprint.allocation_factor == pytest.approx(self.SHARE, rel=EXACT)
        # 240,499,637 / 20,000 x 0.986278 = 11,860 kgCO2e per t P4
        assert footprint.total_kgco2e == pytest.approx(self.SHARE * whole / self.P4, rel=EXACT)
        assert footprint.by_stage == pytest.approx(
            {
                "raw_material_acquisition": self.SHARE * self.UPSTREAM / self.P4,  # 856.4
                "transport": self.SHARE * self.TRANSPORT / self.P4,  # 37.5
                "production": self.SHARE * production / self.P4,  # 10,966.0
            },
            rel=EXACT,
        )
        assert footprint.provenance.rule == "yellow-phosphorus@2026.1"
        assert footprint.warnings == ()

    def test_electricity_is_the_largest_line(self, factors: FactorSet) -> None:
        footprint = account(rule("yellow-phosphorus"), example("yellow-phosphorus"), factors)
        assert footprint.hotspots[0].name.startswith("用电")
        assert footprint.hotspots[0].kgco2e == pytest.approx(
            self.SHARE * self.POWER / self.P4, rel=EXACT
        )

    def round_tonne(self, **changes: float) -> ActivityData:
        """1 t P4 from 10 t rock with 5 % CO2 and 1.5 t coke with 80 % carbon; everything
        else zero, and a ferrophosphorus worth nothing so that P4 carries the whole burden."""
        inputs = {
            "yellow_phosphorus": 1,
            "electricity": 0,
            "phosphate_rock": 10,
            "rock_co2": 0.05,
            "rock_pcf": 0,
            "coke": 1.5,
            "coke_carbon": 0.80,
            "coke_pcf": 0,
            "silica": 1.2,
            "silica_pcf": 0,
            "ferrophosphorus": 0.1,
            "p4_price": 20_000,
            "ferrophosphorus_price": 0,
        }
        return one_tonne("yellow-phosphorus", {**inputs, **changes})

    def test_carbon_balance_of_one_tonne(self, factors: FactorSet) -> None:
        """1.5 t x 0.80 = 1.2 t C x 44.01/12.011 = 4.39697 t CO2, and 10 t x 0.05 = 0.5 t CO2
        from carbonate: 4,896.97 kg CO2."""
        footprint = account(rule("yellow-phosphorus"), self.round_tonne(), factors)
        assert footprint.total_kgco2e == pytest.approx((1.2 * CO2_PER_C + 0.5) * 1000, rel=EXACT)
        assert footprint.by_gas["CO2"].kg == pytest.approx(4896.97, rel=1e-6)

    def test_tail_gas_sent_out_takes_its_carbon_with_it(self, factors: FactorSet) -> None:
        """1,000 Nm3 of gas at 0.5 kg C/Nm3 leave with 0.5 t C: 1.832 t CO2 less."""
        whole = account(rule("yellow-phosphorus"), self.round_tonne(), factors)
        sent = self.round_tonne(tail_gas_exported=1000, tail_gas_carbon=0.5)
        less = account(rule("yellow-phosphorus"), sent, factors)
        assert whole.total_kgco2e - less.total_kgco2e == pytest.approx(500 * CO2_PER_C, rel=EXACT)

    def test_tail_gas_sent_out_needs_its_carbon_content(self) -> None:
        """Without its carbon content the gas sent out took no carbon with it (all the carbon
        charged counted as CO2 here): now the content is asked for."""
        problems = check(
            rule("yellow-phosphorus"), example("yellow-phosphorus", tail_gas_carbon=None)
        )
        assert [(p.severity, p.field, p.message_en) for p in problems] == [
            (
                "error",
                "tail_gas_carbon",
                "'carbon in the tail gas sent out' is required because tail_gas_exported is given",
            )
        ]

    def test_the_silica_footprint_is_required(self) -> None:
        """It has no default factor, so leaving it out used to drop the silica upstream."""
        data = example("yellow-phosphorus", silica_pcf=None)
        assert errors("yellow-phosphorus", data) == [("error", "silica_pcf")]

    def test_electrode_paste_and_its_carbon_go_together(self) -> None:
        data = example("yellow-phosphorus", electrode_paste=None)
        problems = check(rule("yellow-phosphorus"), data)
        assert [(p.field, p.message_en) for p in problems] == [
            (
                "electrode_paste",
                "'electrode paste consumed' is required because electrode_carbon, electrode_pcf "
                "is given",
            )
        ]

    def test_more_carbon_sent_out_than_charged_is_an_error(self) -> None:
        # 3,000 Nm3 x 0.5 = 1.5 t C out against 1.2 t C charged
        data = self.round_tonne(tail_gas_exported=3000, tail_gas_carbon=0.5)
        problems = check(rule("yellow-phosphorus"), data)
        assert [(p.severity, p.field) for p in problems if p.severity == "error"] == [
            ("error", "carbon_balance")
        ]
        assert "cannot be negative" in problems[-1].message_en

    def test_missing_carbon_content_and_no_ferrophosphorus(self) -> None:
        data = example("yellow-phosphorus", coke_carbon=None, ferrophosphorus=0)
        # without the coke's carbon the tail gas sent out holds more carbon than was charged
        assert set(errors("yellow-phosphorus", data)) == {
            ("error", "coke_carbon"),
            ("error", "ferrophosphorus"),
            ("error", "carbon_balance"),
        }

    def test_electricity_above_the_energy_limit_needs_a_justification(self) -> None:
        # 500 GWh / 20,000 t = 25,000 kWh/t, above 2800 kgce/t / 0.1229 kgce/kWh = 22,800
        data = example("yellow-phosphorus", electricity={"amount": 500, "unit": "GWh"})
        warnings = [p for p in check(rule("yellow-phosphorus"), data) if p.severity == "warning"]
        assert [p.field for p in warnings] == ["electricity"]
        assert "25000" in warnings[0].message_en


class TestPhosphateFertilizer:
    """examples/phosphate-fertilizer.yaml: 300,000 t DAP 18-46-0, per 1 t, cradle-to-gate."""

    DAP = 300_000.0  # t
    ACID = 141_000 * 472.7  # t P2O5 x kgCO2e/t P2O5 (phosphoric-acid example): 66,650,700 kg
    AMMONIA = 67_800 * N_PER_NH3 * 6130.67  # 55,761.5 t N: 341,855,533 kg
    ENERGY = 10.5e6 * ELECTRICITY + 90_000 * 110.0 + 4_500 * 2072.0  # 6,065,850 + 9.9e6 + 9,324,000
    RAIL = 20.34e6 * 0.010  # 203,400 kg

    def test_total_and_stages(self, factors: FactorSet) -> None:
        footprint = account(rule("phosphate-fertilizer"), example("phosphate-fertilizer"), factors)
        total = self.ACID + self.AMMONIA + self.ENERGY + self.RAIL  # 433,999,483 kg
        assert footprint.total_kgco2e == pytest.approx(total / self.DAP, rel=EXACT)  # 1,446.7
        assert footprint.by_stage == pytest.approx(
            {
                "raw_material_acquisition": (self.ACID + self.AMMONIA) / self.DAP,  # 1,361.7
                "transport": self.RAIL / self.DAP,  # 0.68
                "production": self.ENERGY / self.DAP,  # 84.3
            },
            rel=EXACT,
        )
        assert "FERT-NH3-MFG" in footprint.provenance.factors

    def test_per_tonne_of_p2o5_is_below_the_national_dap_factor(self, factors: FactorSet) -> None:
        """1,446.7 / 0.46 = 3,144.9 kgCO2e per t P2O5, against 4,066.33 for DAP at the general
        level of Chen et al. (2015): a plant with metered data and its own acid can differ."""
        footprint = account(rule("phosphate-fertilizer"), example("phosphate-fertilizer"), factors)
        per_p2o5 = footprint.total_kgco2e / 0.46
        assert per_p2o5 == pytest.approx(3144.9, rel=1e-4)
        assert per_p2o5 < 4066.33

    def test_one_tonne_of_ammonia(self, factors: FactorSet) -> None:
        """1 t NH3 = 14.007/17.031 = 0.82244 t N x 6,130.67 = 5,042.1 kgCO2e."""
        data = one_tonne(
            "phosphate-fertilizer",
            {
                "product": 1,
                "product_n": 0.18,
                "product_p2o5": 0.46,
                "phosphoric_acid": 0,
                "acid_pcf": 0,
                "ammonia": 1,
                "electricity": 0,
            },
        )
        footprint = account(rule("phosphate-fertilizer"), data, factors)
        assert footprint.total_kgco2e == pytest.approx(N_PER_NH3 * 6130.67, rel=EXACT)

    def test_a_supplier_footprint_replaces_the_national_ammonia_factor(
        self, factors: FactorSet
    ) -> None:
        data = example("phosphate-fertilizer", ammonia_pcf=3000)
        footprint = account(rule("phosphate-fertilizer"), data, factors)
        total = self.ACID + 67_800 * 3000.0 + self.ENERGY + self.RAIL
        assert footprint.total_kgco2e == pytest.approx(total / self.DAP, rel=EXACT)
        assert "FERT-NH3-MFG" not in footprint.provenance.factors

    def test_the_acid_footprint_is_required(self) -> None:
        data = example("phosphate-fertilizer", acid_pcf=None)
        assert errors("phosphate-fertilizer", data) == [("error", "acid_pcf")]

    def test_sulfuric_acid_needs_its_footprint(self) -> None:
        """Sulfuric acid has no default factor here: without its footprint it used to count as
        zero."""
        data = example("phosphate-fertilizer", sulfuric_acid=6000)
        problems = check(rule("phosphate-fertilizer"), data)
        assert [(p.severity, p.field, p.message_en) for p in problems] == [
            (
                "error",
                "sulfuric_acid_pcf",
                "'footprint of the sulfuric acid (supplier)' is required because sulfuric_acid "
                "is given",
            )
        ]


class TestCompoundFertilizer:
    """examples/compound-fertilizer.yaml: 200,000 t NPK 15-15-15, per 1 t, cradle-to-gate."""

    NPK = 200_000.0  # t
    RAW: ClassVar[dict[str, float]] = {
        "urea": 15_000 * 7483.67,  # t N: 112,255,050 kg
        "ammonium chloride": 7_650 * 8140.0,  # t N: 62,271,000
        "MAP": 30_300 * 2713.33,  # t P2O5: 82,213,899
        "KCl": 30_300 * 616.0,  # t K2O: 18,664,800
    }
    # electricity 3,466,200 + steam 5,500,000 + coal 8,288,000 kg
    ENERGY = 6e6 * ELECTRICITY + 50_000 * 110.0 + 4_000 * 2072.0
    TRANSPORT = 27e6 * 0.078 + 90.9e6 * 0.010  # 2,106,000 + 909,000

    def total(self) -> float:
        """The example's footprint per t from the lines written out above: 1,478.4 kg."""
        return (sum(self.RAW.values()) + self.ENERGY + self.TRANSPORT) / self.NPK

    def test_total_and_stages(self, factors: FactorSet) -> None:
        footprint = account(rule("compound-fertilizer"), example("compound-fertilizer"), factors)
        raw = sum(self.RAW.values())  # 275,404,749 kg; with energy and transport 295,673,949
        assert footprint.total_kgco2e == pytest.approx(self.total(), rel=EXACT)
        assert footprint.by_stage == pytest.approx(
            {
                "raw_material_acquisition": raw / self.NPK,  # 1,377.0
                "transport": self.TRANSPORT / self.NPK,  # 15.1
                "production": self.ENERGY / self.NPK,  # 86.3
            },
            rel=EXACT,
        )
        assert {"PHOS-FERT-NH4CL-MFG", "FERT-MAP-MFG"} <= set(footprint.provenance.factors)

    def test_nutrients_of_one_tonne(self, factors: FactorSet) -> None:
        """0.1 t N from urea, 0.1 t P2O5 from SSP, 0.1 t K2O from KCl, 0.01 t NH3:
        748.367 + 71.5 + 61.6 + 0.01 x 0.82244 x 6,130.67 = 881.467 + 50.42 = 931.89 kg."""
        data = one_tonne(
            "compound-fertilizer",
            {
                "product": 1,
                "product_n": 0.11,
                "product_p2o5": 0.10,
                "product_k2o": 0.10,
                "urea_n": 0.1,
                "ssp_p2o5": 0.1,
                "kcl_k2o": 0.1,
                "ammonia": 0.01,
                "electricity": 0,
            },
        )
        footprint = account(rule("compound-fertilizer"), data, factors)
        expected = 748.367 + 71.5 + 61.6 + 0.01 * N_PER_NH3 * 6130.67
        assert footprint.total_kgco2e == pytest.approx(expected, rel=EXACT)

    def test_the_phosphate_fertilizer_result_can_stand_for_the_map(
        self, factors: FactorSet
    ) -> None:
        """A MAP footprint of 1,500 kgCO2e per t of MAP 11-44 is 1,500 / 0.44 = 3,409.1 per t
        P2O5; it replaces the national MAP factor."""
        data = example("compound-fertilizer", map_pcf=1500 / 0.44)
        footprint = account(rule("compound-fertilizer"), data, factors)
        change = 30_300 * (1500 / 0.44 - 2713.33)
        expected = self.total() + change / self.NPK
        assert footprint.total_kgco2e == pytest.approx(expected, rel=EXACT)
        assert "FERT-MAP-MFG" not in footprint.provenance.factors

    def test_a_supplier_footprint_needs_its_nutrient_amount(self) -> None:
        """A DAP footprint but no DAP: the amount was probably left out, which used to count as
        zero DAP."""
        data = example("compound-fertilizer", dap_pcf=3000)
        problems = check(rule("compound-fertilizer"), data)
        assert [(p.severity, p.field, p.message_en) for p in problems] == [
            ("error", "dap_p2o5", "'P2O5 from DAP' is required because dap_pcf is given")
        ]

    def test_without_raw_materials_the_stage_is_missing(self) -> None:
        data = example(
            "compound-fertilizer", urea_n=None, nh4cl_n=None, map_p2o5=None, kcl_k2o=None
        )
        assert errors("compound-fertilizer", data) == [("error", "stages.raw_material_acquisition")]
