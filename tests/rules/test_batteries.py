"""The battery rules (battery-li-ion, battery-lead-acid): their examples and formulas, with the
arithmetic written out.

Both rules declare 1 kWh of rated energy: rated capacity (Ah) x nominal voltage (V) / 1000,
summed over what the plant made in the period.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest

from tanzuji.factors import bundled_factor_set
from tanzuji.rules import ActivityData, Rule, account, check, load_activity_data, load_rule

ROOT = Path(__file__).parents[2]
EXACT = 1e-9


def battery_rule(rule_id: str) -> Rule:
    """The rule file itself, checked against the bundled factors."""
    path = ROOT / "src" / "tanzuji" / "data" / "rules" / rule_id / "2026.1.yaml"
    return load_rule(path, bundled_factor_set())


def example(rule_id: str, **changes: Any) -> ActivityData:
    """The rule's example with some inputs replaced (``None`` removes one)."""
    data = load_activity_data(ROOT / "examples" / f"{rule_id}.yaml")
    inputs = {**data.inputs, **changes}
    inputs = {name: value for name, value in inputs.items() if value is not None}
    return data.model_copy(update={"inputs": inputs})


def one_kwh(rule_id: str, inputs: dict[str, float]) -> ActivityData:
    """Activity data for exactly 1 kWh made, to check a formula on round numbers."""
    return ActivityData.model_validate(
        {
            "rule": rule_id,
            "product": "one-kwh",
            "name_zh": "一千瓦时",
            "name_en": "one kWh",
            "geography": "CN-GZ",
            "reference_period": {"start": "2025-01-01", "end": "2025-12-31"},
            "inputs": {"rated_energy": 1, **inputs},
        }
    )


def rated_energy(units: int, ampere_hours: float, volts: float) -> float:
    """kWh of rated energy of ``units`` cells or batteries: Ah x V / 1000 each."""
    return units * ampere_hours * volts / 1000


class TestLithiumIon:
    """examples/battery-li-ion.yaml: 2.5 million 280 Ah / 3.2 V LFP cells packed on site."""

    RULE = "battery-li-ion"
    KWH = rated_energy(2_500_000, 280, 3.2)  # 2,500,000 x 0.896 kWh = 2,240,000 kWh
    # per kWh: every amount in the example is its per-kWh figure x 2,240,000
    LINES: ClassVar[dict[str, float]] = {
        "cathode": 2.2 * 8.5,  # kg LFP x supplier's kgCO2e/kg = 18.7
        "natural graphite": 1.3 * 0.3 * 5315.91 / 1000,  # 0.39 kg x 5.31591 = 2.0732049
        "synthetic graphite": 1.3 * 0.7 * 13.8,  # 0.91 kg x 13.8 = 12.558
        "electrolyte": 0.9 * 6.0,  # 5.4
        "separator": 0.15 * 5.5,  # 0.825
        "copper foil": 0.6 * 3090 / 1000,  # refined copper, 1.854
        "aluminium foil": 0.3 * 28500 / 1000,  # aluminium sheet and strip, 8.55
        "aluminium parts": 0.6 * 28500 / 1000,  # 17.1
        "pack steel": 0.8 * 2050 / 1000,  # 1.64
        "pack plastics": 0.1 * 2620 / 1000,  # HDPE resin standing in, 0.262
        "pack electronics": 0.15 * 25,  # 3.75
    }
    MATERIALS = sum(LINES.values())  # 72.7122049
    TRANSPORT = 5 * 0.129  # t*km x 18 t truck = 0.645
    PRODUCTION = 30 * 0.5777 + 0.5 * 2.162 + 0.05 * 110  # power, gas, steam: 23.912
    TOTAL = MATERIALS + TRANSPORT + PRODUCTION  # 97.2692049 kgCO2e per kWh

    def test_the_declared_unit_comes_from_the_cell_data(self) -> None:
        given = example(self.RULE).value("rated_energy")
        assert given is not None
        assert given.amount == pytest.approx(self.KWH, rel=EXACT)
        assert given.amount == 2_240_000

    def test_total_and_stages(self) -> None:
        rule, data = battery_rule(self.RULE), example(self.RULE)
        assert check(rule, data, bundled_factor_set()) == []
        footprint = account(rule, data, bundled_factor_set())
        assert footprint.total_kgco2e == pytest.approx(self.TOTAL, rel=EXACT)
        assert footprint.by_stage == pytest.approx(
            {
                "raw_material_acquisition": self.MATERIALS,
                "transport": self.TRANSPORT,
                "production": self.PRODUCTION,
            },
            rel=EXACT,
        )
        assert footprint.provenance.rule == "battery-li-ion@2026.1"
        assert "DIRECT-CO2e-SUPPLIED" in footprint.provenance.factors

    def test_graphite_splits_by_the_synthetic_share(self) -> None:
        """1,000 kg graphite per kWh, a quarter synthetic: 750 kg x 5.31591 + 250 kg x 13.8
        = 3,986.9325 + 3,450 = 7,436.9325 kgCO2e; every other input is zero."""
        zero = dict.fromkeys(
            ["cathode_pcf", "electrolyte", "electrolyte_pcf", "separator", "separator_pcf",
             "copper_foil", "aluminium_foil", "electricity"],
            0.0,
        )  # fmt: skip
        data = one_kwh(self.RULE, {**zero, "anode_graphite": 1000, "synthetic_share": 0.25})
        footprint = account(battery_rule(self.RULE), data, bundled_factor_set())
        assert footprint.total_kgco2e == pytest.approx(750 * 5.31591 + 250 * 13.8, rel=EXACT)

    def test_a_supplier_footprint_replaces_the_graphite_factors(self) -> None:
        footprint = account(
            battery_rule(self.RULE), example(self.RULE, anode_pcf=10.0), bundled_factor_set()
        )
        graphite = self.LINES["natural graphite"] + self.LINES["synthetic graphite"]
        expected = self.TOTAL - graphite + 1.3 * 10.0  # 1.3 kg x 10 kgCO2e/kg
        assert footprint.total_kgco2e == pytest.approx(expected, rel=EXACT)
        assert not {"BATT-MAT-GRAPHITE-NAT", "BATT-MAT-GRAPHITE-SYN"} & set(
            footprint.provenance.factors
        )

    def test_an_nmc_cell_takes_the_nmc_line(self) -> None:
        """1.5 kg NMC per kWh (3,360 t) at 20 kgCO2e/kg instead of 2.2 kg LFP at 8.5."""
        data = example(self.RULE, lfp_cathode=None, nmc_cathode=3_360_000.0, cathode_pcf=20.0)
        footprint = account(battery_rule(self.RULE), data, bundled_factor_set())
        expected = self.TOTAL - self.LINES["cathode"] + 1.5 * 20.0
        assert footprint.total_kgco2e == pytest.approx(expected, rel=EXACT)
        names = {line.name for line in footprint.lines}
        assert "三元正极材料 / NMC cathode active material" in names
        assert "磷酸铁锂正极材料 / LFP cathode active material" not in names

    def test_without_the_cathode_suppliers_footprint_the_data_is_refused(self) -> None:
        problems = check(battery_rule(self.RULE), example(self.RULE, cathode_pcf=None))
        assert [(p.severity, p.field) for p in problems] == [("error", "cathode_pcf")]
        assert "missing" in problems[0].message_en

    def test_bought_cells_need_their_footprint(self) -> None:
        """0.5 kWh of bought cells per kWh of pack, and no footprint for them: they used to count
        as zero, now the footprint is asked for."""
        data = example(self.RULE, purchased_cells=1_120_000.0)
        problems = check(battery_rule(self.RULE), data)
        assert [(p.severity, p.field, p.message_en) for p in problems] == [
            (
                "error",
                "purchased_cells_pcf",
                "'footprint of the bought cells (supplier)' is required because purchased_cells "
                "is given",
            )
        ]

    def test_a_supplier_footprint_needs_its_amount(self) -> None:
        """A footprint for plastic parts with no plastic parts given: the amount is missing."""
        data = example(self.RULE, pack_plastics=None, pack_plastics_pcf=3.0)
        problems = check(battery_rule(self.RULE), data)
        assert [(p.field, p.message_en) for p in problems] == [
            ("pack_plastics", "'plastic parts' is required because pack_plastics_pcf is given")
        ]


class TestLeadAcid:
    """examples/battery-lead-acid.yaml: 400,000 batteries of 12 V / 100 Ah, 60 % recycled lead."""

    RULE = "battery-lead-acid"
    KWH = rated_energy(400_000, 100, 12)  # 400,000 x 1.2 kWh = 480,000 kWh
    LEAD = 7800 / KWH  # t of lead per kWh = 0.01625 (16.25 kg)
    PRIMARY = LEAD * 0.4 * 2060  # refined lead, China: 13.39
    SECONDARY = LEAD * 0.6 * 600  # recycler's footprint: 5.85
    OTHERS = (960 * 100 + 800_000 * 2.62 + 200_000 * 3.0) / KWH  # acid, case, separators: 5.8167
    MATERIALS = PRIMARY + SECONDARY + OTHERS  # 25.0567
    TRANSPORT = 2_400_000 * 0.129 / KWH  # 0.645
    PRODUCTION = (19.2e6 * 0.5777 + 960_000 * 2.162) / KWH  # 23.108 + 4.324 = 27.432
    TOTAL = MATERIALS + TRANSPORT + PRODUCTION  # 53.1337 kgCO2e per kWh

    def test_total_and_stages(self) -> None:
        rule, data = battery_rule(self.RULE), example(self.RULE)
        assert check(rule, data, bundled_factor_set()) == []
        footprint = account(rule, data, bundled_factor_set())
        assert footprint.total_kgco2e == pytest.approx(self.TOTAL, rel=EXACT)
        assert footprint.by_stage == pytest.approx(
            {
                "raw_material_acquisition": self.MATERIALS,
                "transport": self.TRANSPORT,
                "production": self.PRODUCTION,
            },
            rel=EXACT,
        )
        assert "BATT-MAT-LEAD-PRIMARY-CN" in footprint.provenance.factors

    def test_lead_splits_by_the_recycled_share(self) -> None:
        """1 t of lead per kWh, a quarter recycled at 400 kgCO2e/t:
        0.75 t x 2,060 + 0.25 t x 400 = 1,545 + 100 = 1,645 kgCO2e."""
        data = one_kwh(
            self.RULE,
            {"lead": 1, "secondary_lead_share": 0.25, "secondary_lead_pcf": 400,
             "pp_case": 0, "electricity": 0},
        )  # fmt: skip
        footprint = account(battery_rule(self.RULE), data, bundled_factor_set())
        assert footprint.total_kgco2e == pytest.approx(0.75 * 2060 + 0.25 * 400, rel=EXACT)

    def test_a_smelters_footprint_replaces_the_primary_lead_factor(self) -> None:
        data = example(self.RULE, primary_lead_pcf=1800.0)
        footprint = account(battery_rule(self.RULE), data, bundled_factor_set())
        expected = self.TOTAL - self.PRIMARY + self.LEAD * 0.4 * 1800  # 11.7 instead of 13.39
        assert footprint.total_kgco2e == pytest.approx(expected, rel=EXACT)
        assert "BATT-MAT-LEAD-PRIMARY-CN" not in footprint.provenance.factors

    def test_a_recycled_share_above_one_is_an_error(self) -> None:
        problems = check(battery_rule(self.RULE), example(self.RULE, secondary_lead_share=1.2))
        errors = [(p.severity, p.field) for p in problems if p.severity == "error"]
        assert errors == [("error", "primary_lead")]
        negative = next(p for p in problems if p.field == "primary_lead")
        assert "cannot be negative" in negative.message_en
        assert ("warning", "secondary_lead_share") in {(p.severity, p.field) for p in problems}

    def test_bought_lead_oxide_needs_its_footprint(self) -> None:
        """Lead oxide has no default factor: without the supplier's footprint it used to count
        as zero."""
        problems = check(battery_rule(self.RULE), example(self.RULE, lead_oxide=2000))
        assert [(p.severity, p.field, p.message_en) for p in problems] == [
            (
                "error",
                "lead_oxide_pcf",
                "'footprint of the lead oxide bought' is required because lead_oxide is given",
            )
        ]

    def test_a_separator_footprint_without_separators(self) -> None:
        data = example(self.RULE, separators=None)
        problems = check(battery_rule(self.RULE), data)
        assert [(p.field, p.message_en) for p in problems] == [
            (
                "separators",
                "'separators (PE or AGM glass mat)' is required because separators_pcf is given",
            )
        ]
