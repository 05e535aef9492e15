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
    significant,
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


TEN_PLANTS = {
    "enterprise A": [412.3, 521.4, 648.9, 806.1],
    "enterprise B": [455.8, 563.7, 741.6],
    "enterprise C": [498.6, 607.2, 702.5],
}
"""The ten cement plants (kg CO2e/t) of three enterprises of the docs' worked example."""


class TestPercentileBasis:
    def test_ten_plants_of_three_enterprises(self) -> None:
        # sorted: 412.3 455.8 498.6 521.4 563.7 607.2 648.9 702.5 741.6 806.1;
        # position (10 - 1) x p between them, then 3 significant digits:
        # 20th: 1.8 -> 455.8 + 0.8 x 42.8 = 490.04 -> 490
        # 40th: 3.6 -> 521.4 + 0.6 x 42.3 = 546.78 -> 547
        # 60th: 5.4 -> 607.2 + 0.4 x 41.7 = 623.88 -> 624
        # 80th: 7.2 -> 702.5 + 0.2 x 39.1 = 710.32 -> 710
        b = percentile_benchmark("cement", "1 t cement", TEN_PLANTS, DAY, "v1")
        assert b.thresholds == (490.0, 547.0, 624.0, 710.0)
        assert b.source == (
            "computed from 10 verified footprints of 3 enterprises on 2026-03-01, "
            "rounded to 3 significant digits"
        )
        assert b.parameters == {
            "percentiles": [20.0, 40.0, 60.0, 80.0],
            "method": "linear",
            "sample": 10,
            "enterprises": 3,
            "significant_digits": 3,
            "computed_on": "2026-03-01",
        }
        assert "enterprise A" not in str(b.to_row())  # how many enterprises, never which

    def test_eleven_products_would_publish_footprints_unrounded(self) -> None:
        # with 11 products the positions 2, 4, 6, 8 fall ON footprints: rounding hides them
        plants = {"A": [500.123, 510.456, 520.789, 530.111], "B": [540.222, 550.333, 560.444],
                  "C": [570.555, 580.666, 590.777, 600.888]}  # fmt: skip
        b = percentile_benchmark("cement", "1 t cement", plants, DAY, "v1")
        # positions (11 - 1) x 20 % = 2, 4, 6, 8: 520.789, 540.222, 560.444, 580.666 exactly
        assert b.thresholds == (521.0, 540.0, 560.0, 581.0)
        every = {v for values in plants.values() for v in values}
        assert not every & set(b.thresholds)

    @pytest.mark.parametrize(
        ("plants", "message"),
        [
            (
                {"A": [1, 2, 3, 4, 5, 6]},
                r"has 6 verified footprint\(s\) of 1 enterprise\(s\); a percentile benchmark "
                r"needs at least 10 products of at least 3 enterprises .*: 4 more product\(s\) "
                r"and 2 more enterprise\(s\) needed",
            ),
            (
                {"A": [1, 2, 3, 4, 5], "B": [6, 7, 8, 9, 10]},
                r"of 2 enterprise\(s\).*: 1 more enterprise\(s\) needed",
            ),
            (
                {"A": [1, 2, 3, 4], "B": [5, 6, 7], "C": [8, 9]},
                r"has 9 verified footprint\(s\) of 3 .*: 1 more product\(s\) needed",
            ),
            (
                {"A": [1, 2, 3, 4, 5, 6], "B": [7, 8], "C": [9, 10]},
                r"one enterprise makes 6 of the 10 verified products; .* more than 50%",
            ),
            (
                {"A": [1, 2, 3, 4], "B": [5, 6, 7], "C": [8, 9], "D": []},
                r"has 9 verified footprint\(s\) of 3 enterprise",  # D has none: not counted
            ),
        ],
    )
    def test_what_would_disclose_footprints_is_refused(
        self, plants: dict[str, list[float]], message: str
    ) -> None:
        with pytest.raises(BenchmarkError, match=message) as refused:
            percentile_benchmark("coke", "1 t coke", plants, DAY, "v1")
        assert refused.value.field == "footprints"

    def test_half_of_the_products_is_not_dominant(self) -> None:
        plants = {"A": [1, 2, 3, 4, 5], "B": [6, 7, 8], "C": [9, 10]}
        assert (
            percentile_benchmark("coke", "1 t coke", plants, DAY, "v1").parameters["sample"] == 10
        )

    def test_too_alike(self) -> None:
        plants = {"A": [5, 5, 5, 5], "B": [5, 5, 5], "C": [5, 5, 6]}
        with pytest.raises(BenchmarkError, match="too alike for five grades"):
            percentile_benchmark("coke", "1 t coke", plants, DAY, "v1")

    def test_too_alike_once_rounded(self) -> None:
        # percentiles 1000.18, 1000.36, …: all 1000 to 3 significant digits
        plants = {"A": [1000.0, 1000.1, 1000.2, 1000.3], "B": [1000.4, 1000.5, 1000.6],
                  "C": [1000.7, 1000.8, 1000.9]}  # fmt: skip
        with pytest.raises(BenchmarkError, match=r"1000, 1000, 1000, 1000 to 3 significant"):
            percentile_benchmark("coke", "1 t coke", plants, DAY, "v1")


class TestSignificant:
    @pytest.mark.parametrize(
        ("value", "rounded"),
        [
            (490.04, 490.0),
            (546.78, 547.0),
            (0.5775, 0.578),  # half away from zero on the decimal written, not the binary
            (-0.012345, -0.0123),
            (1234567.0, 1230000.0),
            (0.0, 0.0),
            (9.995, 10.0),
        ],
    )
    def test_three_digits(self, value: float, rounded: float) -> None:
        assert significant(value) == rounded


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

    def test_ten_cement_plants_on_the_percentile_basis(self) -> None:
        b = percentile_benchmark("cement", "1 t cement", TEN_PLANTS, DAY, "v1")
        assert b.thresholds == (490.0, 547.0, 624.0, 710.0)
        shown = " ".join(self.text.split())
        assert "412.3, 455.8, 498.6, 521.4, 563.7, 607.2, 648.9, 702.5, 741.6, 806.1" in shown
        assert "A makes 412.3, 521.4, 648.9 and 806.1, B 455.8, 563.7 and 741.6" in shown
        assert "C 498.6, 607.2 and 702.5" in shown
        assert "t1 = 455.8 + 0.8 × 42.8 = 490.04 → 490" in shown
        assert "t2 = 521.4 + 0.6 × 42.3 = 546.78 → 547" in shown
        assert "t3 = 607.2 + 0.4 × 41.7 = 623.88 → 624" in shown
        assert "t4 = 702.5 + 0.2 × 39.1 = 710.32 → 710" in shown
        assert "at least 10 products of at least 3 enterprises" in shown
        assert "no enterprise making more than half of them" in shown
        # each grade then holds two plants
        plants = sorted(v for values in TEN_PLANTS.values() for v in values)
        assert [grade(v, b).grade for v in plants] == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


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


@given(st.floats(min_value=-1e12, max_value=1e12).filter(lambda v: v == 0 or abs(v) > 1e-12))
def test_rounding_keeps_three_digits_and_moves_at_most_half_a_unit(value: float) -> None:
    rounded = significant(value)
    if value == 0:
        assert rounded == 0
        return
    unit = 10 ** (math.floor(math.log10(abs(value))) - 2)  # the 3rd significant digit's place
    assert abs(rounded - value) <= unit / 2 * (1 + 1e-9)
    assert significant(rounded) == rounded
