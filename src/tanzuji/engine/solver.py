"""Solving ``(I - M)ᵀ x = b`` for many right-hand sides with state built once.

Which solver runs depends on the network's shape, decided once per network:

* **direct** — SuperLU (``scipy.sparse.linalg.splu``, COLAMD ordering) when
  every strongly connected component (every set of products that feed each
  other in a loop) is small. A supply chain made of tiers with a few loops
  then factorizes with little fill, and each further right-hand side costs two
  triangular solves.
* **iterative** — for networks with large loops, such as a uniformly random
  network, where a direct LU fills in catastrophically (hundreds of millions
  of entries at 50,000 products). All right-hand sides are first swept
  together by the Jacobi iteration, which converges at the rate at which the
  network's loops shrink (Saad 2003, *Iterative Methods for Sparse Linear
  Systems*, 4.1); what it leaves goes to BiCGSTAB (van der Vorst 1992)
  preconditioned with an incomplete LU factorization (``spilu``), built only
  then, or with the diagonal where even that fails.

Both give answers to about 1e-12 relative residual; :attr:`Solver.method`
says which ran, and footprints carry it in their provenance.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from scipy.sparse.csgraph import connected_components

from tanzuji.errors import SingularSystem

__all__ = ["DIRECT_LIMIT", "Solver", "krylov"]

DIRECT_LIMIT = 2000
"""Largest loop (strongly connected component, in products) for which a direct LU is used."""

JACOBI_SWEEPS = 200
"""Most Jacobi sweeps of the iterative method before BiCGSTAB takes over."""

JACOBI_STALL = 0.9
"""A sweep that shrinks the worst residual by less than this hands over to BiCGSTAB."""

KRYLOV_SLACK = 10.0
"""How far above ``rtol`` a Krylov answer's true relative residual may be (rounding)."""

Array = npt.NDArray[np.float64]


def krylov(
    matrix: sp.csr_array | sp.csc_array,
    rhs: Array,
    x0: Array | None,
    rtol: float,
    preconditioners: tuple[spla.LinearOperator, spla.LinearOperator],
) -> Array | None:
    """Solve ``matrix @ x = rhs``, each answer checked by its true residual; ``None`` if no
    method reaches ``rtol``.

    BiCGSTAB's recursive residual can drift from the true one, and an incomplete LU of a
    long loop can be a poor preconditioner; so BiCGSTAB with the first preconditioner comes
    first, then GMRES with it, then GMRES with the second (the diagonal), until
    ``‖rhs − matrix x‖ ≤ KRYLOV_SLACK · rtol · ‖rhs‖``.
    """
    n = matrix.shape[0]
    limit = KRYLOV_SLACK * rtol * np.linalg.norm(rhs)
    first, second = preconditioners
    x = x0
    for method, preconditioner in (("bicgstab", first), ("gmres", first), ("gmres", second)):
        if method == "bicgstab":
            x, _ = spla.bicgstab(
                matrix, rhs, x0=x, rtol=rtol, atol=0.0, maxiter=10 * n, M=preconditioner
            )
        else:
            x, _ = spla.gmres(
                matrix,
                rhs,
                x0=x,
                rtol=rtol,
                atol=0.0,
                restart=min(n, 100),
                maxiter=max(n // 10, 50),
                M=preconditioner,
            )
        if not np.all(np.isfinite(x)):
            x = x0
        elif np.linalg.norm(rhs - matrix @ x) <= limit:
            return np.asarray(x, dtype=np.float64)
    return None


class Solver:
    """Solves systems with one fixed matrix ``T = (I - M)ᵀ`` and any right-hand sides.

    ``labels`` name the rows (product ids) for error messages.
    """

    def __init__(
        self,
        matrix: sp.csr_array,
        labels: tuple[str, ...],
        *,
        method: str = "auto",
        rtol: float = 1e-12,
    ) -> None:
        self.matrix = sp.csr_array(matrix)
        self.labels = labels
        self.rtol = rtol
        size = self.matrix.shape[0]
        _, self.component = connected_components(self.matrix, directed=True, connection="strong")
        counts = np.bincount(self.component) if size else np.zeros(0, dtype=np.intp)
        self.largest_loop = int(counts.max()) if size else 0
        self.has_loops = self.largest_loop > 1 or bool(np.any(self.matrix.diagonal() != 1.0))
        if method == "auto":
            method = "direct" if self.largest_loop <= DIRECT_LIMIT else "iterative"
        if method not in ("direct", "iterative"):
            raise ValueError(f"unknown solver method {method!r}: use auto, direct or iterative")
        self.method = method
        self._lu: spla.SuperLU | None = None
        self._ilu: spla.SuperLU | None = None
        self._ilu_tried = True
        self.preconditioner = "none"
        if method == "direct":
            self._factorize()
        else:
            self._precondition()

    def loop_nodes(self) -> npt.NDArray[np.intp]:
        """Rows that lie on a loop: in a strongly connected component of two or more
        products, or consuming their own product."""
        sizes = np.bincount(self.component)
        in_loop = (sizes[self.component] > 1) | (self.matrix.diagonal() != 1.0)
        return np.flatnonzero(in_loop)

    def _factorize(self) -> None:
        try:
            self._lu = spla.splu(self.matrix.tocsc(), permc_spec="COLAMD")
        except RuntimeError as exc:  # SuperLU: "Factor is exactly singular"
            raise self._singular(np.arange(self.matrix.shape[0])) from exc
        fill = (self._lu.L.nnz + self._lu.U.nnz) / max(self.matrix.nnz, 1)
        self.description = f"direct: SuperLU (COLAMD), fill {fill:.2f}x"

    def _precondition(self) -> None:
        diagonal = self.matrix.diagonal()
        self._inverse_diagonal = np.where(
            diagonal != 0, 1.0 / np.where(diagonal != 0, diagonal, 1.0), 1.0
        )
        self._ilu_tried = False
        self.preconditioner = "diagonal"
        self.description = (
            f"iterative: Jacobi on all right-hand sides, then BiCGSTAB + ILU where needed "
            f"(largest loop {self.largest_loop} products)"
        )

    @property
    def ilu(self) -> spla.SuperLU | None:
        """The incomplete LU of the matrix, built on first use (``None`` if it fails)."""
        if not self._ilu_tried:
            self._ilu_tried = True
            try:
                self._ilu = spla.spilu(self.matrix.tocsc(), drop_tol=1e-5, fill_factor=3)
                self.preconditioner = "ILU"
            except RuntimeError:  # SuperLU: a zero pivot; the diagonal serves instead
                self._ilu = None
        return self._ilu

    def _operator(self, transposed: bool) -> spla.LinearOperator:
        n = self.matrix.shape[0]
        ilu = self.ilu
        if ilu is not None:
            trans = "T" if transposed else "N"
            return spla.LinearOperator((n, n), matvec=lambda v: ilu.solve(v, trans=trans))
        return self._diagonal_operator()

    def precondition(self, rhs: Array) -> Array:
        """An approximate solution ``P⁻¹ rhs``: exact for a direct solver.

        ``rhs`` may be ``(n,)`` or ``(n, k)``; used by Monte Carlo as the
        preconditioner of every sampled system (the ILU where it can be built).
        """
        if self._lu is not None:
            return np.asarray(self._lu.solve(rhs), dtype=np.float64)
        ilu = self.ilu
        if ilu is not None:
            return np.asarray(ilu.solve(rhs), dtype=np.float64)
        if rhs.ndim == 2:
            return rhs * self._inverse_diagonal[:, None]
        return rhs * self._inverse_diagonal

    def solve(self, rhs: Array, *, transposed: bool = False) -> Array:
        """Solve ``T x = rhs`` (``Tᵀ x = rhs`` if ``transposed``) for ``(n,)`` or ``(n, k)``.

        The iterative method first sweeps all right-hand sides together with the
        Jacobi iteration ``x ← x + D⁻¹(b − T x)`` (one sparse product per sweep for
        every column, converging at the rate of the network's loops); columns it
        leaves unconverged finish with ILU-preconditioned BiCGSTAB.
        """
        rhs = np.asarray(rhs, dtype=np.float64)
        if self._lu is not None:
            return np.asarray(
                self._lu.solve(rhs, trans="T" if transposed else "N"), dtype=np.float64
            )
        block = rhs.reshape(rhs.shape[0], -1)
        solution, converged = self._jacobi(block, transposed)
        for k in np.flatnonzero(~converged):
            solution[:, k] = self._iterate(block[:, k], transposed, solution[:, k])
        return solution.reshape(rhs.shape)

    def _jacobi(self, rhs: Array, transposed: bool) -> tuple[Array, npt.NDArray[np.bool_]]:
        matrix = self.matrix.T if transposed else self.matrix
        inverse = self._inverse_diagonal[:, None]
        x = rhs * inverse
        scale = np.maximum(np.linalg.norm(rhs, axis=0), np.finfo(float).tiny)
        previous = np.inf
        for _ in range(JACOBI_SWEEPS):
            residual = rhs - matrix @ x
            relative = np.linalg.norm(residual, axis=0) / scale
            worst = float(relative.max(initial=0.0))
            if worst <= self.rtol or worst > JACOBI_STALL * previous:
                break
            previous = worst
            x += residual * inverse
        converged = np.linalg.norm(rhs - matrix @ x, axis=0) <= self.rtol * scale
        return x, converged

    def _iterate(self, rhs: Array, transposed: bool, x0: Array | None) -> Array:
        if not np.any(rhs):
            return np.zeros_like(rhs)
        matrix = self.matrix.T if transposed else self.matrix
        solution = krylov(
            matrix, rhs, x0, self.rtol, (self._operator(transposed), self._diagonal_operator())
        )
        if solution is None:
            raise self._singular(np.arange(matrix.shape[0]))
        return solution

    def _diagonal_operator(self) -> spla.LinearOperator:
        n = self.matrix.shape[0]
        inverse = self._inverse_diagonal
        return spla.LinearOperator((n, n), matvec=lambda v: inverse * v)

    def assert_productive(self, x: Array) -> None:
        """Raise :class:`SingularSystem` unless every loop gives back less than it takes.

        ``x`` is the solution of ``(I - M)ᵀ x = 1``. With ``M ≥ 0``, ``(I - M)ᵀ``
        is a nonsingular M-matrix (every footprint finite and non-negative for
        non-negative emissions) exactly when that solution is positive; it is
        then at least 1 everywhere (Berman & Plemmons 1994, *Nonnegative
        Matrices in the Mathematical Sciences*, ch. 6, theorem 2.3: semipositivity).
        """
        bad = ~np.isfinite(x) | (x < 1.0 - 1e-9)
        if bad.any():
            raise self._singular(np.flatnonzero(bad))

    def _singular(self, rows: npt.NDArray[np.intp]) -> SingularSystem:
        components = np.unique(self.component[rows])
        loops = [np.flatnonzero(self.component == c) for c in components]
        loops = [loop for loop in loops if loop.size > 1] or loops
        names = sorted({self.labels[i] for loop in loops for i in loop[:20]})
        return SingularSystem(
            f"the supply chain has a loop without a solution: products {', '.join(names[:20])} "
            "consume each other at one unit or more per unit made, so no finite footprint "
            "balances them. Check the amounts and units of the lines that link them.",
            names,
        )
