"""The solver chooses by the network's shape and gives the same answers either way."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from tanzuji.engine.solver import DIRECT_LIMIT, Solver


def random_network(n: int, inputs: int, seed: int) -> sp.csr_array:
    """(I - M)ᵀ for ``n`` products, each using ``inputs`` random others at 0–0.2 per unit."""
    rng = np.random.default_rng(seed)
    rows = np.repeat(np.arange(n), inputs)
    cols = rng.integers(0, n, size=n * inputs)
    values = rng.uniform(0.0, 0.2, size=n * inputs)
    m = sp.coo_array((values, (cols, rows)), shape=(n, n))
    return sp.csr_array((sp.eye_array(n) - m).T)


def test_small_loops_factorize_directly() -> None:
    solver = Solver(random_network(200, 3, seed=1), tuple(map(str, range(200))))
    assert solver.method == "direct"
    assert solver.description.startswith("direct: SuperLU")


def test_large_loops_iterate_and_agree_with_the_direct_solution() -> None:
    n = DIRECT_LIMIT + 500
    matrix = random_network(n, 3, seed=2)
    labels = tuple(map(str, range(n)))
    iterative = Solver(matrix, labels)
    assert iterative.method == "iterative"
    assert iterative.largest_loop > DIRECT_LIMIT
    rhs = np.random.default_rng(3).uniform(0, 1, size=(n, 3))
    direct = Solver(matrix, labels, method="direct")
    np.testing.assert_allclose(iterative.solve(rhs), direct.solve(rhs), rtol=1e-9)
    np.testing.assert_allclose(
        iterative.solve(rhs[:, 0], transposed=True),
        direct.solve(rhs[:, 0], transposed=True),
        rtol=1e-9,
    )


def test_preconditioner_applies_to_blocks() -> None:
    matrix = random_network(50, 2, seed=4)
    solver = Solver(matrix, tuple(map(str, range(50))))
    rhs = np.ones((50, 4))
    np.testing.assert_allclose(matrix @ solver.precondition(rhs), rhs, rtol=1e-12)
