"""Each shipped rule's example, with the arithmetic written out."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest

from tanzuji.engine import calculate
from tanzuji.factors import bundled_factor_set
from tanzuji.rules import ActivityData, account, build, check, find_rule, load_activity_data

EXAMPLES = Path(__file__).parents[2] / "examples"
EXACT = 1e-9


class TestCement:
    """examples/cement.yaml: 1,000,000 t cement in 2025, per 1 t, cradle-to-gate."""

    CEMENT = 1_000_000.0  # t
    # calcination: clinker x (CaO x 44.01/56.08 + MgO x 44.01/40.30), in t CO2
    # = 780,000 x (0.655 x 0.7847718 + 0.020 x 1.0920596) = 780,000 x 0.5358667 = 417,976 t
    CALCINATION = 780_000 * (0.655 * 44.01 / 56.08 + 0.020 * 44.01 / 40.30) * 1000  # kg
    COAL = 110_000 * 2072.0  # t x kgCO2/t (bituminous, guideline default) = 227,920,000
    ELECTRICITY = 85e6 * 0.5777  # kWh x life-cycle factor for China 2024 = 49,104,500
    DIESEL = 300 * 3145.0  # t x kgCO2/t = 943,500
    TRANSPORT = 30e6 * 0.078  # t*km x kgCO2e/t*km (30 t truck) = 2,340,000
    TOTAL = (CALCINATION + COAL + ELECTRICITY + DIESEL + TRANSPORT) / CEMENT  # 698.28 kg/t

    def test_total_and_stages(self) -> None:
        footprint = account(
            find_rule("cement"), load_activity_data(EXAMPLES / "cement.yaml"), bundled_factor_set()
        )
        assert footprint.total_kgco2e == pytest.approx(self.TOTAL, rel=EXACT)
        assert footprint.by_stage == pytest.approx(
            {
                "raw_material_acquisition": self.DIESEL / self.CEMENT,
                "transport": self.TRANSPORT / self.CEMENT,
                "production": (self.CALCINATION + self.COAL + self.ELECTRICITY) / self.CEMENT,
            },
            rel=EXACT,
        )
        assert footprint.provenance.rule == "cement@2026.1"
        assert "DIRECT-CO2" in footprint.provenance.factors

    def test_calcination_of_one_tonne_of_clinker(self) -> None:
        """1 t clinker with 65 % CaO and 2 % MgO: 0.65 x 44.01/56.08 + 0.02 x 44.01/40.30
        = 0.510102 + 0.021841 = 0.531943 t CO2."""
        data = ActivityData.model_validate(
            {
                "rule": "cement",
                "product": "one",
                "name_zh": "一吨",
                "name_en": "one tonne",
                "geography": "CN-GZ",
                "reference_period": {"start": "2025-01-01", "end": "2025-12-31"},
                # every required stage is covered, by amounts stated as zero where needed
                "inputs": {
                    "cement": 1,
                    "clinker": 1,
                    "cao_content": 0.65,
                    "mgo_content": 0.02,
                    "kiln_coal": 0,
                    "electricity": 0,
                    "quarry_diesel": 0,
                    "raw_material_transport": 0,
                },
            }
        )
        footprint = account(find_rule("cement"), data, bundled_factor_set())
        assert footprint.total_kgco2e == pytest.approx(531.943, rel=1e-5)

    def test_without_measured_contents_the_default_factor_applies(self) -> None:
        raw = load_activity_data(EXAMPLES / "cement.yaml")
        inputs = {k: v for k, v in raw.inputs.items() if k not in ("cao_content", "mgo_content")}
        footprint = account(
            find_rule("cement"), raw.model_copy(update={"inputs": inputs}), bundled_factor_set()
        )
        default = 780_000 * 507.0  # t clinker x kgCO2/t (IPCC GPG 2000, 64.6 % CaO)
        expected = self.TOTAL - (self.CALCINATION - default) / self.CEMENT
        assert footprint.total_kgco2e == pytest.approx(expected, rel=EXACT)
        assert "CLINKER-PROC-IPCC" in footprint.provenance.factors
        assert "DIRECT-CO2" not in footprint.provenance.factors


def test_green_tea_example_matches_the_hand_built_model() -> None:
    footprint = account(
        find_rule("tea-green"),
        load_activity_data(EXAMPLES / "tea-green.yaml"),
        bundled_factor_set(),
    )
    assert footprint.total_kgco2e == pytest.approx(10.1331900984, rel=EXACT)


class TestRawCoal:
    """examples/coal-raw.yaml: 1.2 Mt raw coal from a high-gas underground mine, per 1 t."""

    COAL = 1_200_000.0  # t
    # methane released: (12e6 drained + 10e6 ventilation - 5e6 used) m3 x 0.67 kg/m3
    CH4 = (12e6 + 10e6 - 5e6) * 0.67  # = 11,390,000 kg CH4, x 29.8 (AR6 fossil)
    METHANE = CH4 * 29.8  # = 339,422,000 kg CO2e
    BURNED = 5e6 * 0.67 * 44.01 / 16.04  # CO2 from the methane burned: 9,191,677 kg
    ELECTRICITY = 36e6 * 0.5777  # kWh x life-cycle factor: 20,797,200 kg
    DIESEL = 600 * 3145.0  # t x kgCO2/t: 1,887,000 kg
    TOTAL = (METHANE + BURNED + ELECTRICITY + DIESEL) / COAL  # 309.41 kg CO2e/t

    def test_total_and_gases(self) -> None:
        footprint = account(
            find_rule("coal-raw"),
            load_activity_data(EXAMPLES / "coal-raw.yaml"),
            bundled_factor_set(),
        )
        assert footprint.total_kgco2e == pytest.approx(self.TOTAL, rel=EXACT)
        assert footprint.by_gas["CH4"].kg == pytest.approx(self.CH4 / self.COAL, rel=EXACT)
        assert footprint.by_gas["CO2"].kg == pytest.approx(
            (self.BURNED + self.DIESEL) / self.COAL, rel=EXACT
        )

    def test_more_methane_used_than_measured_is_an_error(self) -> None:
        raw = load_activity_data(EXAMPLES / "coal-raw.yaml")
        data = raw.model_copy(update={"inputs": {**raw.inputs, "used_on_site_ch4": 30e6}})
        problems = check(find_rule("coal-raw"), data)
        assert [(p.severity, p.field) for p in problems] == [("error", "mine_methane")]
        assert "cannot be negative" in problems[0].message_en


def test_generic_rule_example() -> None:
    """examples/generic.yaml: 200 t of brackets a year, per 1 kg.

    steel 180 t x 2,050 + HDPE 25 t x 2,620 + 150,000 kWh x 0.5777 + 41,000 t*km x 0.129
    + 4 t carton x 326 = 369,000 + 65,500 + 86,655 + 5,289 + 1,304 = 527,748 kg / 200,000 kg
    """
    footprint = account(
        find_rule("generic"), load_activity_data(EXAMPLES / "generic.yaml"), bundled_factor_set()
    )
    assert footprint.total_kgco2e == pytest.approx(527_748 / 200_000, rel=EXACT)


class TestCoke:
    """examples/coke.yaml: 1 Mt coke a year, cradle-to-gate (coke@2026.2), per 1 t; three
    co-products."""

    COKE = 1_000_000.0  # t
    # carbon in: 1,330,000 t coal x 0.78 = 1,037,400 t C
    # carbon out: coke 840,000 + gas 200e6 Nm3 x 0.21 kg/Nm3 = 42,000 + tar 36,000
    #   + benzene 11,040 = 929,040 t C; difference 108,360 t C x 44.01/12.011 t CO2
    PROCESS = (
        (1_330_000 * 0.78 - 1e6 * 0.84 - 200e6 * 0.21 / 1000 - 40_000 * 0.90 - 12_000 * 0.92)
        * 44.01
        / 12.011
        * 1000
    )  # kg CO2: 397,043,000
    ELECTRICITY = 40e6 * 0.5777  # kWh x life-cycle factor: 23,108,000 kg
    COAL = 1_330_000 * 463.2  # t x kgCO2e/t the washery reports: 616,056,000 kg
    RAIL = 199.5e6 * 0.010  # t*km x kgCO2e/t*km (rail): 1,995,000 kg
    ROAD = 26.6e6 * 0.057  # t*km x kgCO2e/t*km (46 t truck): 1,516,200 kg
    # revenue: coke 2.0e9, gas 0.16e9, tar 0.12e9, benzene 0.06e9 CNY; coke's share 2/2.34
    REVENUE: ClassVar[dict[str, float]] = {
        "coke": 1e6 * 2000,
        "gas": 200e6 * 0.8,
        "tar": 40_000 * 3000.0,
        "benzene": 12_000 * 5000.0,
    }
    SHARE = 2.0e9 / 2.34e9

    def test_coke_and_its_co_products(self) -> None:
        rule, data = find_rule("coke"), load_activity_data(EXAMPLES / "coke.yaml")
        footprint = account(rule, data, bundled_factor_set())
        whole = self.PROCESS + self.ELECTRICITY + self.COAL + self.RAIL + self.ROAD
        assert footprint.allocation_factor == pytest.approx(self.SHARE, rel=EXACT)
        # 0.8547009 x 1,039,718,200 kg / 1,000,000 t = 888.6480 kgCO2e/t
        assert footprint.total_kgco2e == pytest.approx(self.SHARE * whole / self.COKE, rel=EXACT)
        assert footprint.by_stage == pytest.approx(
            {
                "raw_material_acquisition": self.SHARE * self.COAL / self.COKE,
                "transport": self.SHARE * (self.RAIL + self.ROAD) / self.COKE,
                "production": self.SHARE * (self.PROCESS + self.ELECTRICITY) / self.COKE,
            },
            rel=EXACT,
        )
        assert footprint.boundary == "cradle-to-gate"
        assert footprint.provenance.rule == "coke@2026.2"
        gas = calculate([build(rule, data)], bundled_factor_set()).total_of("gz-coke/coke-oven-gas")
        gas_share = self.REVENUE["gas"] / sum(self.REVENUE.values())
        assert gas == pytest.approx(gas_share * whole / 200e6, rel=EXACT)  # per Nm3

    def test_cradle_to_gate_needs_the_coals_footprint(self) -> None:
        raw = load_activity_data(EXAMPLES / "coke.yaml")
        inputs = {k: v for k, v in raw.inputs.items() if k != "coal_pcf"}
        problems = check(find_rule("coke"), raw.model_copy(update={"inputs": inputs}))
        assert {(p.severity, p.field) for p in problems} == {
            ("error", "stages.raw_material_acquisition")
        }

    def test_a_co_product_that_was_not_made(self) -> None:
        raw = load_activity_data(EXAMPLES / "coke.yaml")
        data = raw.model_copy(update={"inputs": {**raw.inputs, "crude_benzene": 0}})
        problems = {(p.severity, p.field) for p in check(find_rule("coke"), data)}
        assert ("error", "crude_benzene") in problems


def test_herb_example() -> None:
    """examples/herb.yaml: 40 t of dried root, per 1 kg; urea 6 t is 2.76 t N."""
    n_applied = 6000 * 0.46 + 3600  # kg N: urea N + compound N = 6,360
    lines = {
        "urea manufacture": 2.76 * 7483.67,  # t N x kgCO2e/t N
        "compound N": 3.6 * 7758.67,
        "compound P2O5": 3.6 * 2332.0,
        "compound K2O": 3.6 * 660.0,
        "soil N2O": n_applied * 0.0157143 * 273.0,  # kg N x kg N2O/kg N x GWP
        "urea CO2": 6.0 * 733.0,
        "field diesel": 1.5 * 3145.0,
        "harvest transport": 3200 * 0.179,
        "drying electricity": 48_000 * 0.5777,
        "drying coal": 60.0 * 2072.0,
        "LDPE": 0.8 * 2810.0,
        "cartons": 2.4 * 326.0,
    }
    footprint = account(
        find_rule("herb"), load_activity_data(EXAMPLES / "herb.yaml"), bundled_factor_set()
    )
    assert footprint.total_kgco2e == pytest.approx(sum(lines.values()) / 40_000, rel=EXACT)


def test_other_tea_example() -> None:
    """examples/tea-other.yaml: 20 t of black tea, per 1 kg."""
    lines = (
        12_000 * 0.46 / 1000 * 7483.67  # urea N
        + 3.6 * 7758.67 + 1.8 * 2332.0 + 1.8 * 660.0  # compound N, P2O5, K2O
        + (12_000 * 0.46 + 3600) * 0.0157143 * 273.0  # soil N2O
        + 12.0 * 733.0 + 0.9 * 3145.0  # urea CO2, garden diesel
        + 1080 * 0.179  # leaf transport
        + 130_000 * 0.5777 + 8000 * 2.162  # electricity, natural gas
        + 0.64 * 2810.0 + 2.6 * 326.0  # packaging
    )  # fmt: skip
    footprint = account(
        find_rule("tea-other"),
        load_activity_data(EXAMPLES / "tea-other.yaml"),
        bundled_factor_set(),
    )
    assert footprint.total_kgco2e == pytest.approx(lines / 20_000, rel=EXACT)
