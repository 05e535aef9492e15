"""The iterative path: Jacobi sweeps that stall hand over to ILU-preconditioned BiCGSTAB."""

from __future__ import annotations

import numpy as np
import pytest

from tanzuji.engine import calculate, monte_carlo
from tanzuji.factors import FactorSet
from tanzuji.model import ProductModel
from tanzuji.uncertainty import Lognormal
from tests.conftest import line, make_factor, make_model


def ring(size: int, gain: float) -> list[ProductModel]:
    """``size`` products in one loop, each using ``gain`` kg of the next per kg made; the
    loop gives back ``gain**size`` of what it takes, so Jacobi converges slowly near 1."""
    return [
        make_model(
            f"p{i}",
            stages={
                "production": [
                    line(
                        "next",
                        gain * 1000,
                        "kg",
                        product=f"p{(i + 1) % size}",
                        uncertainty={"kind": "lognormal", "gsd": 1.01},
                    ),
                    line("power", 10 * (i + 1), "kWh", factor="E"),
                ]
            },
        )
        for i in range(size)
    ]


FACTORS = FactorSet("ring", [make_factor("E", uncertainty=Lognormal(gsd=1.1))])


def test_a_slow_loop_reaches_the_direct_answer() -> None:
    models = ring(40, 0.999)  # 0.999**40 = 0.961: Jacobi stalls and BiCGSTAB takes over
    iterative = calculate(models, FACTORS, solver="iterative")
    direct = calculate(models, FACTORS, solver="direct")
    assert iterative.solver.preconditioner == "ILU"  # built because Jacobi stalled
    np.testing.assert_allclose(iterative.total, direct.total, rtol=1e-9)
    np.testing.assert_allclose(iterative.supply("p0"), direct.supply("p0"), rtol=1e-9)


def test_monte_carlo_with_the_iterative_solver_matches_the_direct_one() -> None:
    models = ring(30, 0.9)
    runs = [
        monte_carlo(calculate(models, FACTORS, solver=method), 200, seed=5).samples
        for method in ("iterative", "direct")
    ]
    np.testing.assert_allclose(runs[0], runs[1], rtol=1e-7)


def test_the_closed_form_of_the_ring() -> None:
    # f_i = b_i + g f_{i+1} around the ring: f_0 = Σ_k g^k b_k / (1 - g^n)
    size, gain = 5, 0.5
    b = [10 * (i + 1) * 0.5 / 1000 for i in range(size)]  # kWh x 0.5 kg/kWh per 1,000 kg
    expected = sum(gain**k * b[k] for k in range(size)) / (1 - gain**size)
    results = calculate(ring(size, gain), FACTORS, solver="iterative")
    assert results.total_of("p0") == pytest.approx(expected, rel=1e-9)
