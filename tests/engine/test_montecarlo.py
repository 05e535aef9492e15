"""Monte Carlo: reproducible, exact per sample, and honest about loops without solutions."""

from __future__ import annotations

import numpy as np
import pytest

from tanzuji.engine import NetworkResults, calculate, monte_carlo
from tanzuji.errors import SingularSystem, TanzujiError
from tanzuji.factors import FactorSet
from tanzuji.model import ProductModel
from tanzuji.uncertainty import Lognormal
from tests.conftest import line, make_factor, make_model

ELECTRICITY = make_factor("E", unit="kWh", gases={"CO2": 0.5})


def loop(a: float, c: float, gsd: float | None) -> list[ProductModel]:
    """Power needs ``a`` kg coal per kWh (uncertain with ``gsd``); coal needs ``c`` kWh/kg."""
    uncertainty = {"kind": "lognormal", "gsd": gsd} if gsd else None
    power = make_model(
        "power",
        declared_unit="1 kWh",
        reference_output={"amount": 1000, "unit": "kWh"},
        stages={
            "raw_material_acquisition": [
                line("coal", a * 1000, "kg", product="coal", uncertainty=uncertainty)
            ],
            "production": [line("station use", 100, "kWh", factor="E")],
        },
    )
    coal = make_model(
        "coal",
        reference_output={"amount": 1000, "unit": "kg"},
        stages={"production": [line("power", c * 1000, "kWh", product="power")]},
    )
    return [power, coal]


def results(models: list[ProductModel], factors: list[object] | None = None) -> NetworkResults:
    return calculate(models, FactorSet("mc", factors or [ELECTRICITY]))


def test_no_uncertainty_gives_the_deterministic_result() -> None:
    solved = results(loop(0.4, 0.5, gsd=None))
    runs = monte_carlo(solved, 50)
    np.testing.assert_allclose(runs.samples, np.tile(solved.total, (50, 1)), rtol=1e-12)


def test_same_seed_same_samples_other_seed_other_samples() -> None:
    solved = results(loop(0.4, 0.5, gsd=1.3))
    first = monte_carlo(solved, 200, seed=7).samples
    assert np.array_equal(first, monte_carlo(solved, 200, seed=7).samples)
    assert not np.array_equal(first, monte_carlo(solved, 200, seed=8).samples)


def test_every_sample_solves_its_own_sampled_system() -> None:
    # b_p = 100 kWh x 0.5 / 1000 kWh = 0.05; f_c = c f_p exactly, whatever a was drawn
    solved = results(loop(0.4, 0.5, gsd=1.5))
    runs = monte_carlo(solved, 3000, seed=1)
    power, coal = runs.samples[:, 0], runs.samples[:, 1]
    np.testing.assert_allclose(coal, 0.5 * power, rtol=1e-9)
    # f_p = 0.05 / (1 - a c), so each sample implies the multiplier m of a = 0.4 m
    multiplier = (1 - 0.05 / power) / (0.4 * 0.5)
    assert np.median(multiplier) == pytest.approx(1.0, abs=0.03)
    assert np.exp(np.log(multiplier).std()) == pytest.approx(1.5, rel=0.05)


def test_statistics_and_contributions() -> None:
    factors = [
        make_factor("E", unit="kWh", gases={"CO2": 0.5}, uncertainty=Lognormal(gsd=1.05)),
        make_factor(
            "D", activity="diesel", unit="t", gases={"CO2": 3000.0}, uncertainty=Lognormal(gsd=2)
        ),
    ]
    model = make_model(
        stages={
            "production": [
                line("power", 1000, "kWh", factor="E"),  # 500 kg
                line("diesel", 0.2, "t", factor="D"),  # 600 kg
            ]
        }
    )
    solved = results([model], factors)
    seen: list[int] = []
    runs = monte_carlo(solved, 4000, seed=3, explain="widget", progress=seen.append)
    stats = runs.statistics("widget")
    assert seen[-1] == 4000
    assert seen == sorted(seen)
    assert stats.iterations == 4000
    assert stats.p2_5 < stats.median < stats.p97_5
    # the medians of the factors are their values; the total's median lies near 1.1 kg
    assert stats.median == pytest.approx(1.1, rel=0.05)
    shares = stats.contribution_to_variance
    assert sum(shares.values()) == pytest.approx(1.0)
    assert next(iter(shares)) == "factor: D"
    assert shares["factor: D"] > 0.9


def test_a_sampled_loop_without_a_solution_is_reported() -> None:
    # a c = 0.9 at the median; with gsd 3 many draws give a c > 1
    solved = results(loop(1.8, 0.5, gsd=3.0))
    with pytest.raises(SingularSystem, match=r"Monte Carlo iteration \d+: the sampled supply"):
        monte_carlo(solved, 500, seed=2)


def test_too_few_iterations() -> None:
    with pytest.raises(TanzujiError, match="at least 2 iterations, not 1"):
        monte_carlo(results(loop(0.4, 0.5, None)), 1)
