"""The calculation engine: matrices, solvers, footprints and Monte Carlo."""

from tanzuji.engine.calculate import NetworkResults, calculate, solve_system
from tanzuji.engine.footprint import Contribution, Footprint, Provenance, UncertaintyResult
from tanzuji.engine.montecarlo import MonteCarloResult, monte_carlo
from tanzuji.engine.solver import Solver
from tanzuji.engine.system import System, build_system

__all__ = [
    "Contribution",
    "Footprint",
    "MonteCarloResult",
    "NetworkResults",
    "Provenance",
    "Solver",
    "System",
    "UncertaintyResult",
    "build_system",
    "calculate",
    "monte_carlo",
    "solve_system",
]
