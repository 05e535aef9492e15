"""The baijiu rule: its example with the arithmetic written out, and each formula by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tanzuji.factors import bundled_factor_set
from tanzuji.rules import ActivityData, account, check, find_rule, load_activity_data

EXAMPLES = Path(__file__).parents[2] / "examples"
EXACT = 1e-9

# fermentation: C6H12O6 -> 2 C2H5OH + 2 CO2, so 44.01 kg CO2 per 46.07 kg ethanol, and one litre
# of pure alcohol weighs 0.7893 kg at 20 °C: 0.7893 x 44.01 / 46.07 = 0.754012 kg CO2 per litre
CO2_PER_LITRE_OF_ALCOHOL = 0.7893 * 44.01 / 46.07
CH4_NON_FOSSIL_GWP = 27.0  # IPCC AR6, kgCO2e per kg of biogenic methane


def one_litre(**changes: Any) -> ActivityData:
    """1,000 L of a 50 %vol liquor sold in bulk (no bottles) that took half of the 1,000 L of
    pure alcohol distilled.

    Every required input and stage is given, with amounts of zero where a test needs none.
    """
    inputs: dict[str, Any] = {
        "baijiu": 1000,
        "abv": 0.5,
        "base_alcohol_made": 1000,
        "base_alcohol_used": 500,
        "sorghum": 10,
        "sorghum_pcf": 500,
        "wheat": 10,
        "wheat_pcf": 400,
        "grain_road_transport": 0,
        "brewing_electricity": 0,
    }
    inputs.update(changes)
    return ActivityData.model_validate(
        {
            "rule": "baijiu",
            "product": "round",
            "name_zh": "整数示例",
            "name_en": "round numbers",
            "geography": "CN-GZ",
            "reference_period": {"start": "2025-01-01", "end": "2025-12-31"},
            "inputs": {name: value for name, value in inputs.items() if value is not None},
        }
    )


class TestExample:
    """examples/baijiu.yaml: 1.5 million L of a 53 %vol sauce-aroma baijiu in 2025, per 1 L.

    The distillery distilled 1,100,000 L of pure alcohol; this product holds 830,000 L of it
    (as stored), so it carries 830,000 / 1,100,000 = 0.754545 of every brewing burden.
    """

    BOTTLED = 1_500_000.0  # L
    SHARE = 830_000 / 1_100_000
    # raw material acquisition
    SORGHUM = 10_000 * 650.0 * SHARE  # t x kgCO2e/t (growers' figure) = 4,904,545 kg
    WHEAT = 10_500_000 * 0.7 * SHARE  # kg x 0.7 kgCO2e/kg (Zhang et al. 2018) = 5,545,909 kg
    # transport
    GRAIN_ROAD = 2_375_000 * 0.129 * SHARE  # t*km x 18 t truck = 231,174 kg
    GRAIN_RAIL = 14_700_000 * 0.010 * SHARE  # t*km x rail = 110,918 kg
    PACKAGING_TRANSPORT = 735_000 * 0.129  # t*km, not shared: this product's packaging = 94,815 kg
    # production, fossil
    GAS = 4_500_000 * 2.162 * SHARE  # Nm3 x kgCO2/Nm3 = 7,340,973 kg
    BREWING_ELECTRICITY = 8_000_000 * 0.5777 * SHARE  # kWh x life-cycle factor = 3,487,207 kg
    DIESEL = 150 * 3145.0 * SHARE  # t x kgCO2/t = 355,957 kg
    BOTTLING_ELECTRICITY = 1_200_000 * 0.5777  # kWh = 693,240 kg
    BOTTLES = 1_650_000 * 1.2  # kg glass x the bottle maker's 1.2 kgCO2e/kg = 1,980,000 kg
    CARTONS = 750 * 326.0  # t x kgCO2/t (European proxy) = 244,500 kg
    CLOSURES = 30 * 28_500.0  # t x kgCO2e/t aluminium sheet = 855,000 kg
    FILM = 15 * 2810.0  # t x kgCO2e/t LDPE = 42,150 kg
    # production, biogenic
    FERMENTATION = 830_000 * CO2_PER_LITRE_OF_ALCOHOL  # kg CO2 = 625,826 kg
    # (1,200,000 kg COD x 0.25 x 0.8 - 210,000 kg recovered) x share = 22,636 kg CH4
    METHANE = (1_200_000 * 0.25 * 0.8 - 210_000) * SHARE
    BIOGAS = 210_000 * 44.01 / 16.04 * SHARE  # CO2 from the recovered methane = 434,762 kg

    RAW = SORGHUM + WHEAT
    TRANSPORT = GRAIN_ROAD + GRAIN_RAIL + PACKAGING_TRANSPORT
    FOSSIL_PRODUCTION = sum(
        (GAS, BREWING_ELECTRICITY, DIESEL, BOTTLING_ELECTRICITY, BOTTLES, CARTONS, CLOSURES, FILM)
    )
    BIOGENIC = FERMENTATION + METHANE * CH4_NON_FOSSIL_GWP + BIOGAS
    TOTAL = (RAW + TRANSPORT + FOSSIL_PRODUCTION + BIOGENIC) / BOTTLED  # 18.372 kgCO2e per L

    def test_total_stages_and_origins(self) -> None:
        footprint = account(
            find_rule("baijiu"), load_activity_data(EXAMPLES / "baijiu.yaml"), bundled_factor_set()
        )
        assert footprint.total_kgco2e == pytest.approx(self.TOTAL, rel=EXACT)
        assert footprint.by_stage == pytest.approx(
            {
                "raw_material_acquisition": self.RAW / self.BOTTLED,
                "transport": self.TRANSPORT / self.BOTTLED,
                "production": (self.FOSSIL_PRODUCTION + self.BIOGENIC) / self.BOTTLED,
            },
            rel=EXACT,
        )
        assert footprint.biogenic_kgco2e == pytest.approx(self.BIOGENIC / self.BOTTLED, rel=EXACT)
        assert footprint.fossil_kgco2e == pytest.approx(
            self.TOTAL - self.BIOGENIC / self.BOTTLED, rel=EXACT
        )
        assert footprint.by_gas["CH4-biogenic"].kg == pytest.approx(
            self.METHANE / self.BOTTLED, rel=EXACT
        )
        assert footprint.provenance.rule == "baijiu@2026.1"
        assert "AGR-WHEAT-GRAIN-CN" in footprint.provenance.factors

    def test_a_500_ml_bottle_is_half_a_litre(self) -> None:
        """The declared unit is 1 L; one 500 mL bottle of this product carries half of it."""
        footprint = account(
            find_rule("baijiu"), load_activity_data(EXAMPLES / "baijiu.yaml"), bundled_factor_set()
        )
        assert footprint.total_kgco2e * 0.5 == pytest.approx(9.186, rel=1e-3)


class TestFormulas:
    def test_brewing_is_shared_by_pure_alcohol(self) -> None:
        """Half of the alcohol distilled went into this product, so it carries half of the grain:
        (10 t x 500 + 10 t x 400 kgCO2e/t) x 500 / 1,000 = 4,500 kgCO2e, plus the fermentation CO2
        of its 500 L of alcohol, 500 x 0.754012 = 377.006 kg; over 1,000 L."""
        footprint = account(find_rule("baijiu"), one_litre(), bundled_factor_set())
        fermentation = 500 * CO2_PER_LITRE_OF_ALCOHOL
        assert footprint.total_kgco2e == pytest.approx((4500 + fermentation) / 1000, rel=EXACT)
        assert footprint.biogenic_kgco2e == pytest.approx(fermentation / 1000, rel=EXACT)
        assert footprint.fossil_kgco2e == pytest.approx(4.5, rel=EXACT)

    def test_a_product_that_took_all_the_alcohol_carries_all_the_grain(self) -> None:
        footprint = account(
            find_rule("baijiu"), one_litre(base_alcohol_used=1000), bundled_factor_set()
        )
        assert footprint.fossil_kgco2e == pytest.approx(9.0, rel=EXACT)

    def test_without_the_suppliers_figure_wheat_takes_the_national_value(self) -> None:
        """10 t wheat x 0.7 kgCO2e/kg x 0.5 = 3,500 kgCO2e instead of 10 t x 400 x 0.5 = 2,000."""
        footprint = account(find_rule("baijiu"), one_litre(wheat_pcf=None), bundled_factor_set())
        assert footprint.fossil_kgco2e == pytest.approx((2500 + 3500) / 1000, rel=EXACT)
        assert "AGR-WHEAT-GRAIN-CN" in footprint.provenance.factors

    def test_bought_daqu_takes_its_makers_footprint(self) -> None:
        """4 t of daqu at 1,000 kgCO2e/t, half of it this product's: 2,000 kgCO2e more."""
        footprint = account(
            find_rule("baijiu"), one_litre(purchased_daqu=4, daqu_pcf=1000), bundled_factor_set()
        )
        assert footprint.fossil_kgco2e == pytest.approx((4500 + 2000) / 1000, rel=EXACT)

    def test_bottles_take_their_makers_footprint_without_sharing(self) -> None:
        """600 kg of glass at 1.2 kgCO2e/kg belongs to this product alone: 720 kgCO2e more."""
        footprint = account(
            find_rule("baijiu"), one_litre(bottles=600, bottle_pcf=1.2), bundled_factor_set()
        )
        assert footprint.fossil_kgco2e == pytest.approx((4500 + 720) / 1000, rel=EXACT)

    def test_measured_fermentation_co2_replaces_the_stoichiometric_value(self) -> None:
        """2,000 kg CO2 measured for the distillery, half of it this product's: 1,000 kg."""
        footprint = account(
            find_rule("baijiu"), one_litre(fermentation_co2=2000), bundled_factor_set()
        )
        assert footprint.biogenic_kgco2e == pytest.approx(1.0, rel=EXACT)

    def test_wastewater_methane_with_the_default_correction_factor(self) -> None:
        """1,000 kg COD x 0.25 kg CH4/kg COD x MCF 0.8 = 200 kg CH4, less 50 kg recovered = 150;
        half of it this product's, 75 kg x 27.0 = 2,025 kgCO2e; the 50 kg burned give
        50 x 44.01/16.04 x 0.5 = 68.59 kg biogenic CO2."""
        plain = account(find_rule("baijiu"), one_litre(), bundled_factor_set())
        footprint = account(
            find_rule("baijiu"),
            one_litre(wastewater_cod=1000, ch4_recovered=50),
            bundled_factor_set(),
        )
        added = 75 * CH4_NON_FOSSIL_GWP + 50 * 44.01 / 16.04 * 0.5
        assert footprint.total_kgco2e - plain.total_kgco2e == pytest.approx(added / 1000, rel=1e-9)
        assert footprint.by_gas["CH4-biogenic"].kg == pytest.approx(75 / 1000, rel=EXACT)

    def test_the_plants_own_correction_factor_replaces_the_default(self) -> None:
        """MCF 0.5: 1,000 x 0.25 x 0.5 - 50 = 75 kg CH4, half of it this product's: 37.5 kg."""
        footprint = account(
            find_rule("baijiu"),
            one_litre(wastewater_cod=1000, wastewater_mcf=0.5, ch4_recovered=50),
            bundled_factor_set(),
        )
        assert footprint.by_gas["CH4-biogenic"].kg == pytest.approx(37.5 / 1000, rel=EXACT)


class TestBadInput:
    def test_more_methane_recovered_than_the_wastewater_can_give_is_an_error(self) -> None:
        problems = check(find_rule("baijiu"), one_litre(wastewater_cod=1000, ch4_recovered=500))
        assert [(p.severity, p.field) for p in problems] == [("error", "wastewater_ch4_default")]
        assert "cannot be negative" in problems[0].message_en

    def test_bottles_need_their_makers_footprint(self) -> None:
        problems = check(find_rule("baijiu"), one_litre(bottles=600))
        assert [(p.severity, p.field) for p in problems] == [("error", "bottle_pcf")]
        assert "required because bottles is given" in problems[0].message_en

    def test_recovered_methane_needs_the_wastewater_cod(self) -> None:
        problems = check(find_rule("baijiu"), one_litre(ch4_recovered=50))
        assert [(p.severity, p.field) for p in problems] == [("error", "wastewater_cod")]

    def test_the_sorghum_needs_its_suppliers_footprint(self) -> None:
        problems = check(find_rule("baijiu"), one_litre(sorghum_pcf=None))
        assert [(p.severity, p.field) for p in problems] == [("error", "sorghum_pcf")]

    def test_grain_transport_must_be_given(self) -> None:
        problems = check(find_rule("baijiu"), one_litre(grain_road_transport=None))
        assert [(p.severity, p.field) for p in problems] == [("error", "stages.transport")]
