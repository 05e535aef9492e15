"""Benchmark of the LCA matrix engine: build, every footprint, Monte Carlo, and bw2calc.

Run ``python -m benchmarks.engine`` from the repository root (``make bench``);
``--help`` lists the options. For each synthetic network (see
:mod:`benchmarks.networks`) it measures, in a fresh process so that the peak
memory belongs to that network alone:

* ``build_s``: product models to matrices (``Network`` and ``build_system``);
* ``factorize_s``: the solver state on its own (loop analysis and LU, or the
  incomplete LU of the iterative solver);
* ``all_footprints_s``: ``solve_system``, i.e. every product's total, by gas
  and by stage, after build (the factorization included);
* ``mc_s``: Monte Carlo of every footprint of the whole network;
* ``peak_rss_mb``: the process's peak resident memory before bw2calc runs;
* with bw2calc installed, its first calculation (one demand, from the
  datapackage) and its all-products calculation on the identical matrices,
  the largest relative difference from tanzuji's totals and
  ``ratio_vs_bw2calc`` = bw2calc's all-products time / ``all_footprints_s``
  (above 1: tanzuji is faster).

Also 10,000 Monte Carlo iterations of a single product with 50 lines. Each
figure with a target is printed beside it as a ratio and PASS or MISS; the
script exits 0 either way.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import resource
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from multiprocessing import get_context
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from benchmarks import networks
from tanzuji.engine.calculate import NetworkResults, calculate, solve_system
from tanzuji.engine.montecarlo import monte_carlo
from tanzuji.engine.solver import Solver
from tanzuji.engine.system import System, build_system
from tanzuji.model.network import Network

Record = dict[str, Any]
T = TypeVar("T")
Array = npt.NDArray[np.float64]

SIZES = (1_000, 10_000, 50_000)
UNIFORM_BW2CALC_LIMIT = 10_000
"""Largest uniform network bw2calc runs on unless --bw2calc-large-uniform is given."""
SINGLE_LINES = 50
IMPACT = "GWP100"


@dataclass(frozen=True)
class Settings:
    """What to run, from the command line."""

    sizes: tuple[int, ...]
    shapes: tuple[str, ...]
    seed: int
    repeat: int
    mc_iterations: int
    mc_max_size: int
    single_iterations: int
    bw2calc: bool
    bw2calc_large_uniform: bool
    bw2calc_budget: float
    json: bool


@dataclass(frozen=True)
class Target:
    """A figure's goal: the largest ``key`` of the records ``applies`` picks stays at ``limit``."""

    label: str
    key: str
    limit: float
    applies: Callable[[Record], bool]


def _network(shape: str, size: int) -> Callable[[Record], bool]:
    return lambda r: r.get("shape") == shape and r.get("n_products") == size


TARGETS = (
    *(
        Target(
            f"every footprint, {shape} 50,000 (s)", "all_footprints_s", 0.5, _network(shape, 50_000)
        )
        for shape in networks.SHAPES
    ),
    *(
        Target(f"build, {shape} 50,000 (s)", "build_s", 5.0, _network(shape, 50_000))
        for shape in networks.SHAPES
    ),
    *(
        Target(f"MC 1,000 iterations, {shape} 10,000 (s)", "mc_s", 10.0, _network(shape, 10_000))
        for shape in networks.SHAPES
    ),
    Target(
        f"MC 10,000 iterations, one {SINGLE_LINES}-line product (s)",
        "single_mc_s",
        1.0,
        lambda r: r.get("case") == "single-product",
    ),
    Target(
        "peak memory, any network (MB)", "peak_rss_mb", 2048.0, lambda r: r.get("case") == "network"
    ),
)


def _timed(run: Callable[[], T]) -> tuple[T, float]:
    """``run()`` and its wall-clock time in seconds."""
    start = time.perf_counter()
    value = run()
    return value, time.perf_counter() - start


def _best(run: Callable[[], T], repeat: int) -> tuple[T, float]:
    """The last value of ``repeat`` runs and the fastest of their times."""
    value, best = _timed(run)
    for _ in range(repeat - 1):
        value, seconds = _timed(run)
        best = min(best, seconds)
    return value, best


def _peak_mb() -> float:
    """This process's peak resident set size in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def bench_network(shape: str, size: int, settings: Settings) -> Record:
    """Every figure of one network; meant to run in a process of its own."""
    factors = networks.factor_set(settings.seed)
    models, generate_s = _timed(lambda: networks.network(shape, size, settings.seed))
    system, build_s = _timed(lambda: build_system(Network(models), factors))
    matrix = system.technosphere_transposed()
    solver, factorize_s = _best(lambda: Solver(matrix, system.products), settings.repeat)
    results, footprints_s = _best(lambda: solve_system(system), settings.repeat)
    record: Record = {
        "case": "network",
        "shape": shape,
        "n_products": system.size,
        "n_lines": len(system.lines),
        "nnz": int(matrix.nnz),
        "bio_nnz": len(system.bio),
        "largest_loop": solver.largest_loop,
        "method": results.solver.method,
        "solver": results.solver.description,
        "generate_s": generate_s,
        "build_s": build_s,
        "factorize_s": factorize_s,
        "all_footprints_s": footprints_s,
    }
    record.update(_monte_carlo(results, size, settings))
    record["peak_rss_mb"] = _peak_mb()
    record.update(bw2calc_figures(system, results, shape, settings))
    if record.get("bw2calc_all_s") is not None:
        record["ratio_vs_bw2calc"] = record["bw2calc_all_s"] / footprints_s
    return record


def _monte_carlo(results: NetworkResults, size: int, settings: Settings) -> Record:
    """Monte Carlo time of the whole network, or why it was skipped."""
    if size > settings.mc_max_size:
        return {
            "mc_iterations": 0,
            "mc_s": None,
            "mc": f"skipped (over --mc-max-size {settings.mc_max_size})",
        }
    _, seconds = _timed(lambda: monte_carlo(results, settings.mc_iterations, seed=settings.seed))
    return {"mc_iterations": settings.mc_iterations, "mc_s": seconds, "mc": "ran"}


def bench_single(settings: Settings) -> Record:
    """Monte Carlo of one product with :data:`SINGLE_LINES` uncertain lines."""
    model = networks.single_product(SINGLE_LINES, settings.seed)
    results = calculate([model], networks.factor_set(settings.seed))
    iterations = settings.single_iterations
    _, plain = _best(lambda: monte_carlo(results, iterations, seed=settings.seed), settings.repeat)
    _, explained = _best(
        lambda: monte_carlo(results, iterations, seed=settings.seed, explain=model.id),
        settings.repeat,
    )
    return {
        "case": "single-product",
        "n_products": 1,
        "n_lines": len(results.system.lines),
        "mc_iterations": iterations,
        "single_mc_s": plain,
        "single_mc_explain_s": explained,
        "peak_rss_mb": _peak_mb(),
    }


def bw2calc_figures(
    system: System, results: NetworkResults, shape: str, settings: Settings
) -> Record:
    """bw2calc on the identical matrices, or why it did not run."""
    if not settings.bw2calc:
        return {"bw2calc": "off (--no-bw2calc)"}
    if importlib.util.find_spec("bw2calc") is None:
        return {"bw2calc": "not installed (pip install bw2calc, the 'bench' extra)"}
    if (
        shape == "uniform"
        and system.size > UNIFORM_BW2CALC_LIMIT
        and not settings.bw2calc_large_uniform
    ):
        return {
            "bw2calc": f"skipped (uniform over {UNIFORM_BW2CALC_LIMIT:,} products: a direct "
            "LU fills in for many minutes; --bw2calc-large-uniform runs it)"
        }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # bw2calc warns when pypardiso is missing
        import bw2calc
        import bw_processing
    backend = "pypardiso" if bw2calc.PYPARDISO else "umfpack" if bw2calc.UMFPACK else "superlu"
    gwp = results.gwp.vector(system.flows)
    package, package_s = _timed(lambda: _datapackage(bw_processing, system, gwp))
    first = system.size - 1
    first_score, first_s = _timed(lambda: _first_score(bw2calc, package, first))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if backend == "superlu":
            compared, scores, all_s, how = _loop_scores(
                bw2calc, package, system.size, settings.bw2calc_budget, settings.seed
            )
        else:
            compared, scores, all_s, how = _adjoint_scores(bw2calc, package)
    ours = results.total[np.append(compared, first)]
    theirs = np.append(scores, first_score)
    difference = np.abs(ours - theirs) / np.maximum(np.abs(theirs), np.finfo(float).tiny)
    return {
        "bw2calc": "ran",
        "bw2calc_version": bw2calc.__version__,
        "bw2calc_backend": backend,
        "bw2calc_package_s": package_s,
        "bw2calc_first_s": first_s,
        "bw2calc_all_s": all_s,
        "bw2calc_all_method": how,
        "bw2calc_compared": int(np.unique(np.append(compared, first)).size),
        "bw2calc_max_rel_diff": float(difference.max()),
        "peak_rss_with_bw2calc_mb": _peak_mb(),
    }


def _datapackage(bw_processing: Any, system: System, gwp: Array) -> Any:
    """``I - M``, ``B`` and the GWP vector as a bw_processing datapackage.

    Products and activities share the ids ``0 … n-1``; flows are ``n …``.
    """
    n, flows = system.size, len(system.flows)
    technosphere = system.technosphere_transposed().T.tocoo()
    emissions = system.emissions().tocoo()
    package = bw_processing.create_datapackage()
    for matrix, rows, cols, data, extra in (
        ("technosphere_matrix", technosphere.row, technosphere.col, technosphere.data, {}),
        ("biosphere_matrix", emissions.row + n, emissions.col, emissions.data, {}),
        (
            "characterization_matrix",
            np.arange(flows) + n,
            np.zeros(flows, dtype=int),
            gwp,
            {"identifier": [IMPACT]},
        ),
    ):
        indices = np.empty(len(data), dtype=bw_processing.INDICES_DTYPE)
        indices["row"], indices["col"] = rows, cols
        package.add_persistent_vector(
            matrix=matrix,
            indices_array=indices,
            data_array=np.asarray(data, dtype=np.float64),
            **extra,
        )
    return package


def _first_score(bw2calc: Any, package: Any, product: int) -> float:
    """bw2calc's first calculation: load the matrices, solve one demand, characterize."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lca = bw2calc.LCA({product: 1.0}, data_objs=[package])
        lca.lci()
        lca.lcia()
    return float(lca.score)


def _loop_scores(
    bw2calc: Any, package: Any, size: int, budget: float, seed: int
) -> tuple[npt.NDArray[np.intp], Array, float, str]:
    """Every product's score the way bw2calc's API gives it without pypardiso or UMFPACK.

    ``LCA.lci(factorize=True)`` once, then ``LCA.lcia(demand)`` for each product
    in random order until ``budget`` seconds have passed; the time for all
    products is extrapolated from the products done.
    """
    lca = bw2calc.LCA({0: 1.0}, data_objs=[package])

    def factorize() -> None:
        lca.lci(factorize=True)
        lca.lcia()

    _, factorize_s = _timed(factorize)
    order = np.random.default_rng(seed).permutation(size)
    scores = []
    start = time.perf_counter()
    for product in order:
        lca.lcia(demand={int(product): 1.0})
        scores.append(float(lca.score))
        if time.perf_counter() - start > budget:
            break
    per_product = (time.perf_counter() - start) / len(scores)
    done = len(scores)
    how = (
        f"LCA.lci(factorize=True) + LCA.lcia(demand) per product; "
        f"{'all' if done == size else f'{done:,} of {size:,} timed, rest extrapolated'}"
    )
    return order[:done], np.asarray(scores), factorize_s + per_product * size, how


def _adjoint_scores(bw2calc: Any, package: Any) -> tuple[npt.NDArray[np.intp], Array, float, str]:
    """Every product's score from one adjoint solve (``FastScoresOnlyMultiLCA``)."""
    multi = bw2calc.FastScoresOnlyMultiLCA(
        demands={"first": {0: 1.0}},
        method_config={"impact_categories": [(IMPACT,)]},
        data_objs=[package],
        direction="adjoint",
    )
    _, seconds = _timed(multi.calculate)
    scores = multi.product_scores
    products = np.asarray(scores.coords["products"].values, dtype=np.intp)
    return (
        products,
        np.asarray(scores.values[0], dtype=np.float64),
        seconds,
        "FastScoresOnlyMultiLCA(direction='adjoint'), load included",
    )


def _isolated(function: Callable[..., Record], *args: Any) -> Record:
    """``function(*args)`` in a fresh process, so that its peak memory is its own."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(function, *args).result()


def evaluate(records: Sequence[Record]) -> list[Record]:
    """Each target with its figure, the ratio figure/target and PASS, MISS or not run."""
    checks = []
    for target in TARGETS:
        figures = [
            r[target.key] for r in records if target.applies(r) and r.get(target.key) is not None
        ]
        figure = max(figures) if figures else None
        ratio = figure / target.limit if figure is not None else None
        verdict = "not run" if ratio is None else "PASS" if ratio <= 1.0 else "MISS"
        checks.append(
            {
                "target": target.label,
                "figure": figure,
                "limit": target.limit,
                "ratio": ratio,
                "verdict": verdict,
            }
        )
    return checks


COLUMNS = (
    ("shape", "shape", 8, "s"),
    ("n", "n_products", 7, ","),
    ("nnz", "nnz", 8, ","),
    ("loop", "largest_loop", 6, ","),
    ("gen s", "generate_s", 7, ".2f"),
    ("build s", "build_s", 7, ".2f"),
    ("factor s", "factorize_s", 8, ".3f"),
    ("all fp s", "all_footprints_s", 8, ".3f"),
    ("MC s", "mc_s", 7, ".2f"),
    ("peak MB", "peak_rss_mb", 7, ".0f"),
    ("bw first s", "bw2calc_first_s", 10, ".3f"),
    ("bw all s", "bw2calc_all_s", 9, ".2f"),
    ("ratio", "ratio_vs_bw2calc", 7, ".1f"),
    ("max rel diff", "bw2calc_max_rel_diff", 12, ".1e"),
)
"""Table columns: title, record key, width, format."""


def print_header() -> None:
    """The table's column names."""
    print("  ".join(title.rjust(width) for title, _, width, _ in COLUMNS), flush=True)


def _cell(record: Record, key: str, width: int, form: str) -> str:
    """One right-aligned table cell, ``-`` where the figure is missing."""
    value = record.get(key)
    return "-".rjust(width) if value is None else format(value, f">{width}{form}")


def print_record(record: Record) -> None:
    """One table row (or the single-product figures) with notes beneath."""
    if record["case"] == "single-product":
        print(
            f"single product, {record['n_lines']} lines: {record['mc_iterations']:,} MC "
            f"iterations {record['single_mc_s']:.3f} s ({record['single_mc_explain_s']:.3f} s "
            f"with contribution to variance), peak {record['peak_rss_mb']:.0f} MB",
            flush=True,
        )
        return
    print("  ".join(_cell(record, key, width, form) for _, key, width, form in COLUMNS))
    notes = [record["solver"], f"MC {record['mc']}"]
    if record["bw2calc"] == "ran":
        notes.append(
            f"bw2calc {record['bw2calc_version']} ({record['bw2calc_backend']}): "
            f"{record['bw2calc_all_method']}; {record['bw2calc_compared']:,} products "
            f"compared; peak with bw2calc {record['peak_rss_with_bw2calc_mb']:.0f} MB"
        )
    else:
        notes.append(f"bw2calc {record['bw2calc']}")
    for note in notes:
        print(f"    {note}")
    sys.stdout.flush()


def print_targets(checks: Sequence[Record]) -> None:
    """The targets table."""
    print("\ntargets (2-core machine)")
    for check in checks:
        figure = "-" if check["figure"] is None else f"{check['figure']:.3f}"
        ratio = "-" if check["ratio"] is None else f"{check['ratio']:.2f}"
        print(
            f"  {check['target']:<46} {figure:>10} / {check['limit']:<7g} = {ratio:>6}  "
            f"{check['verdict']}"
        )


def parse_args(argv: Sequence[str] | None) -> Settings:
    """Read the command line into :class:`Settings`."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.engine", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--sizes",
        type=lambda text: tuple(int(s) for s in text.split(",")),
        default=SIZES,
        help="comma-separated network sizes (default: 1000,10000,50000)",
    )
    parser.add_argument("--quick", action="store_true", help="1,000 products only")
    parser.add_argument(
        "--shapes",
        type=lambda text: tuple(text.split(",")),
        default=networks.SHAPES,
        help="tiered,uniform (default: both)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs of the factorization and of every footprint; the fastest counts (default 3)",
    )
    parser.add_argument("--mc-iterations", type=int, default=1000)
    parser.add_argument(
        "--mc-max-size",
        type=int,
        default=10_000,
        help="largest network to run Monte Carlo on (default 10000)",
    )
    parser.add_argument("--single-iterations", type=int, default=10_000)
    parser.add_argument(
        "--no-bw2calc",
        dest="bw2calc",
        action="store_false",
        help="do not run bw2calc even if it is installed",
    )
    parser.add_argument(
        "--bw2calc-large-uniform",
        action="store_true",
        help=f"run bw2calc on uniform networks over {UNIFORM_BW2CALC_LIMIT:,} "
        "products too (SuperLU: tens of minutes at 50,000)",
    )
    parser.add_argument(
        "--bw2calc-budget",
        type=float,
        default=20.0,
        help="seconds of bw2calc's per-product loop before extrapolating "
        "(without pypardiso or UMFPACK; default 20)",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="one JSON object per line: each network, the single product, then the targets",
    )
    args = parser.parse_args(argv)
    unknown = set(args.shapes) - set(networks.SHAPES)
    if unknown:
        parser.error(f"unknown shape(s) {', '.join(sorted(unknown))}")
    return Settings(
        sizes=(1_000,) if args.quick else args.sizes,
        shapes=args.shapes,
        seed=args.seed,
        repeat=max(args.repeat, 1),
        mc_iterations=args.mc_iterations,
        mc_max_size=args.mc_max_size,
        single_iterations=args.single_iterations,
        bw2calc=args.bw2calc,
        bw2calc_large_uniform=args.bw2calc_large_uniform,
        bw2calc_budget=args.bw2calc_budget,
        json=args.json,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run every network and the single product, print the figures and the targets."""
    settings = parse_args(argv)
    show = (lambda r: print(json.dumps(r), flush=True)) if settings.json else print_record
    if not settings.json:
        print(f"settings: {json.dumps(asdict(settings))}")
        print_header()
    records = []
    for size in settings.sizes:
        for shape in settings.shapes:
            records.append(_isolated(bench_network, shape, size, settings))
            show(records[-1])
    records.append(_isolated(bench_single, settings))
    show(records[-1])
    checks = evaluate(records)
    if settings.json:
        print(json.dumps({"case": "targets", "checks": checks}))
    else:
        print_targets(checks)
    return 0


if __name__ == "__main__":
    sys.exit(main())
