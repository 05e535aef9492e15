"""Properties of the engine that hold for any network (hypothesis).

Networks are drawn at random: up to six products, each with up to three factor
lines and up to three inputs from any product (itself included, so loops
occur), with input coefficients small enough that every loop gives back less
than it takes.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tanzuji.engine import NetworkResults, calculate
from tanzuji.factors import FactorSet
from tanzuji.model import Allocation, CoProduct, ProductModel
from tests.conftest import line, make_factor, make_model

FACTORS = FactorSet(
    "property",
    [
        make_factor("P-CO2", unit="kWh", gases={"CO2": 0.6}),
        make_factor("P-MIX", activity="fuel", unit="t", gases={"CO2": 2900.0, "CH4": 0.3}),
        make_factor("P-N2O", activity="soil", unit="kg", gases={"N2O": 0.0157}),
        make_factor("P-BIO", activity="wood", unit="kg", gases={"CO2-biogenic": 1.5}),
        make_factor("P-CO2E", activity="steel", unit="t", gases={"CO2e": 1990.0}),
    ],
)
STAGES = ["raw_material_acquisition", "transport", "production"]
RELATIVE = 1e-9


@st.composite
def networks(draw: st.DrawFn) -> list[ProductModel]:
    count = draw(st.integers(1, 6))
    ids = [f"p{i}" for i in range(count)]
    models = []
    for product in ids:
        output = draw(st.floats(10.0, 1e6))
        stages: dict[str, list[dict[str, Any]]] = {stage: [] for stage in STAGES}
        for n in range(draw(st.integers(0, 3))):
            factor = draw(st.sampled_from(list(FACTORS)))
            amount = draw(st.floats(0.0, 1e4))
            stages[draw(st.sampled_from(STAGES))].append(
                line(f"f{n}", amount, factor.unit, factor=factor.id)
            )
        for n in range(draw(st.integers(0, 3))):
            # at most 0.3 units of a supplier per unit made: every loop shrinks
            coefficient = draw(st.floats(0.0, 0.3))
            stages[draw(st.sampled_from(STAGES))].append(
                line(f"i{n}", coefficient * output, "kg", product=draw(st.sampled_from(ids)))
            )
        models.append(
            make_model(product, reference_output={"amount": output, "unit": "kg"}, stages=stages)
        )
    return models


def results_of(models: list[ProductModel], factors: FactorSet = FACTORS) -> NetworkResults:
    return calculate(models, factors)


@settings(max_examples=60, deadline=None)
@given(networks())
def test_splits_add_up_to_the_total(models: list[ProductModel]) -> None:
    results = results_of(models)
    for product in results.system.products:
        footprint = results.footprint(product)
        total = footprint.total_kgco2e
        scale = max(abs(total), 1e-12)
        stages = sum(footprint.by_stage.values())
        assert stages == pytest.approx(total, rel=RELATIVE, abs=1e-12 * scale)
        gases = sum(g.kgco2e for g in footprint.by_gas.values())
        assert gases == pytest.approx(total, rel=RELATIVE, abs=1e-12 * scale)
        origins = footprint.fossil_kgco2e + footprint.biogenic_kgco2e + footprint.luc_kgco2e
        assert origins == pytest.approx(total, rel=RELATIVE, abs=1e-12 * scale)
        for contributions in (footprint.lines, footprint.hotspots, footprint.upstream):
            assert sum(c.kgco2e for c in contributions) == pytest.approx(
                total, rel=1e-8, abs=1e-12 * scale
            )


@settings(max_examples=60, deadline=None)
@given(networks(), st.floats(0.0, 50.0), st.floats(0.0, 50.0))
def test_linear_in_the_demand(models: list[ProductModel], k1: float, k2: float) -> None:
    results = results_of(models)
    first, last = results.system.products[0], results.system.products[-1]
    combined = {first: k1} if first == last else {first: k1, last: k2}
    k_last = 0.0 if first == last else k2
    expected = k1 * results.total_of(first) + k_last * results.total_of(last)
    assert results.total_for(combined) == pytest.approx(expected, rel=1e-8, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(networks(), st.floats(0.01, 100.0))
def test_scaling_every_factor_scales_every_total(models: list[ProductModel], k: float) -> None:
    scaled = FactorSet("scaled", [factor.scaled(k) for factor in FACTORS])
    base, times_k = results_of(models).total, results_of(models, scaled).total
    np.testing.assert_allclose(times_k, k * base, rtol=1e-9, atol=1e-12)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.floats(0.001, 1e6), min_size=1, max_size=5),
    st.lists(st.floats(0.0, 1e4), min_size=6, max_size=6),
    st.sampled_from(["mass", "economic", "physical"]),
)
def test_allocation_factors_sum_to_one(
    amounts: list[float], bases: list[float], method: str
) -> None:
    co_products = [
        {"id": f"co{i}", "name": f"co-product {i}", "amount": a, "unit": "kg"}
        for i, a in enumerate(amounts[1:])
    ]
    outputs = ["main"] + [c["id"] for c in co_products]
    basis = dict(zip(outputs, bases, strict=False))
    if method != "mass" and sum(basis[o] for o in outputs) == 0:
        basis["main"] = 1.0
    allocation = {"method": method} | (
        {} if method == "mass" else {"basis": basis, "basis_unit": "CNY/kg"}
    )
    model = make_model(
        "main",
        reference_output={"amount": amounts[0], "unit": "kg"},
        co_products=co_products,
        allocation=allocation if co_products else None,
    )
    shares = model.allocation_factors()
    assert sum(shares.values()) == pytest.approx(1.0, rel=1e-12)
    assert all(0.0 <= share <= 1.0 for share in shares.values())


@settings(max_examples=40, deadline=None)
@given(networks())
def test_the_iterative_and_direct_solvers_agree(models: list[ProductModel]) -> None:
    direct = calculate(models, FACTORS, solver="direct")
    iterative = calculate(models, FACTORS, solver="iterative")
    np.testing.assert_allclose(iterative.total, direct.total, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(iterative.by_stage, direct.by_stage, rtol=1e-9, atol=1e-12)
    product = direct.system.products[0]
    supply = direct.supply(product)
    # the iterative solver stops at a residual relative to the whole vector, so an entry far
    # below its largest (1e-12 of it, say) may come out as zero: compare on that scale
    np.testing.assert_allclose(
        iterative.supply(product), supply, rtol=1e-9, atol=1e-9 * np.abs(supply).max()
    )


@settings(max_examples=40, deadline=None)
@given(networks(), st.floats(0.05, 0.95))
def test_a_co_product_takes_its_share_of_the_burdens(
    models: list[ProductModel], share: float
) -> None:
    """A copy of the first product, made together with as much of a co-product and split by
    economic allocation: the copy uses the same suppliers, so it carries ``share`` of the first
    product's footprint per kg and the co-product the rest."""
    first = models[0]
    copy = first.model_copy(
        update={
            "id": "copy",
            "co_products": [
                CoProduct(
                    id="co", name="co-product", amount=first.reference_output.amount, unit="kg"
                )
            ],
            "allocation": Allocation(
                method="economic", basis={"copy": share, "co": 1 - share}, basis_unit="CNY/kg"
            ),
        }
    )
    results = calculate([*models, copy], FACTORS)
    whole = results.total_of(first.id)
    assert results.total_of("copy") == pytest.approx(share * whole, rel=1e-9, abs=1e-12)
    assert results.total_of("co") == pytest.approx((1 - share) * whole, rel=1e-9, abs=1e-12)
