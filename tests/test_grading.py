"""Graded management: the three bases of a benchmark, the grade of a value, the reduction to the
next grade; worked examples with the arithmetic written out, and properties that hold for any
benchmark."""

from __future__ import annotations

import datetime
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tanzuji.errors import BenchmarkError
from tanzuji.grading import (
    Basis,
    Benchmark,
    Grade,
    average_benchmark,
    grade,
    limit_benchmark,
    percentile_benchmark,
    reduction_to_next_grade,
)

DAY = datetime.date(2026, 3, 1)
DOCS = Path(__file__).parents[1] / "docs" / "grading.md"


def cement_limits() -> Benchmark:
    return limit_benchmark("cement", "1 t cement", (600, 700, 800, 900), "a limit table", "v1")


class TestGrade:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (-5.0, 1),  # a net sink is below every threshold
            (600.0, 1),  # at t1: the better grade
            (600.001, 2),
            (700.0, 2),
            (750.0, 3),
            (800.0, 3),
            (900.0, 4),
            (900.5, 5),
        ],
    )
    def test_the_five_grades(self, value: float, expected: int) -> None:
        assert grade(value, cement_limits()).grade == expected

    def test_the_bounds_of_the_grade(self) -> None:
        assert grade(750.0, cement_limits()) == Grade(3, 700.0, 800.0)
        best, worst = grade(10.0, cement_limits()), grade(1e4, cement_limits())
        assert (best.lower, best.upper) == (None, 600.0)
        assert (worst.lower, worst.upper) == (900.0, None)

    def test_not_a_number(self) -> None:
        with pytest.raises(BenchmarkError, match="a footprint of nan cannot be graded"):
            grade(math.nan, cement_limits())


class TestReduction:
    def test_from_grade_four(self) -> None:
        # 880 is in grade 4 (800 < 880 <= 900); grade 3 needs <= 800: 880 - 800 = 80 kg CO2e
        # per t less, 80 / 880 = 9.0909 %
        cut = reduction_to_next_grade(880.0, cement_limits())
        assert cut is not None
        assert (cut.next_grade, cut.target, cut.absolute) == (3, 800.0, 80.0)
        assert cut.percent == pytest.approx(9.0909, abs=1e-4)

    def test_grade_one_needs_none(self) -> None:
        assert reduction_to_next_grade(600.0, cement_limits()) is None

    def test_no_percentage_of_a_value_at_or_below_zero(self) -> None:
        below_zero = limit_benchmark("herb", "1 kg dried herb", (-4, -3, -2, -1), "s", "v1")
        cut = reduction_to_next_grade(0.0, below_zero)  # grade 5; grade 4 needs <= -1
        assert cut is not None
        assert (cut.next_grade, cut.absolute, cut.percent) == (4, 1.0, None)


class TestAverageBasis:
    def test_the_default_fractions(self) -> None:
        # GB/T 51366-2019's ordinary Portland cement, 735 kg CO2e/t:
        # 735 x 0.7 = 514.5, x 0.9 = 661.5, x 1.1 = 808.5, x 1.3 = 955.5
        b = average_benchmark("cement", "1 t cement", 735.0, "GB/T 51366-2019", "v1")
        assert b.thresholds == pytest.approx((514.5, 661.5, 808.5, 955.5))
        assert b.basis is Basis.NATIONAL_AVERAGE
        assert b.parameters == {"average": 735.0, "fractions": [0.7, 0.9, 1.1, 1.3]}
        assert b.unit == "kgCO2e per 1 t cement"

    @pytest.mark.parametrize(
        ("average", "thresholds"),
        [
            (735.0, (514.5, 661.5, 808.5, 955.5)),  # 735 x 1.1 is not 808.5000000000001
            (0.5777, (0.40439, 0.51993, 0.63547, 0.75101)),  # 0.5777 x 0.7 is not 0.40438999…
            (1990.0, (1393.0, 1791.0, 2189.0, 2587.0)),
        ],
    )
    def test_thresholds_are_the_decimal_products(
        self, average: float, thresholds: tuple[float, ...]
    ) -> None:
        b = average_benchmark("generic", "1 kg product", average, "s", "v1")
        assert b.thresholds == thresholds  # exactly, not approximately
        for i, t in enumerate(thresholds):  # so a value at a published threshold ...
            assert grade(t, b).grade == i + 1  # ... gets the better grade

    def test_fractions_the_regulator_chooses(self) -> None:
        # 2,000 x 0.8 = 1,600; x 0.95 = 1,900; x 1.05 = 2,100; x 1.2 = 2,400
        b = average_benchmark(
            "steel-bf-bof", "1 t crude steel", 2000, "s", "v1", (0.8, 0.95, 1.05, 1.2)
        )
        assert b.thresholds == pytest.approx((1600, 1900, 2100, 2400))

    @pytest.mark.parametrize(
        ("average", "fractions", "message"),
        [
            (0.0, (0.7, 0.9, 1.1, 1.3), "average of 0.0 cannot anchor grades"),
            (735.0, (0.7, 0.9, 1.1), "give four positive fractions"),
            (735.0, (0.9, 0.7, 1.1, 1.3), "fractions must rise strictly"),
            (735.0, (-0.1, 0.9, 1.1, 1.3), "give four positive fractions"),
        ],
    )
    def test_refused(self, average: float, fractions: tuple[float, ...], message: str) -> None:
        with pytest.raises(BenchmarkError, match=message):
            average_benchmark("cement", "1 t cement", average, "s", "v1", fractions)


class TestPercentileBasis:
    def test_seven_products(self) -> None:
        # sorted: 410 450 500 520 560 610 700; position (7 - 1) x p between them:
        # 20th: 1.2 -> 450 + 0.2 x 50 = 460;  40th: 2.4 -> 500 + 0.4 x 20 = 508
        # 60th: 3.6 -> 520 + 0.6 x 40 = 544;  80th: 4.8 -> 560 + 0.8 x 50 = 600
        b = percentile_benchmark(
            "cement", "1 t cement", [560, 410, 700, 500, 450, 610, 520], DAY, "v1"
        )
        assert b.thresholds == pytest.approx((460, 508, 544, 600))
        assert b.source == "computed from 7 verified footprints on 2026-03-01"
        assert b.parameters["method"] == "linear"
        assert b.parameters["sample"] == 7

    def test_too_few_products(self) -> None:
        with pytest.raises(BenchmarkError, match=r"has 4 verified footprint.*at least 5"):
            percentile_benchmark("coke", "1 t coke", [1, 2, 3, 4], DAY, "v1")

    def test_too_alike(self) -> None:
        with pytest.raises(BenchmarkError, match="too alike for five grades"):
            percentile_benchmark("coke", "1 t coke", [5, 5, 5, 5, 5, 6], DAY, "v1")


class TestBenchmark:
    def test_thresholds_rise_strictly(self) -> None:
        with pytest.raises(BenchmarkError, match=r"thresholds must rise strictly.*700, 700"):
            limit_benchmark("cement", "1 t cement", (600, 700, 700, 900), "s", "v1")

    def test_four_thresholds(self) -> None:
        with pytest.raises(BenchmarkError, match="four thresholds"):
            limit_benchmark("cement", "1 t cement", (600, 700, 900), "s", "v1")

    def test_a_source_is_required(self) -> None:
        with pytest.raises(BenchmarkError, match="say where the thresholds come from"):
            limit_benchmark("cement", "1 t cement", (1, 2, 3, 4), " ", "v1")

    def test_not_a_number(self) -> None:
        with pytest.raises(BenchmarkError, match="'700' is not a number"):
            limit_benchmark("cement", "1 t cement", (600, "700", 800, 900), "s", "v1")  # type: ignore[arg-type]

    def test_a_row_round_trip(self) -> None:
        b = average_benchmark("cement", "1 t cement", 735.0, "GB/T 51366-2019", "v1")
        assert Benchmark.from_row(b.to_row(), "v1") == b


class TestTheDocumentedExample:
    """The worked example of docs/grading.md, computed; each figure must appear in the docs."""

    text = DOCS.read_text(encoding="utf-8")

    def test_cement_on_the_average_basis(self) -> None:
        b = average_benchmark("cement", "1 t cement", 735.0, "GB/T 51366-2019", "v1")
        t1, t2, t3, t4 = b.thresholds
        assert (t1, t2, t3, t4) == (514.5, 661.5, 808.5, 955.5)
        assert grade(850.0, b) == Grade(4, 808.5, 955.5)
        cut = reduction_to_next_grade(850.0, b)
        assert cut is not None
        assert cut.percent is not None
        assert (cut.next_grade, cut.target, cut.absolute) == (3, 808.5, 41.5)
        assert f"{cut.percent:.2f}" == "4.88"
        for shown in (
            "t1 = 735 × 0.7 = 514.5",
            "t2 = 735 × 0.9 = 661.5",
            "t3 = 735 × 1.1 = 808.5",
            "t4 = 735 × 1.3 = 955.5",
            "A plant at 850 kg CO2e/t is in grade 4",
            "a cut of 41.5 kg CO2e/t, 41.5 / 850 = 4.88 %",
        ):
            assert shown in " ".join(self.text.split()), shown

    def test_seven_cement_plants_on_the_percentile_basis(self) -> None:
        plants = [410, 450, 500, 520, 560, 610, 700]
        b = percentile_benchmark("cement", "1 t cement", plants, DAY, "v1")
        assert b.thresholds == pytest.approx((460, 508, 544, 600), abs=1e-9)
        shown = " ".join(self.text.split())
        assert "410, 450, 500, 520, 560, 610, 700" in shown
        assert "t1 = 450 + 0.2 × 50 = 460, t2 = 500 + 0.4 × 20 = 508" in shown
        assert "t3 = 520 + 0.6 × 40 = 544, t4 = 560 + 0.8 × 50 = 600" in shown
        # each grade then holds its share: 410, 450 | 500 | 520 | 560 | 610, 700
        assert [grade(v, b).grade for v in plants] == [1, 1, 2, 3, 4, 5, 5]


rising = st.lists(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=4, max_size=4, unique=True
).map(sorted)
values = st.floats(min_value=-2e6, max_value=2e6, allow_nan=False)


def benchmark_of(thresholds: list[float]) -> Benchmark:
    return limit_benchmark("generic", "1 kg product", thresholds, "s", "v1")


@given(rising, values, values)
def test_the_grade_never_improves_as_the_value_rises(
    thresholds: list[float], a: float, b: float
) -> None:
    benchmark = benchmark_of(thresholds)
    low, high = min(a, b), max(a, b)
    assert grade(low, benchmark).grade <= grade(high, benchmark).grade


@given(rising, st.integers(min_value=0, max_value=3))
def test_a_value_at_a_threshold_gets_the_better_grade(thresholds: list[float], i: int) -> None:
    benchmark = benchmark_of(thresholds)
    assert grade(thresholds[i], benchmark).grade == i + 1
    assert grade(math.nextafter(thresholds[i], math.inf), benchmark).grade == i + 2


@given(rising, values)
def test_the_reduction_lands_on_the_next_threshold(thresholds: list[float], value: float) -> None:
    benchmark = benchmark_of(thresholds)
    now = grade(value, benchmark).grade
    cut = reduction_to_next_grade(value, benchmark)
    if now == 1:
        assert cut is None
        return
    assert cut is not None
    assert cut.target == thresholds[now - 2]
    assert cut.absolute == value - cut.target
    assert cut.absolute > 0
    assert grade(cut.target, benchmark).grade == now - 1
    assert math.isclose(value - cut.absolute, cut.target, rel_tol=1e-12, abs_tol=1e-6)
