"""Worked examples with the arithmetic written out, checked to 1e-9 relative."""

from __future__ import annotations

from pathlib import Path

import pytest

from tanzuji.engine import Footprint, calculate
from tanzuji.errors import FactorNotFound, SingularSystem, UnitMismatch
from tanzuji.factors import FactorSet, bundled_factor_set
from tanzuji.model import ProductModel, load_models
from tests.conftest import line, make_model

EXAMPLE = Path(__file__).parents[2] / "examples" / "green_tea.yaml"
EXACT = 1e-9


@pytest.fixture(scope="module")
def footprint() -> Footprint:
    """The green tea example's footprint, computed once for the module."""
    return calculate(load_models(EXAMPLE), bundled_factor_set()).footprint("gz-green-tea")


class TestGreenTea:
    """examples/green_tea.yaml: 50,000 kg of made tea in 2025, per 1 kg, cradle-to-gate.

    Each line is amount x factor (bundled database, values as published, converted to kg);
    the total is divided by the 50,000 kg made.
    """

    # raw material acquisition (tea garden)
    UREA_MFG = 13.8 * 7483.67  # t N x kgCO2e/t N (2.041 tCE/t N x 44/12) = 103,274.646
    N_MFG = 9.0 * 7758.67  # t N x kgCO2e/t N (2.116 tCE/t N x 44/12) = 69,828.03
    P_MFG = 4.5 * 2332.0  # t P2O5 x kgCO2e/t P2O5 = 10,494
    K_MFG = 4.5 * 660.0  # t K2O x kgCO2e/t K2O = 2,970
    N2O_KG = 22800 * 0.0157143  # kg N x kg N2O/kg N (0.01 N2O-N x 44/28) = 358.28604
    N2O = N2O_KG * 273.0  # AR6 GWP100 of N2O = 97,812.08892
    UREA_CO2 = 30.0 * 733.0  # t urea x kgCO2/t = 21,990
    DIESEL = 2.4 * 3145.0  # t diesel x kgCO2/t = 7,548
    # raw material transport
    LEAF_HAUL = 2700 * 0.179  # t*km x kgCO2e/t*km (8 t truck) = 483.3
    FERT_HAUL = 9900 * 0.129  # t*km (18 t truck) = 1,277.1
    PACK_HAUL = 2460 * 0.129  # t*km (18 t truck) = 317.34
    # production
    ELECTRICITY = 240000 * 0.5777  # kWh x 2024 life-cycle factor for China = 138,648
    GAS = 21000 * 2.162  # Nm3 x kgCO2/Nm3 = 45,402
    LDPE = 1.6 * 2810.0  # t x kgCO2e/t = 4,496
    CARTON = 6.5 * 326.0  # t x kgCO2e/t = 2,119
    MADE = 50000.0  # kg of tea

    RAW = UREA_MFG + N_MFG + P_MFG + K_MFG + N2O + UREA_CO2 + DIESEL  # 313,916.76492
    TRANSPORT = LEAF_HAUL + FERT_HAUL + PACK_HAUL  # 2,077.74
    PRODUCTION = ELECTRICITY + GAS + LDPE + CARTON  # 190,665
    TOTAL = (RAW + TRANSPORT + PRODUCTION) / MADE  # 506,659.50492 / 50,000 = 10.1331900984

    def test_total(self, footprint: Footprint) -> None:
        assert round(self.TOTAL, 10) == 10.1331900984
        assert footprint.total_kgco2e == pytest.approx(self.TOTAL, rel=EXACT)
        assert footprint.fossil_kgco2e == pytest.approx(self.TOTAL, rel=EXACT)

    def test_stages(self, footprint: Footprint) -> None:
        assert footprint.by_stage == pytest.approx(
            {
                "raw_material_acquisition": self.RAW / self.MADE,
                "transport": self.TRANSPORT / self.MADE,
                "production": self.PRODUCTION / self.MADE,
            },
            rel=EXACT,
        )

    def test_gases(self, footprint: Footprint) -> None:
        co2e = (
            self.UREA_MFG
            + self.N_MFG
            + self.P_MFG
            + self.K_MFG
            + self.TRANSPORT
            + self.ELECTRICITY
            + self.LDPE
            + self.CARTON
        )  # factors published as CO2e only
        co2 = self.UREA_CO2 + self.DIESEL + self.GAS
        assert footprint.by_gas["CO2e"].kgco2e == pytest.approx(co2e / self.MADE, rel=EXACT)
        assert footprint.by_gas["CO2"].kg == pytest.approx(co2 / self.MADE, rel=EXACT)
        assert footprint.by_gas["N2O"].kg == pytest.approx(self.N2O_KG / self.MADE, rel=EXACT)
        assert footprint.by_gas["N2O"].kgco2e == pytest.approx(self.N2O / self.MADE, rel=EXACT)

    def test_hot_spots_are_ranked(self, footprint: Footprint) -> None:
        names = [c.name for c in footprint.hotspots[:3]]
        assert names[0].startswith("加工用电")  # 138,648 kg: the largest line
        assert footprint.hotspots[0].kgco2e == pytest.approx(self.ELECTRICITY / self.MADE)

    def test_cut_off_share(self, footprint: Footprint) -> None:
        (gasoline,) = footprint.cut_off
        left_out = 0.150 * 3043.0 / self.MADE  # t gasoline x kgCO2/t = 456.45 kg
        assert gasoline.kgco2e == pytest.approx(left_out, rel=EXACT)
        assert gasoline.share == pytest.approx(left_out / (self.TOTAL + left_out), rel=EXACT)

    def test_provenance(self, footprint: Footprint) -> None:
        assert footprint.provenance.factor_set == "CN-2026.1"
        assert "ELEC-LCA-CN-2024" in footprint.provenance.factors
        assert "FUEL-GASOLINE" not in footprint.provenance.factors  # cut off
        assert any("fell back to CN" in f for f in footprint.provenance.fallbacks)

    def test_primary_share(self, footprint: Footprint) -> None:
        # everything but the three transport lines is primary data
        assert footprint.primary_data_share == pytest.approx(
            1 - self.TRANSPORT / (self.TOTAL * self.MADE), rel=EXACT
        )

    def test_ar5(self) -> None:
        results = calculate(load_models(EXAMPLE), bundled_factor_set(), "AR5")
        # only N2O is characterized by the set: 273 -> 265
        expected = self.TOTAL - self.N2O_KG * (273.0 - 265.0) / self.MADE
        assert results.total_of("gz-green-tea") == pytest.approx(expected, rel=EXACT)


class TestSupplyChain:
    """Tea (1 kg) made from fresh leaf bought from a cooperative, which uses diesel."""

    def test_two_levels(self, factor_set: FactorSet) -> None:
        leaf = make_model(
            "leaf",
            reference_output={"amount": 200, "unit": "t"},
            stages={"raw_material_acquisition": [line("diesel", 2, "t", factor="F-DIESEL")]},
        )
        tea = make_model(
            "tea",
            reference_output={"amount": 40, "unit": "t"},
            stages={
                "raw_material_acquisition": [line("leaf", 180, "t", product="leaf")],
                "production": [line("power", 200_000, "kWh", factor="F-ELEC")],
            },
        )
        # leaf: 2 t diesel x (3,000 kg CO2 + 0.1 kg N2O x 273) = 6,054.6 kg per 200,000 kg
        leaf_per_kg = 2 * (3000 + 0.1 * 273) / 200_000  # 0.030273
        # tea: 180,000 kg leaf x 0.030273 + 200,000 kWh x 0.5 = 5,449.14 + 100,000 per 40,000 kg
        tea_per_kg = (180_000 * leaf_per_kg + 200_000 * 0.5) / 40_000  # 2.6362285
        results = calculate([tea, leaf], factor_set)
        assert results.total_of("leaf") == pytest.approx(leaf_per_kg, rel=EXACT)
        assert results.total_of("tea") == pytest.approx(tea_per_kg, rel=EXACT)
        footprint = results.footprint("tea")
        assert footprint.by_stage["raw_material_acquisition"] == pytest.approx(
            180_000 * leaf_per_kg / 40_000, rel=EXACT
        )
        assert [(c.product, c.kgco2e) for c in footprint.upstream] == [
            ("tea", pytest.approx(2.5)),
            ("leaf", pytest.approx(180_000 * leaf_per_kg / 40_000)),
        ]


class TestCycle:
    """Power uses coal and coal mining uses power: f_p = b_p + a f_c, f_c = b_c + c f_p.

    Closed form: f_p = (b_p + a b_c) / (1 - a c), f_c = b_c + c f_p.
    """

    B_POWER = 100 * (3000 + 0.1 * 273) / 1e9  # 100 t fuel oil x 3,027.3 kg CO2e/t per 1e9 kWh
    B_COAL = 50 * (3000 + 0.1 * 273) / 1e8  # 50 t diesel x 3,027.3 kg CO2e/t per 1e8 kg coal

    def models(self, a: float, c: float) -> list[ProductModel]:
        power = make_model(
            "power",
            declared_unit="1 kWh",
            reference_output={"amount": 1e9, "unit": "kWh"},
            stages={
                "raw_material_acquisition": [line("coal", a * 1e9, "kg", product="coal")],
                # stack emissions given as diesel-equivalent only for arithmetic: 0.1 t per 1e6 kWh
                "production": [line("fuel oil", 100, "t", factor="F-DIESEL")],
            },
        )
        coal = make_model(
            "coal",
            reference_output={"amount": 1e8, "unit": "kg"},
            stages={
                "production": [
                    line("power", c * 1e8, "kWh", product="power"),
                    line("diesel", 50, "t", factor="F-DIESEL"),
                ]
            },
        )
        return [power, coal]

    def test_closed_form(self, factor_set: FactorSet) -> None:
        a, c = 0.4, 0.05  # kg coal per kWh, kWh per kg coal
        b_p, b_c = self.B_POWER, self.B_COAL
        f_p = (b_p + a * b_c) / (1 - a * c)
        f_c = b_c + c * f_p
        results = calculate(self.models(a, c), factor_set)
        assert results.total_of("power") == pytest.approx(f_p, rel=EXACT)
        assert results.total_of("coal") == pytest.approx(f_c, rel=EXACT)

    def test_loop_without_a_solution(self, factor_set: FactorSet) -> None:
        with pytest.raises(SingularSystem, match="products coal, power consume each other") as e:
            calculate(self.models(10.0, 0.2), factor_set)  # 10 x 0.2 = 2 units per unit
        assert e.value.products == ["coal", "power"]

    @pytest.mark.parametrize("method", ["direct", "iterative"])
    def test_both_solvers_agree(self, factor_set: FactorSet, method: str) -> None:
        results = calculate(self.models(0.4, 0.05), factor_set, solver=method)
        assert results.solver.method == method
        # f_p = (b_p + a b_c) / (1 - a c) with a = 0.4, c = 0.05
        expected = (self.B_POWER + 0.4 * self.B_COAL) / (1 - 0.4 * 0.05)
        assert results.total_of("power") == pytest.approx(expected, rel=EXACT)


class TestAllocation:
    def test_coke_and_tar_share_by_mass(self, factor_set: FactorSet) -> None:
        plant = make_model(
            "coke",
            declared_unit="1 t coke",
            reference_output={"amount": 1000, "unit": "t"},
            co_products=[{"id": "tar", "name": "coal tar", "amount": 40, "unit": "t"}],
            allocation={"method": "mass"},
            stages={"production": [line("power", 52_000, "kWh", factor="F-ELEC")]},
        )
        results = calculate([plant], factor_set)
        burden = 52_000 * 0.5  # 26,000 kg CO2
        assert results.total_of("coke") == pytest.approx(burden * 1000 / 1040 / 1000, rel=EXACT)
        # a co-product is per one unit of its amount: per t of tar
        assert results.total_of("tar") == pytest.approx(burden * 40 / 1040 / 40, rel=EXACT)
        assert results.footprint("tar").declared_unit == "1 t coal tar"
        assert results.footprint("coke").allocation_factor == pytest.approx(1000 / 1040)


class TestBiogenic:
    def test_biogenic_is_counted_and_reported_apart(self, factor_set: FactorSet) -> None:
        model = make_model(
            stages={
                "production": [
                    line("wood", 100, "kg", factor="F-WOOD"),
                    line("power", 100, "kWh", factor="F-ELEC"),
                ]
            }
        )
        footprint = calculate([model], factor_set).footprint("widget")
        biogenic = 100 * (1.6 + 0.01 * 27.0) / 1000  # non-fossil CH4: 27.0
        fossil = 100 * 0.5 / 1000
        assert footprint.biogenic_kgco2e == pytest.approx(biogenic, rel=EXACT)
        assert footprint.fossil_kgco2e == pytest.approx(fossil, rel=EXACT)
        assert footprint.total_kgco2e == pytest.approx(biogenic + fossil, rel=EXACT)


class TestBadInput:
    def test_unit_mismatch_names_the_line(self, factor_set: FactorSet) -> None:
        model = make_model(stages={"production": [line("power", 5, "kg", factor="F-ELEC")]})
        with pytest.raises(
            UnitMismatch, match="cannot convert kg to kWh on line 'power' of widget"
        ):
            calculate([model], factor_set)

    def test_missing_factor(self, factor_set: FactorSet) -> None:
        model = make_model(stages={"production": [line("steam", 5, "t", factor="F-STEAM")]})
        with pytest.raises(FactorNotFound, match="no factor 'F-STEAM' in factor set test-1"):
            calculate([model], factor_set)

    def test_activity_without_factor_anywhere(self, factor_set: FactorSet) -> None:
        model = make_model(stages={"production": [line("heat", 5, "GJ", activity="heat.steam")]})
        with pytest.raises(
            FactorNotFound, match=r"no factor for activity 'heat.steam' valid in 2025"
        ):
            calculate([model], factor_set)


def test_the_same_data_split_between_two_enterprises_gives_the_same_footprint() -> None:
    """examples/tea_supply_chain holds the green tea data as two models: the cooperative's
    fresh leaf (garden lines, fertilizer transport) and the plant that buys 225 t of it.

    225,000 kg leaf x (garden + fertilizer transport) / 225,000 kg = the same burden per year,
    so the tea's total is unchanged; fertilizer transport moves from the plant's transport
    stage into its raw material acquisition (it is inside the leaf's footprint).
    """
    chain = Path(__file__).parents[2] / "examples" / "tea_supply_chain" / "green_tea_plant.yaml"
    plant = calculate(load_models(chain), bundled_factor_set()).footprint("gz-green-tea-plant")
    single = TestGreenTea
    assert plant.total_kgco2e == pytest.approx(single.TOTAL, rel=EXACT)
    assert plant.by_stage["transport"] == pytest.approx(
        (single.LEAF_HAUL + single.PACK_HAUL) / single.MADE, rel=EXACT
    )
    assert [c.product for c in plant.upstream] == ["coop-fresh-leaf", "gz-green-tea-plant"]


class TestProcessEmission:
    def test_a_gas_the_process_releases_itself(self, factor_set: FactorSet) -> None:
        # 1,000 t clinker: 507 t CO2 from calcination (computed by the plant) + 60,000 kWh
        kiln = make_model(
            "clinker",
            declared_unit="1 t clinker",
            reference_output={"amount": 1000, "unit": "t"},
            stages={
                "production": [
                    line("calcination", 507, "t", emission="CO2"),
                    line("power", 60_000, "kWh", factor="F-ELEC"),
                ]
            },
        )
        footprint = calculate([kiln], factor_set).footprint("clinker")
        assert footprint.total_kgco2e == pytest.approx((507_000 + 30_000) / 1000, rel=EXACT)
        assert "DIRECT-CO2" in footprint.provenance.factors

    def test_an_emission_is_a_mass(self) -> None:
        with pytest.raises(ValueError, match="give its amount as a mass"):
            make_model(stages={"production": [line("seam gas", 5, "m3", emission="CH4")]})

    def test_a_footprint_the_supplier_reported(self, factor_set: FactorSet) -> None:
        # 1,000 t washed coal from 1,600 t raw coal at the mine's own footprint, 95 kgCO2e/t:
        # 1,600 x 95 = 152,000 kgCO2e, given in CO2 equivalents (not a mass of gas)
        washery = make_model(
            "washed-coal",
            declared_unit="1 t",
            reference_output={"amount": 1000, "unit": "t"},
            stages={"production": [line("raw coal", 152, "tCO2e", emission="CO2e")]},
        )
        footprint = calculate([washery], factor_set).footprint("washed-coal")
        assert footprint.total_kgco2e == pytest.approx(152_000 / 1000, rel=EXACT)
        assert "DIRECT-CO2e-SUPPLIED" in footprint.provenance.factors
        assert footprint.data_quality_rating == 2.0  # a supplier's figure, unchecked

    def test_only_co2e_may_be_given_in_co2_equivalents(self) -> None:
        with pytest.raises(ValueError, match="give its amount as a mass"):
            make_model(stages={"production": [line("seam gas", 5, "tCO2e", emission="CH4")]})
