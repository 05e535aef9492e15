"""Uncertainty distributions, stated relative to the value, and their sampling."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from tanzuji.uncertainty import Lognormal, Normal, SamplingPlan, Triangular, Uniform


def test_certain_numbers_get_one() -> None:
    plan = SamplingPlan([None, None])
    assert np.all(plan.sample(np.random.default_rng(1), 5) == 1.0)


def test_lognormal_median_is_the_value_and_gsd_holds() -> None:
    draws = SamplingPlan([Lognormal(gsd=1.5)]).sample(np.random.default_rng(7), 200_000)[:, 0]
    assert np.median(draws) == pytest.approx(1.0, abs=0.01)
    assert np.exp(np.log(draws).std()) == pytest.approx(1.5, rel=0.01)


def test_mixed_kinds_are_sampled_by_position() -> None:
    plan = SamplingPlan(
        [Normal(sd=0.1), None, Triangular(low=0.5, high=2.0), Uniform(low=0.9, high=1.1)]
    )
    draws = plan.sample(np.random.default_rng(3), 100_000)
    assert draws[:, 0].mean() == pytest.approx(1.0, abs=0.002)
    assert draws[:, 0].std() == pytest.approx(0.1, rel=0.02)
    assert np.all(draws[:, 1] == 1.0)
    assert draws[:, 2].min() >= 0.5
    assert draws[:, 2].max() <= 2.0
    # the mean of a triangular distribution is (low + mode + high) / 3 = 3.5 / 3
    assert draws[:, 2].mean() == pytest.approx(3.5 / 3, abs=0.005)
    assert draws[:, 3].min() >= 0.9
    assert draws[:, 3].max() <= 1.1
    assert list(plan.uncertain) == [0, 2, 3]


def test_same_seed_same_draws() -> None:
    plan = SamplingPlan([Lognormal(gsd=1.2)] * 3)
    first = plan.sample(np.random.default_rng(42), 10)
    assert np.array_equal(first, plan.sample(np.random.default_rng(42), 10))


def test_zero_width_triangle_is_certain() -> None:
    draws = SamplingPlan([Triangular(low=1.0, high=1.0)]).sample(np.random.default_rng(0), 4)
    assert np.all(draws == 1.0)


def test_range_must_hold_the_value() -> None:
    with pytest.raises(ValidationError, match="must satisfy low ≤ 1 ≤ high"):
        Uniform(low=1.1, high=1.5)


def test_gsd_below_one() -> None:
    with pytest.raises(ValidationError, match="greater than or equal to 1"):
        Lognormal(gsd=0.9)
