"""Monte Carlo uncertainty of every footprint in a network.

Each iteration draws a multiplier for every uncertain activity amount and for
every uncertain emission factor (:mod:`tanzuji.uncertainty`; one draw per
factor, so a factor used on many lines moves them together), puts the sampled
values straight into the fixed sparsity pattern of the technosphere and
emission matrices, and solves the sampled system.

Iterations run in blocks. A block's systems are solved together by a
preconditioned Richardson iteration warm-started from the mean solution,
``X ← X + P⁻¹ (B − T X)``, where ``P`` is the solver state of the mean system
(its LU factors where those were cheap, its incomplete LU or diagonal
otherwise), applied to all right-hand sides of the block in one call. Samples
not converged after a few sweeps are finished one by one with BiCGSTAB under
the same preconditioner. No direct factorization is needed per iteration.

The contribution of each input to the variance of one product's total is
estimated by the squared Spearman rank correlation between the input's
samples and the total, normalised to sum to 1: a screening measure for
monotonic models with independent inputs, not an exact variance
decomposition (for that see the variance-based methods of Saltelli et al.
2008, *Global Sensitivity Analysis: The Primer*).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from scipy.stats import rankdata

from tanzuji.engine.calculate import NetworkResults
from tanzuji.engine.footprint import UncertaintyResult
from tanzuji.engine.solver import Solver, krylov
from tanzuji.engine.system import group_sum
from tanzuji.errors import SingularSystem, TanzujiError
from tanzuji.uncertainty import SamplingPlan

__all__ = ["MonteCarloResult", "monte_carlo"]

Array = npt.NDArray[np.float64]
Index = npt.NDArray[np.intp]
SWEEPS = 30
PROBED_LINES = 50
TOLERANCE = 1e-10


@dataclass(frozen=True)
class MonteCarloResult:
    """Sampled totals (kgCO2e per declared unit) of the products asked for."""

    products: tuple[str, ...]
    samples: Array  # iterations × products
    seed: int
    contributions: dict[str, dict[str, float]]

    def statistics(self, product_id: str) -> UncertaintyResult:
        """Mean, median, standard deviation and 95 % interval of one product's total."""
        if product_id not in self.products:
            raise TanzujiError(
                f"product {product_id!r} was not kept in this Monte Carlo run; pass it in products"
            )
        column = self.samples[:, self.products.index(product_id)]
        low, median, high = np.percentile(column, [2.5, 50.0, 97.5])
        return UncertaintyResult(
            iterations=int(column.size),
            seed=self.seed,
            mean=float(column.mean()),
            median=float(median),
            sd=float(column.std(ddof=1)) if column.size > 1 else 0.0,
            p2_5=float(low),
            p97_5=float(high),
            contribution_to_variance=self.contributions.get(product_id, {}),
        )


class _Structure:
    """The sparsity pattern of a square CSR matrix, for block-diagonal copies of it."""

    def __init__(self, indices: npt.NDArray[np.int32], indptr: npt.NDArray[np.int32]) -> None:
        self.indices, self.indptr = indices, indptr
        self.n, self.nnz = indptr.size - 1, indices.size

    def matrix(self, data: Array) -> sp.csr_array:
        """One matrix with this pattern and ``data``."""
        return sp.csr_array((data, self.indices, self.indptr), shape=(self.n, self.n))

    def block_matrix(self, data: Array) -> sp.csr_array:
        """The block-diagonal matrix of ``k`` sampled systems (``data`` is ``k × nnz``)."""
        k = data.shape[0]
        offsets = np.arange(k, dtype=np.int64)
        indptr = (self.indptr[:-1][None, :] + (offsets * self.nnz)[:, None]).ravel()
        indptr = np.append(indptr, k * self.nnz)
        indices = (self.indices[None, :] + (offsets * self.n)[:, None]).ravel()
        return sp.csr_array((data.ravel(), indices, indptr), shape=(k * self.n, k * self.n))


class _Pattern:
    """Where each matrix entry lands in the CSR data of ``T = (I - M)ᵀ``."""

    def __init__(self, results: NetworkResults) -> None:
        system = results.system
        n = system.size
        tech, bio = system.tech, system.bio
        rows = np.concatenate([np.arange(n), tech.col])
        cols = np.concatenate([np.arange(n), tech.row])
        keys, position = np.unique(rows * n + cols, return_inverse=True)
        self.structure = _Structure(
            (keys % max(n, 1)).astype(np.int32),
            np.concatenate([[0], np.cumsum(group_sum(keys // max(n, 1), minlength=n))]).astype(
                np.int32
            ),
        )
        self.nnz = keys.size
        self.base = group_sum(position[:n], minlength=self.nnz)
        selection = sp.csr_array(
            (np.ones(len(tech)), (np.arange(len(tech)), position[n:])), shape=(len(tech), self.nnz)
        )
        self.tech_to_data = selection.T.tocsr()
        self.tech_value, self.tech_line = -tech.value, tech.line
        co2e = results.co2e_of(bio)
        self.bio_value, self.bio_line, self.bio_factor = co2e, bio.line, bio.factor
        self.bio_to_product = sp.csr_array(
            (np.ones(len(bio)), (bio.col, np.arange(len(bio)))), shape=(n, len(bio))
        )

    def data(self, line_multipliers: Array) -> Array:
        """The CSR data of ``T`` for each row of sampled line multipliers (``k × nnz``)."""
        inputs = self.tech_value * line_multipliers[:, self.tech_line]
        return np.asarray(self.base + (self.tech_to_data @ inputs.T).T, dtype=np.float64)


class _LoopCheck:
    """Checks that each sampled system is productive, on the rows and columns of its loops.

    Outside loops a supply chain is a tree and always solvable; inside, sampled amounts can
    make a loop consume a unit or more per unit made. Solving the loops' part of each
    sampled system for a right-hand side of ones tells (:meth:`Solver.assert_productive`).
    """

    def __init__(self, pattern: _Pattern, solver: Solver) -> None:
        loops = solver.loop_nodes()
        markers = pattern.structure.matrix(np.arange(1.0, pattern.nnz + 1.0))
        part = sp.csr_array(markers[loops][:, loops])
        self.positions = part.data.astype(np.intp) - 1
        self.structure = _Structure(part.indices.astype(np.int32), part.indptr.astype(np.int32))
        mean = pattern.base + pattern.tech_to_data @ pattern.tech_value
        self.solver = Solver(
            self.structure.matrix(mean[self.positions]), tuple(solver.labels[i] for i in loops)
        )
        self.start = self.solver.solve(np.ones(loops.size))

    def check(self, data: Array, numbers: Index) -> None:
        k = data.shape[0]
        unit = _solve_block(
            self.structure,
            self.solver,
            data[:, self.positions],
            np.ones((k, self.structure.n)),
            np.tile(self.start, (k, 1)),
            numbers,
        )
        _assert_productive(unit, numbers)


def monte_carlo(
    results: NetworkResults,
    iterations: int,
    *,
    seed: int = 42,
    products: Sequence[str] | None = None,
    explain: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> MonteCarloResult:
    """Sample every footprint ``iterations`` times; reproducible for a given ``seed``.

    ``products`` limits which totals are kept (default: all). ``explain`` names a
    product whose variance is apportioned to its inputs. ``progress`` is called
    with the number of iterations done after each block.
    """
    if iterations < 2:
        raise TanzujiError(f"Monte Carlo needs at least 2 iterations, not {iterations}")
    system, solver = results.system, results.solver
    kept = tuple(products) if products is not None else system.products
    columns = np.array([system.index[system.network.output(p).id] for p in kept], dtype=np.intp)
    pattern = _Pattern(results)
    line_plan = SamplingPlan([info.uncertainty for info in system.lines])
    factor_plan = SamplingPlan([factor.uncertainty for factor in system.factors])
    probe = _Probe(results, explain) if explain is not None else None
    rng = np.random.default_rng(seed)
    block = int(np.clip(4_000_000 // max(pattern.nnz + len(pattern.bio_value), 1), 16, 2048))
    samples = np.empty((iterations, columns.size))
    mean = np.asarray(results.total, dtype=np.float64)
    loop_check = (
        _LoopCheck(pattern, solver) if solver.has_loops and len(pattern.tech_value) else None
    )
    done = 0
    while done < iterations:
        k = min(block, iterations - done)
        line_m = line_plan.sample(rng, k)
        factor_m = factor_plan.sample(rng, k)
        data = pattern.data(line_m)
        emissions = (
            pattern.bio_value * line_m[:, pattern.bio_line] * factor_m[:, pattern.bio_factor]
        )
        rhs = (pattern.bio_to_product @ emissions.T).T  # k × n
        numbers = np.arange(done + 1, done + k + 1)
        if loop_check is not None:
            loop_check.check(data, numbers)
        totals = _solve_block(pattern.structure, solver, data, rhs, np.tile(mean, (k, 1)), numbers)
        samples[done : done + k] = totals[:, columns]
        if probe is not None:
            probe.record(line_m, factor_m, totals)
        done += k
        if progress is not None:
            progress(done)
    contributions = {probe.product: probe.contributions()} if probe is not None else {}
    return MonteCarloResult(kept, samples, seed, contributions)


class _Probe:
    """Records one product's independent uncertain inputs and its total.

    The inputs are the amounts of the :data:`PROBED_LINES` lines of its supply
    chain that contribute most and every uncertain factor the chain uses; both
    are sampled independently, so their rank correlations with the total can be
    compared.
    """

    def __init__(self, results: NetworkResults, product_id: str) -> None:
        system = results.system
        self.product = product_id
        self.column = system.index[system.network.output(product_id).id]
        supply = results.supply(product_id)
        bio, tech = system.bio, system.tech
        weight = group_sum(
            bio.line,
            weights=np.abs(supply[bio.col] * results.co2e_of(bio)),
            minlength=len(system.lines),
        )
        weight += group_sum(
            tech.line,
            minlength=len(system.lines),
            weights=np.abs(supply[tech.col] * tech.value * results.total[tech.row]),
        )
        uncertain = [
            i
            for i in np.argsort(-weight, kind="stable")
            if weight[i] > 0 and system.lines[i].uncertainty is not None
        ]
        self.lines = [int(i) for i in uncertain[:PROBED_LINES]]
        used = np.unique(bio.factor[supply[bio.col] != 0])
        self.factors = [int(f) for f in used if system.factors[f].uncertainty is not None]
        labels = [f"amount: {system.lines[i].model}: {system.lines[i].name}" for i in self.lines]
        labels += [f"factor: {system.factors[f].id}" for f in self.factors]
        self.labels = _unique(labels)
        self._inputs: list[Array] = []
        self._outputs: list[Array] = []

    def record(self, line_m: Array, factor_m: Array, totals: Array) -> None:
        self._inputs.append(np.hstack([line_m[:, self.lines], factor_m[:, self.factors]]))
        self._outputs.append(totals[:, self.column])

    def contributions(self) -> dict[str, float]:
        """Squared Spearman correlation of each input with the total, normalised to 1."""
        inputs, output = np.vstack(self._inputs), np.concatenate(self._outputs)
        varying = [c for c in range(inputs.shape[1]) if np.ptp(inputs[:, c]) > 0]
        if not varying or np.ptp(output) == 0:
            return {}
        ranks = rankdata(inputs[:, varying], axis=0)
        target = rankdata(output)
        ranks -= ranks.mean(axis=0)
        target -= target.mean()
        rho = (ranks.T @ target) / (np.linalg.norm(ranks, axis=0) * np.linalg.norm(target))
        squared = rho**2
        total = float(squared.sum())
        shares = {self.labels[c]: float(v / total) for c, v in zip(varying, squared, strict=True)}
        return dict(sorted(shares.items(), key=lambda item: item[1], reverse=True))


def _assert_productive(unit_solutions: Array, numbers: Index) -> None:
    """Raise :class:`SingularSystem` for the first sample whose loops do not shrink."""
    bad = ~np.isfinite(unit_solutions).all(axis=1) | (unit_solutions < 1.0 - 1e-9).any(axis=1)
    if bad.any():
        raise _unsolvable(int(numbers[np.argmax(bad)]))


def _unsolvable(iteration: int) -> SingularSystem:
    return SingularSystem(
        f"Monte Carlo iteration {iteration}: the sampled supply chain has no solution (a "
        "loop's sampled amounts consume a unit or more per unit made); narrow the "
        "uncertainty of the amounts that link the loop",
        [],
    )


def _unique(labels: list[str]) -> list[str]:
    """``labels`` with repeats numbered (two lines of one model may share a name)."""
    seen: dict[str, int] = {}
    unique = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        unique.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return unique


def _solve_block(
    structure: _Structure, solver: Solver, data: Array, rhs: Array, start: Array, numbers: Index
) -> Array:
    """Solve ``T_s x_s = b_s`` for each sample ``s`` of a block (rows of ``data``/``rhs``),
    starting from the rows of ``start``; ``numbers`` are the iterations' numbers."""
    k, n = rhs.shape
    if n == 0:
        return rhs.copy()
    matrix = structure.block_matrix(data)
    x = start.copy()
    scale = np.maximum(np.linalg.norm(rhs, axis=1), np.finfo(float).tiny)
    for _ in range(SWEEPS):
        residual = rhs - (matrix @ x.ravel()).reshape(k, n)
        if np.all(np.linalg.norm(residual, axis=1) <= TOLERANCE * scale):
            return x
        x = x + solver.precondition(residual.T).T
    residual = rhs - (matrix @ x.ravel()).reshape(k, n)
    late = np.flatnonzero(np.linalg.norm(residual, axis=1) > TOLERANCE * scale)
    for s in late:
        single = structure.matrix(data[s])
        inverse = 1.0 / single.diagonal()
        preconditioners = (
            spla.LinearOperator((n, n), matvec=solver.precondition),
            spla.LinearOperator((n, n), matvec=inverse.__mul__),
        )
        solution = krylov(single, rhs[s], x[s], TOLERANCE, preconditioners)
        if solution is None:
            raise _unsolvable(int(numbers[s]))
        x[s] = solution
    return x
