"""The electricity rule: a site's mix of grid power, own PV and green power, and a PV plant's
own generation, with the arithmetic written out."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest

from tanzuji.engine import Footprint
from tanzuji.factors import bundled_factor_set
from tanzuji.rules import ActivityData, account, check, load_activity_data, load_rule

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "electricity.yaml"
# read directly, so that another rule being written at the same time cannot break these tests
RULE = load_rule(ROOT / "src" / "tanzuji" / "data" / "rules" / "electricity" / "2026.1.yaml")
EXACT = 1e-9

# factors the rule finds for a 2025 period in CN-GZ (none for Guizhou: all fall back to CN)
GRID = 0.5777  # ELEC-LCA-CN-2024, national life-cycle factor, kgCO2e/kWh
PV = 0.0545  # ELEC-LCA-PV-2023
WIND = 0.0336  # ELEC-LCA-WIND-2023
BIOMASS = 0.0457  # ELEC-LCA-BIOMASS-2023
TD = 0.0327  # ELEC-LCA-TD-2024, transmission and distribution incl. losses
# residual correction: 2023 CO2 factor excluding market-traded non-fossil power over the
# national average CO2 factor, 0.6096 / 0.5306 = 1.148888
RESIDUAL = 0.6096 / 0.5306


def site(**inputs: Any) -> ActivityData:
    """Activity data for a site in Guizhou in 2025 with the given inputs (kWh unless stated)."""
    return ActivityData.model_validate(
        {
            "rule": "electricity",
            "product": "site",
            "name_zh": "场地",
            "name_en": "site",
            "geography": "CN-GZ",
            "reference_period": {"start": "2025-01-01", "end": "2025-12-31"},
            "inputs": inputs,
        }
    )


def footprint_of(data: ActivityData) -> Footprint:
    return account(RULE, data, bundled_factor_set())


def errors(data: ActivityData) -> list[tuple[str, str]]:
    return [(p.field, p.message_en) for p in check(RULE, data)]


class TestExample:
    """examples/electricity.yaml: 20 GWh used in 2025, per 1 kWh.

    own PV used: 2,100 MWh generated - 300 MWh fed to the grid = 1,800 MWh
    grid import: 20,000 - 1,800 = 18,200 MWh, of which 5,000 MWh carry retired certificates
    (3,000 wind, 2,000 not split out, so PV)
    """

    USED = 20e6  # kWh
    LINES: ClassVar[dict[str, float]] = {
        # (18.2e6 - 5e6) kWh x 0.5777 x 1.148888 = 13.2e6 x 0.663713 = 8,761,007 kg
        "rest of the grid electricity (residual mix)": 13.2e6 * GRID * RESIDUAL,
        "certified green power (wind)": 3e6 * WIND,  # 100,800 kg
        "certified green power (PV and not split out)": 2e6 * PV,  # 109,000 kg
        "transmission and distribution of the certified green power": 5e6 * TD,  # 163,500 kg
        "own PV electricity used (PV footprint factor)": 1.8e6 * PV,  # 98,100 kg
    }
    TOTAL = sum(LINES.values()) / USED  # 9,232,407 kg / 20e6 kWh = 0.46162 kgCO2e/kWh

    def test_total_and_lines(self) -> None:
        footprint = footprint_of(load_activity_data(EXAMPLE))
        assert footprint.total_kgco2e == pytest.approx(self.TOTAL, rel=EXACT)
        assert footprint.total_kgco2e == pytest.approx(0.461620334, rel=1e-8)
        lines = {line.name.split(" / ")[1]: line.kgco2e for line in footprint.lines}
        expected = {name: kg / self.USED for name, kg in self.LINES.items()}
        assert lines == pytest.approx(expected, rel=EXACT)
        assert footprint.by_stage["production"] == pytest.approx(self.TOTAL, rel=EXACT)
        assert footprint.provenance.rule == "electricity@2026.1"

    def test_guizhou_falls_back_to_the_national_factors(self) -> None:
        footprint = footprint_of(load_activity_data(EXAMPLE))
        assert set(footprint.provenance.factors) == {
            "ELEC-LCA-CN-2024",
            "ELEC-LCA-WIND-2023",
            "ELEC-LCA-PV-2023",
            "ELEC-LCA-TD-2024",
        }
        assert all("fell back to CN" in note for note in footprint.provenance.fallbacks)
        national = load_activity_data(EXAMPLE).model_copy(update={"geography": "CN"})
        assert footprint_of(national).total_kgco2e == pytest.approx(self.TOTAL, rel=EXACT)

    def test_without_certificates_the_whole_grid_import_takes_the_national_factor(self) -> None:
        """Location-based: 18.2e6 kWh x 0.5777 + 1.8e6 kWh x 0.0545 = 10,514,140 + 98,100
        = 10,612,240 kg / 20e6 kWh = 0.530612 kgCO2e/kWh."""
        raw = load_activity_data(EXAMPLE)
        inputs = {k: v for k, v in raw.inputs.items() if not k.startswith("green_")}
        footprint = footprint_of(raw.model_copy(update={"inputs": inputs}))
        assert footprint.total_kgco2e == pytest.approx(
            (18.2e6 * GRID + 1.8e6 * PV) / self.USED, rel=EXACT
        )
        assert footprint.total_kgco2e == pytest.approx(0.530612, rel=EXACT)


class TestFormulas:
    def test_grid_only(self) -> None:
        """1,000 kWh from the grid, nothing else: 1,000 x 0.5777 / 1,000."""
        assert footprint_of(site(electricity=1000)).total_kgco2e == pytest.approx(GRID, rel=EXACT)

    def test_residual_mix_on_round_numbers(self) -> None:
        """1,000 kWh from the grid, 400 kWh with biomass certificates:
        600 x 0.5777 x 1.148888 = 398.2276, 400 x (0.0457 + 0.0327) = 31.36;
        429.5876 kg / 1,000 kWh."""
        data = site(electricity=1000, green_certified=400, green_biomass=400)
        expected = (600 * GRID * RESIDUAL + 400 * (BIOMASS + TD)) / 1000
        assert footprint_of(data).total_kgco2e == pytest.approx(expected, rel=EXACT)
        assert footprint_of(data).total_kgco2e == pytest.approx(0.4295876, rel=1e-6)

    def test_all_grid_power_certified_as_wind(self) -> None:
        """Every grid kWh carries a wind certificate: 0.0336 + 0.0327 = 0.0663 per kWh."""
        data = site(electricity=1000, green_certified=1000, green_wind=1000)
        assert footprint_of(data).total_kgco2e == pytest.approx(WIND + TD, rel=EXACT)

    def test_a_pv_plant_accounting_its_own_generation(self) -> None:
        """A PV plant: 1.2 GWh generated is the account; nothing fed out of it, no grid."""
        data = site(electricity=1.2e6, pv_generated=1.2e6)
        footprint = footprint_of(data)
        assert footprint.total_kgco2e == pytest.approx(PV, rel=EXACT)
        assert "ELEC-LCA-PV-2023" in footprint.provenance.factors

    def test_the_plants_pv_system_footprint_spread_over_its_lifetime(self) -> None:
        """800 kgCO2e per kW installed over 25,000 kWh per kW: 800 / 25,000 = 0.032 per kWh,
        in place of the national PV factor."""
        data = site(
            electricity=1.2e6,
            pv_generated=1.2e6,
            pv_system_pcf={"amount": 800, "unit": "kgCO2e/kW"},
            pv_lifetime_yield={"amount": 25000, "unit": "kWh/kW"},
        )
        footprint = footprint_of(data)
        assert footprint.total_kgco2e == pytest.approx(800 / 25000, rel=EXACT)
        assert "ELEC-LCA-PV-2023" not in footprint.provenance.factors

    def test_own_pv_is_taken_out_of_the_grid_import(self) -> None:
        """1,000 kWh used, 300 generated, 100 of it fed out: grid 800, own PV 200:
        (800 x 0.5777 + 200 x 0.0545) / 1,000 = 0.47306."""
        data = site(electricity=1000, pv_generated=300, pv_exported=100)
        expected = (800 * GRID + 200 * PV) / 1000
        assert footprint_of(data).total_kgco2e == pytest.approx(expected, rel=EXACT)


class TestBadInputs:
    def test_more_certified_power_than_grid_import(self) -> None:
        """19 GWh certified but only 18.2 GWh came from the grid."""
        raw = load_activity_data(EXAMPLE)
        data = raw.model_copy(update={"inputs": {**raw.inputs, "green_certified": 19e6}})
        problems = errors(data)
        assert [field for field, _ in problems] == ["grid_residual"]
        assert "cannot be negative" in problems[0][1]

    def test_more_pv_fed_out_than_generated(self) -> None:
        problems = errors(site(electricity=1000, pv_generated=100, pv_exported=300))
        assert [field for field, _ in problems] == ["own_pv"]

    def test_wind_certificates_without_the_certified_total(self) -> None:
        """The wind share alone would be counted on top of the whole grid import: the certified
        total is asked for (and the PV line, wind less nothing, fails on its own)."""
        problems = errors(site(electricity=1000, green_wind=200))
        assert [field for field, _ in problems] == ["green_certified", "green_pv"]
        assert problems[0][1] == (
            "'grid electricity covered by green certificates retired' is required because "
            "green_wind is given"
        )

    def test_a_pv_system_footprint_without_its_lifetime_generation(self) -> None:
        data = site(
            electricity=1000, pv_generated=1000, pv_system_pcf={"amount": 800, "unit": "kgCO2e/kW"}
        )
        problems = errors(data)
        assert [field for field, _ in problems] == ["pv_lifetime_yield", "own_pv_system"]
        assert problems[0][1] == (
            "'expected lifetime generation per kW installed' is required because pv_system_pcf "
            "is given"
        )
        assert "divides by zero" in problems[1][1]

    def test_a_lifetime_generation_without_the_pv_system_footprint(self) -> None:
        """Before required_with the yield alone was ignored and the national PV factor applied
        without a word."""
        data = site(
            electricity=1000,
            pv_generated=1000,
            pv_lifetime_yield={"amount": 25000, "unit": "kWh/kW"},
        )
        assert errors(data) == [
            (
                "pv_system_pcf",
                "'PV system footprint per kW installed' is required because pv_lifetime_yield "
                "is given",
            )
        ]

    def test_pv_fed_out_without_the_pv_generated(self) -> None:
        """Without the generation, the PV fed out would count as zero own PV less 300 kWh and
        raise the grid import: the generation is asked for."""
        problems = errors(site(electricity=1000, pv_exported=300))
        assert [field for field, _ in problems] == ["pv_generated", "own_pv"]
        assert problems[0][1] == (
            "'own PV electricity generated' is required because pv_exported is given"
        )

    def test_certificates_above_the_electricity_used_need_a_justification(self) -> None:
        problems = check(RULE, site(electricity=1000, green_certified=1200, green_wind=0))
        assert {(p.severity, p.field) for p in problems} == {
            ("warning", "green_certified"),
            ("error", "grid_residual"),
        }
