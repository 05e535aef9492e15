"""Graded management (分级管理): benchmarks per product category and the grade of a footprint.

A :class:`Benchmark` belongs to one product category (a rule id such as ``cement``) and gives
four thresholds t1 < t2 < t3 < t4 in kg CO2e per declared unit of that rule. They cut the
footprints into five grades, grade 1 the best::

    grade 1: value <= t1      grade 2: t1 < value <= t2      grade 3: t2 < value <= t3
    grade 4: t3 < value <= t4                                grade 5: value > t4

A value exactly at a threshold gets the better grade. The thresholds come from one of three
bases, a rule of tanzuji documented in ``docs/grading.md`` (no standard sets them):

- ``sector_percentile``: the 20th, 40th, 60th and 80th percentiles of the latest verified
  footprint of each product in the category (NumPy's ``linear`` method, type 7 of Hyndman &
  Fan 1996, the default of NumPy, R and Excel's PERCENTILE.INC); each grade then holds about
  a fifth of the products. The thresholds are public and the footprints they are made of are
  confidential, so the benchmark follows the threshold and dominance rules of statistical
  disclosure control (Hundepool et al., *Handbook on Statistical Disclosure Control*, ESSnet
  SDC 2010, ch. 4): at least :data:`MIN_SAMPLE` products of at least :data:`MIN_ENTERPRISES`
  enterprises, none making more than :data:`MAX_ENTERPRISE_SHARE` of them, and thresholds
  published to :data:`SIGNIFICANT_DIGITS` significant digits only (with few products a
  percentile *is* one product's footprint: with 6, the 20th to 80th are the 2nd to 5th).
- ``national_average``: a published average footprint (with its source) times four fractions
  the regulator chooses; :data:`DEFAULT_FRACTIONS` (0.7, 0.9, 1.1, 1.3) is tanzuji's default,
  a policy choice, not a standard's number: grade 3 is within 10 % of the average, grade 1 at
  least 30 % below it, grade 5 more than 30 % above it.
- ``limit_value``: the regulator gives the four thresholds directly (e.g. from a standard's
  limit values), with their source.
"""

from __future__ import annotations

import datetime
import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any, Final

import numpy as np

from tanzuji.errors import BenchmarkError

__all__ = [
    "DEFAULT_FRACTIONS",
    "GRADES",
    "MAX_ENTERPRISE_SHARE",
    "MIN_ENTERPRISES",
    "MIN_SAMPLE",
    "PERCENTILES",
    "PERCENTILE_METHOD",
    "SIGNIFICANT_DIGITS",
    "Basis",
    "Benchmark",
    "Grade",
    "Reduction",
    "average_benchmark",
    "grade",
    "limit_benchmark",
    "percentile_benchmark",
    "reduction_to_next_grade",
    "significant",
]

GRADES = (1, 2, 3, 4, 5)
"""The grades, 1 the best (lowest footprint)."""
PERCENTILES = (20.0, 40.0, 60.0, 80.0)
"""The percentiles of the verified footprints that give t1…t4 on the percentile basis."""
PERCENTILE_METHOD: Final = "linear"
"""NumPy's percentile method (Hyndman & Fan 1996 type 7)."""
MIN_SAMPLE = 10
"""The fewest products (one latest verified footprint each) a percentile benchmark is made of:
the minimum frequency (threshold) rule of statistical disclosure control, set above the usual
3 contributors because a percentile is not a sum: with n products the p-th percentile lies
between the two footprints around position (n - 1) × p / 100, so few products make each
threshold (nearly) one product's footprint, and one enterprise's own footprints tell it much of
the rest."""
MIN_ENTERPRISES = 3
"""The fewest distinct enterprises whose products a percentile benchmark is made of: the
threshold rule's usual minimum of 3 contributors (Hundepool et al. 2010, ch. 4): with 2, each
enterprise could read the other's footprints from the thresholds and its own."""
MAX_ENTERPRISE_SHARE = 0.5
"""The largest share of the products one enterprise may make in a percentile benchmark: a
dominance rule in the spirit of the (1, k)-dominance rule (Hundepool et al. 2010, ch. 4) on
the count of products, with k = 50 %: an enterprise making most of the products would know most
of the values the thresholds are made of, and the thresholds would describe it, not the
sector."""
SIGNIFICANT_DIGITS = 3
"""The significant digits a percentile threshold is published with (rounded half away from
zero), so that a threshold is never a product's footprint to full precision: 8.2741… kg CO2e
per kg is published as 8.27."""
DEFAULT_FRACTIONS = (0.7, 0.9, 1.1, 1.3)
"""tanzuji's default fractions of a published average that give t1…t4 (a policy choice)."""


class Basis(StrEnum):
    """Where a benchmark's thresholds come from."""

    NATIONAL_AVERAGE = "national_average"
    SECTOR_PERCENTILE = "sector_percentile"
    LIMIT_VALUE = "limit_value"


@dataclass(frozen=True)
class Benchmark:
    """The grading benchmark of one product category in one published version.

    ``thresholds`` are t1…t4 in kg CO2e per ``declared_unit`` (the rule's, e.g. ``1 t
    cement``); ``source`` names the publication or standard and year, or says which verified
    footprints the percentiles were computed from; ``parameters`` holds what the thresholds
    were derived from (the average and fractions, or the percentiles, method and sample size).
    """

    category: str
    declared_unit: str
    basis: Basis
    thresholds: tuple[float, float, float, float]
    source: str
    version: str
    parameters: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.category.strip():
            raise BenchmarkError("name the product category (a rule id)", "category")
        if not self.declared_unit.strip():
            raise BenchmarkError("give the declared unit of the category's rule", "declared_unit")
        if not self.source.strip():
            raise BenchmarkError(
                f"benchmark {self.category}: say where the thresholds come from", "source"
            )
        if len(self.thresholds) != 4:
            raise BenchmarkError(
                f"benchmark {self.category}: give four thresholds t1 < t2 < t3 < t4, "
                f"not {len(self.thresholds)}",
                "thresholds",
            )
        _check_thresholds(self.category, self.thresholds)

    @property
    def unit(self) -> str:
        """The unit of the thresholds, e.g. ``kgCO2e per 1 t cement``."""
        return f"kgCO2e per {self.declared_unit}"

    def to_row(self) -> dict[str, Any]:
        """The benchmark as one row of a published version (JSON, version left out: the
        version holds the rows)."""
        return {
            "category": self.category,
            "declared_unit": self.declared_unit,
            "basis": self.basis.value,
            "thresholds": list(self.thresholds),
            "unit": self.unit,
            "source": self.source,
            "parameters": dict(self.parameters),
        }

    @classmethod
    def from_row(cls, row: Mapping[str, Any], version: str) -> Benchmark:
        """A row of the published version ``version`` as a benchmark."""
        t1, t2, t3, t4 = (float(t) for t in row["thresholds"])
        return cls(
            category=str(row["category"]),
            declared_unit=str(row["declared_unit"]),
            basis=Basis(row["basis"]),
            thresholds=(t1, t2, t3, t4),
            source=str(row["source"]),
            version=version,
            parameters=dict(row.get("parameters") or {}),
        )


@dataclass(frozen=True)
class Grade:
    """The grade of one value, with the bounds of its grade (kg CO2e per declared unit):
    ``lower < value <= upper``; ``upper`` is the threshold the value fell under (``None`` for
    grade 5), ``lower`` the one above the next better grade (``None`` for grade 1)."""

    grade: int
    lower: float | None
    upper: float | None


@dataclass(frozen=True)
class Reduction:
    """What it takes to reach the next better grade: bring the value down to ``target`` (the
    threshold t of that grade), a cut of ``absolute`` kg CO2e per declared unit, ``percent``
    of the current value (``None`` where the value is not positive)."""

    next_grade: int
    target: float
    absolute: float
    percent: float | None


def grade(value: float, benchmark: Benchmark) -> Grade:
    """The grade of ``value`` (kg CO2e per the benchmark's declared unit).

    >>> b = limit_benchmark("cement", "1 t cement", (600, 700, 800, 900), "example", "v1")
    >>> grade(700.0, b)
    Grade(grade=2, lower=600.0, upper=700.0)
    >>> grade(950.0, b).grade
    5
    """
    if not math.isfinite(value):
        raise BenchmarkError(f"a footprint of {value} cannot be graded", "value")
    bounds = benchmark.thresholds
    for index, upper in enumerate(bounds):
        if value <= upper:
            return Grade(index + 1, bounds[index - 1] if index else None, upper)
    return Grade(5, bounds[-1], None)


def reduction_to_next_grade(value: float, benchmark: Benchmark) -> Reduction | None:
    """The cut that brings ``value`` to the next better grade (``None`` in grade 1).

    >>> b = limit_benchmark("cement", "1 t cement", (600, 700, 800, 900), "example", "v1")
    >>> reduction_to_next_grade(750.0, b)  # grade 3; grade 2 needs <= 700: 50 less, 6.67 %
    Reduction(next_grade=2, target=700.0, absolute=50.0, percent=6.666666666666667)
    """
    current = grade(value, benchmark)
    if current.grade == 1:
        return None
    target = benchmark.thresholds[current.grade - 2]
    absolute = value - target
    percent = absolute / value * 100 if value > 0 else None
    return Reduction(current.grade - 1, target, absolute, percent)


def limit_benchmark(
    category: str,
    declared_unit: str,
    thresholds: Sequence[float],
    source: str,
    version: str,
) -> Benchmark:
    """A benchmark whose thresholds the regulator gives directly (e.g. a standard's limits)."""
    values = _numbers(thresholds, "thresholds")
    if len(values) != 4:
        raise BenchmarkError(
            f"give four thresholds t1 < t2 < t3 < t4, not {len(values)}", "thresholds"
        )
    t1, t2, t3, t4 = values
    return Benchmark(category, declared_unit, Basis.LIMIT_VALUE, (t1, t2, t3, t4), source, version)


def average_benchmark(
    category: str,
    declared_unit: str,
    average: float,
    source: str,
    version: str,
    fractions: Sequence[float] = DEFAULT_FRACTIONS,
) -> Benchmark:
    """A benchmark at set fractions of a published average footprint ``average`` (kg CO2e per
    declared unit): t_i = average × fraction_i, multiplied as the decimals are written, so that
    a value exactly at a threshold as published gets the better grade (in binary floating
    point 735 × 1.1 would be 808.5000000000001 and 0.5777 × 0.7 would be 0.40438999999999997).

    >>> b = average_benchmark("cement", "1 t cement", 735.0, "GB/T 51366-2019", "v1")
    >>> b.thresholds  # 735 x 0.7, 0.9, 1.1, 1.3
    (514.5, 661.5, 808.5, 955.5)
    """
    (mean,) = _numbers([average], "average")
    if mean <= 0:
        raise BenchmarkError(
            f"a published average of {mean} cannot anchor grades: it must be above zero",
            "average",
        )
    shares = _numbers(fractions, "fractions")
    if len(shares) != 4 or any(s <= 0 for s in shares):
        raise BenchmarkError(
            "give four positive fractions of the average, e.g. 0.7, 0.9, 1.1, 1.3", "fractions"
        )
    _check_thresholds(category, shares, "fractions")
    t1, t2, t3, t4 = (_decimal_product(mean, share) for share in shares)
    return Benchmark(
        category,
        declared_unit,
        Basis.NATIONAL_AVERAGE,
        (t1, t2, t3, t4),
        source,
        version,
        {"average": mean, "fractions": list(shares)},
    )


def percentile_benchmark(
    category: str,
    declared_unit: str,
    footprints: Mapping[str, Sequence[float]],
    on: datetime.date,
    version: str,
) -> Benchmark:
    """A benchmark at the 20/40/60/80th percentiles of ``footprints`` (by enterprise, the latest
    verified footprint of each of its products in the category, kg CO2e per declared unit),
    computed ``on`` and rounded to :data:`SIGNIFICANT_DIGITS` significant digits. The published
    parameters say how many products and enterprises, never which.

    >>> plants = {"a": [412.3, 521.4, 648.9, 806.1], "b": [455.8, 563.7, 741.6],
    ...           "c": [498.6, 607.2, 702.5]}
    >>> b = percentile_benchmark("cement", "1 t cement", plants, datetime.date(2026, 3, 1), "v1")
    >>> b.thresholds  # positions 1.8, 3.6, 5.4, 7.2: 490.04, 546.78, 623.88, 710.32
    (490.0, 547.0, 624.0, 710.0)
    """
    by_enterprise = {
        str(enterprise): _numbers(values, "footprints")
        for enterprise, values in footprints.items()
        if values
    }
    values = [value for held in by_enterprise.values() for value in held]
    _check_disclosure(category, by_enterprise, len(values))
    cuts = np.percentile(np.asarray(values), list(PERCENTILES), method=PERCENTILE_METHOD)
    t1, t2, t3, t4 = (significant(float(cut)) for cut in cuts)
    if not t1 < t2 < t3 < t4:
        raise BenchmarkError(
            f"the verified footprints of category {category} are too alike for five grades "
            f"(percentiles {t1:g}, {t2:g}, {t3:g}, {t4:g} to {SIGNIFICANT_DIGITS} significant "
            "digits are not all different): use a published average or limit values",
            "footprints",
        )
    return Benchmark(
        category,
        declared_unit,
        Basis.SECTOR_PERCENTILE,
        (t1, t2, t3, t4),
        f"computed from {len(values)} verified footprints of {len(by_enterprise)} enterprises "
        f"on {on.isoformat()}, rounded to {SIGNIFICANT_DIGITS} significant digits",
        version,
        {
            "percentiles": list(PERCENTILES),
            "method": PERCENTILE_METHOD,
            "sample": len(values),
            "enterprises": len(by_enterprise),
            "significant_digits": SIGNIFICANT_DIGITS,
            "computed_on": on.isoformat(),
        },
    )


def significant(value: float, digits: int = SIGNIFICANT_DIGITS) -> float:
    """``value`` rounded to ``digits`` significant digits, half away from zero, on the shortest
    decimal that prints as ``value`` (so 0.5775 gives 0.578, not the binary 0.577).

    >>> significant(8.274134), significant(1234.5), significant(0.5775), significant(-0.012345)
    (8.27, 1230.0, 0.578, -0.0123)
    """
    exact = Decimal(repr(value))
    if exact == 0:
        return 0.0
    quantum = Decimal(1).scaleb(exact.adjusted() - digits + 1)
    return float(exact.quantize(quantum, rounding=ROUND_HALF_UP))


def _check_disclosure(
    category: str, by_enterprise: Mapping[str, Sequence[float]], products: int
) -> None:
    """:class:`BenchmarkError` unless the footprints are enough, of enough enterprises and
    none dominant, to publish percentiles of them (see :data:`MIN_SAMPLE`)."""
    enterprises = len(by_enterprise)
    missing = []
    if products < MIN_SAMPLE:
        missing.append(f"{MIN_SAMPLE - products} more product(s)")
    if enterprises < MIN_ENTERPRISES:
        missing.append(f"{MIN_ENTERPRISES - enterprises} more enterprise(s)")
    if missing:
        raise BenchmarkError(
            f"category {category} has {products} verified footprint(s) of {enterprises} "
            f"enterprise(s); a percentile benchmark needs at least {MIN_SAMPLE} products of at "
            f"least {MIN_ENTERPRISES} enterprises so that it discloses no one's footprint: "
            f"{' and '.join(missing)} needed; use a published average or limit values",
            "footprints",
        )
    largest = max(len(held) for held in by_enterprise.values())
    if largest > MAX_ENTERPRISE_SHARE * products:
        raise BenchmarkError(
            f"category {category}: one enterprise makes {largest} of the {products} verified "
            f"products; a percentile benchmark needs no enterprise making more than "
            f"{MAX_ENTERPRISE_SHARE:.0%} of them, so that it discloses no one's footprint: use a "
            "published average or limit values",
            "footprints",
        )


def _decimal_product(a: float, b: float) -> float:
    """``a × b`` computed on the shortest decimals that print as ``a`` and ``b``, then rounded
    once to the nearest float."""
    return float(Decimal(repr(a)) * Decimal(repr(b)))


def _numbers(values: Sequence[float], name: str) -> list[float]:
    """``values`` as finite floats, or :class:`BenchmarkError` naming ``name``."""
    numbers = []
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise BenchmarkError(f"{name}: {value!r} is not a number", name)
        if not math.isfinite(value):
            raise BenchmarkError(f"{name}: {value} is not a finite number", name)
        numbers.append(float(value))
    return numbers


def _check_thresholds(category: str, values: Sequence[float], name: str = "thresholds") -> None:
    finite = _numbers(values, name)
    if any(low >= high for low, high in itertools.pairwise(finite)):
        shown = ", ".join(f"{v:g}" for v in finite)
        raise BenchmarkError(
            f"benchmark {category}: {name} must rise strictly (t1 < t2 < t3 < t4), not {shown}",
            name,
        )
