"""Two rule features, on a small rule written for the test: inputs required together, and
co-products a plant may not make."""

from __future__ import annotations

from typing import Any

import pytest

from tanzuji.factors import FactorSet
from tanzuji.model import Boundary
from tanzuji.rules import ActivityData, account, check
from tanzuji.rules.rule import Rule

# a washery: raw coal bought with its supplier's footprint, electricity, and middlings that
# some plants sell (a co-product) and others do not make
RULE: dict[str, Any] = {
    "id": "washery",
    "version": "2026.1",
    "name_zh": "洗煤",
    "name_en": "washing",
    "basis_zh": "测试用",
    "basis_en": "for the test",
    "declared_unit": "1 t",
    "output": "washed",
    "boundary": "cradle-to-gate",
    "boundaries": ["cradle-to-gate"],
    "required_stages": ["production"],
    "sources": ["none: a rule written for a test"],
    "inputs": [
        {"name": "washed", "label_zh": "精煤", "label_en": "washed coal", "unit": "t"},
        {"name": "raw", "label_zh": "原煤", "label_en": "raw coal", "unit": "t", "required": False},
        {
            "name": "raw_pcf",
            "label_zh": "原煤碳足迹",
            "label_en": "raw coal footprint",
            "unit": "kgCO2e/t",
            "required": False,
            "required_with": ["raw"],
        },
        {"name": "power", "label_zh": "电", "label_en": "power", "unit": "kWh"},
        {
            "name": "middlings",
            "label_zh": "中煤",
            "label_en": "middlings",
            "unit": "t",
            "required": False,
        },
    ],
    "lines": [
        {
            "id": "raw",
            "name_zh": "原煤",
            "name_en": "raw coal",
            "stage": "raw_material_acquisition",
            "amount": "raw * raw_pcf",
            "unit": "kgCO2e",
            "emission": "CO2e",
        },
        {
            "id": "power",
            "name_zh": "电",
            "name_en": "power",
            "stage": "production",
            "amount": "power",
            "unit": "kWh",
            "factor": "F-ELEC",
        },
    ],
    "co_products": [
        {
            "id": "middlings",
            "name_zh": "中煤",
            "name_en": "middlings",
            "amount": "middlings",
            "optional": True,
        }
    ],
    "allocation": {
        "method": "physical",
        "basis_unit": "t",
        "basis": {"main": "washed", "middlings": "middlings"},
    },
}


def data(**inputs: float) -> ActivityData:
    return ActivityData.model_validate(
        {
            "rule": "washery",
            "product": "coal",
            "name_zh": "精煤",
            "name_en": "washed coal",
            "geography": "CN-GZ",
            "reference_period": {"start": "2025-01-01", "end": "2025-12-31"},
            "inputs": inputs,
        }
    )


@pytest.fixture
def rule() -> Rule:
    return Rule.model_validate(RULE)


def test_an_amount_without_its_footprint_is_an_error(rule: Rule) -> None:
    problems = check(rule, data(washed=1000, raw=1600, power=20_000))
    ((severity, field, english),) = [(p.severity, p.field, p.message_en) for p in problems]
    assert (severity, field) == ("error", "raw_pcf")
    assert english == "'raw coal footprint' is required because raw is given"


def test_without_the_amount_the_footprint_is_not_asked_for(rule: Rule) -> None:
    assert check(rule, data(washed=1000, power=20_000)) == []


def test_a_co_product_not_made_takes_no_share(rule: Rule, factor_set: FactorSet) -> None:
    # 1,600 t x 95 kgCO2e/t + 20,000 kWh x 0.5 kg/kWh = 162,000 kg over 1,000 t washed coal
    footprint = account(rule, data(washed=1000, raw=1600, raw_pcf=95, power=20_000), factor_set)
    assert footprint.total_kgco2e == pytest.approx(162.0, rel=1e-12)
    assert footprint.allocation_factor == 1.0


def test_a_co_product_made_takes_its_share(rule: Rule, factor_set: FactorSet) -> None:
    # by mass: 1,000 t of 1,250 t is washed coal, so it carries 0.8 of 162,000 kg
    given = data(washed=1000, raw=1600, raw_pcf=95, power=20_000, middlings=250)
    footprint = account(rule, given, factor_set)
    assert footprint.allocation_factor == pytest.approx(0.8, rel=1e-12)
    assert footprint.total_kgco2e == pytest.approx(0.8 * 162.0, rel=1e-12)


def test_a_required_co_product_must_have_a_required_amount() -> None:
    broken = {**RULE, "co_products": [{**RULE["co_products"][0], "optional": False}]}
    with pytest.raises(ValueError, match="must be required \\(or the co-product optional\\)"):
        Rule.model_validate(broken)


def test_required_with_must_name_inputs() -> None:
    inputs = [*RULE["inputs"][:2], {**RULE["inputs"][2], "required_with": ["coal"]}]
    with pytest.raises(ValueError, match="required_with names no input: \\['coal'\\]"):
        Rule.model_validate({**RULE, "inputs": inputs + RULE["inputs"][3:]})


def test_a_partner_counted_only_outside_the_boundary_is_not_required() -> None:
    # gate-to-gate leaves out the raw coal line, so its footprint is not asked for
    narrow = Rule.model_validate({**RULE, "boundaries": ["cradle-to-gate", "gate-to-gate"]})
    given = data(washed=1000, raw=1600, power=20_000)
    gate = given.model_copy(update={"boundary": Boundary.GATE_TO_GATE})
    assert check(narrow, gate) == []
    assert [p.field for p in check(narrow, given)] == ["raw_pcf"]
