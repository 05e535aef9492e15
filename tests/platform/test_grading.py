"""Graded management on the platform: benchmark versions published by the regulator (immutable,
hashed, audited), grades of footprints, an enterprise's standing and the regulator's
distribution, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from tanzuji.access import OrganizationKind, Role
from tanzuji.canonical import canonical_json, sha256_hex
from tanzuji.errors import Conflict, InvalidInput, NotFound, PermissionDenied, Tampered
from tanzuji.grading import Basis
from tanzuji.ledger.events import EventKind
from tanzuji.services.context import Context
from tanzuji.services.demo import load_demo
from tanzuji.services.demo_grading import PUBLISHED_AVERAGES
from tanzuji.services.grading import GradingService
from tanzuji.services.ledger import LedgerService
from tanzuji.services.ledger_audit import check_benchmarks
from tanzuji.services.oversight import OversightService
from tanzuji.services.submissions import SubmissionService
from tanzuji.services.verification import VerificationService
from tanzuji.store.models import BenchmarkVersion, Footprint, Submission
from tests.platform.factories import Clock, World, uscc
from tests.platform.test_submissions import TEA_TOTAL, tea_data

GRID = 0.5777  # kgCO2e per kWh, the factor set's 2024 grid electricity
TEA_KG = 50_000  # kg of green tea the example plant makes in the year
MAKERS = ("tea", "coal", "hill", "hill", "tea", "coal", "hill", "tea", "coal", "tea")
"""The enterprise of the k-th of the ten products: 4 of the tea enterprise, 3 each of the coal
enterprise and of a third tea grower, so no enterprise makes more than half of them."""
THRESHOLDS = (9.56, 10.6, 11.6, 12.7)
"""The ten products' percentiles as published: the footprints x_k = x0 + k x 0.5777 kgCO2e per
kg (x0 = tea_total(100,000) = 8.5156…) sit at positions (10 - 1) x 20 % = 1.8, 3.6, 5.4, 7.2:
t1 = x0 + 1.8 x 0.5777 = 9.5555 -> 9.56, t2 = x0 + 3.6 x 0.5777 = 10.5954 -> 10.6,
t3 = x0 + 5.4 x 0.5777 = 11.6352 -> 11.6, t4 = x0 + 7.2 x 0.5777 = 12.6751 -> 12.7
(3 significant digits); each grade then holds two of them: x0 x1 | x2 x3 | x4 x5 | x6 x7 |
x8 x9."""


def tea_total(electricity: float) -> float:
    """The example plant's footprint with ``electricity`` kWh instead of 240,000."""
    return TEA_TOTAL + (electricity - 240_000) * GRID / TEA_KG


@dataclass
class Made:
    submission: Submission
    footprint: Footprint


def verified(world: World, enterprise: str, code: str, electricity: float) -> Made:
    """A tea product of ``enterprise`` whose footprint went all the way to verified."""
    who = {"tea": "tea_user", "coal": "coal_admin", "hill": "hill_admin"}[enterprise]
    product = world.product(enterprise, code, "tea-green")
    submissions = SubmissionService(world.session, world.context(who))
    made = submissions.create(product.id, tea_data(electricity=electricity))
    footprint = submissions.calculate(made.id)
    submissions.submit(made.id)
    case = VerificationService(world.session, world.context("officer")).assign(
        made.id, world.organizations["verifier"].id
    )
    VerificationService(world.session, world.context("auditor")).decide(case.id, "accept")
    return Made(made, footprint)


def a_third_grower(world: World) -> None:
    """A third enterprise with a tea grower's admin, ``hill`` / ``hill_admin``."""
    world.organization("hill", OrganizationKind.ENTERPRISE, "示例山茶", uscc=uscc(7))
    world.member("hill_admin", "hill", Role.ENTERPRISE_ADMIN)


@pytest.fixture
def ten(world: World) -> list[Made]:
    """Ten verified green tea products of three enterprises (:data:`MAKERS`), 50,000 kWh
    apart: their footprints rise in steps of 50,000 x 0.5777 / 50,000 = 0.5777 kgCO2e per kg."""
    a_third_grower(world)
    return [
        verified(world, maker, f"{maker}-{k}", 100_000 + 50_000 * k)
        for k, maker in enumerate(MAKERS)  # 100,000 … 550,000 kWh
    ]


def grading(world: World, who: str = "officer") -> GradingService:
    return GradingService(world.session, world.context(who))


def publish_percentile(world: World, version: str = "GZ-BM-2026.1") -> BenchmarkVersion:
    rows = [{"category": "tea-green", "basis": "sector_percentile"}]
    return grading(world).publish(version, "绿茶分位基准", rows)


class TestPreview:
    def test_the_percentiles_of_ten_products(self, world: World, ten: list[Made]) -> None:
        b = grading(world).preview_percentile("tea-green")
        assert b.thresholds == THRESHOLDS  # exactly: see THRESHOLDS for the arithmetic
        assert b.basis is Basis.SECTOR_PERCENTILE
        assert b.declared_unit == "1 kg green tea"
        # how many products and enterprises, never which
        assert b.source == (
            "computed from 10 verified footprints of 3 enterprises on 2026-03-01, "
            "rounded to 3 significant digits"
        )
        assert (b.parameters["sample"], b.parameters["enterprises"]) == (10, 3)
        assert b.parameters["significant_digits"] == 3
        published = str(b.to_row())
        for made in ten:  # no footprint and no enterprise or product is in what is published
            assert repr(made.footprint.total_kgco2e) not in published
            assert str(made.submission.product_id) not in published
        for key in ("tea", "coal", "hill"):
            assert str(world.organizations[key].id) not in published

    def test_too_few_verified_products(self, world: World) -> None:
        verified(world, "tea", "only", 240_000)
        with pytest.raises(
            InvalidInput,
            match=r"has 1 verified footprint\(s\) of 1 enterprise\(s\).*at least 10 products of "
            r"at least 3 enterprises.*9 more product\(s\) and 2 more enterprise\(s\) needed",
        ) as refused:
            grading(world).preview_percentile("tea-green")
        assert refused.value.field == "category"

    def test_ten_products_of_two_enterprises_are_not_enough(self, world: World) -> None:
        for k in range(10):  # 5 of the tea enterprise, 5 of the coal enterprise
            verified(world, ("tea", "coal")[k % 2], f"p{k}", 100_000 + 50_000 * k)
        with pytest.raises(
            InvalidInput, match=r"of 2 enterprise\(s\).*1 more enterprise\(s\) needed"
        ):
            grading(world).preview_percentile("tea-green")

    def test_no_enterprise_may_make_most_of_the_products(self, world: World) -> None:
        # 6 of the tea enterprise's, 2 each of two others: 6 > 50 % of 10
        a_third_grower(world)
        for k, maker in enumerate(("tea",) * 6 + ("coal", "coal", "hill", "hill")):
            verified(world, maker, f"p{k}", 100_000 + 50_000 * k)
        with pytest.raises(
            InvalidInput, match="one enterprise makes 6 of the 10 verified products"
        ) as refused:
            grading(world).preview_percentile("tea-green")
        assert refused.value.field == "category"

    def test_a_calculated_footprint_does_not_count(self, world: World) -> None:
        submissions = SubmissionService(world.session, world.context("tea_user"))
        for k in range(10):
            made = submissions.create(world.product("tea", f"t{k}", "tea-green").id, tea_data())
            submissions.calculate(made.id)
        with pytest.raises(InvalidInput, match="has 0 verified"):
            grading(world).preview_percentile("tea-green")

    def test_an_unknown_category(self, world: World) -> None:
        with pytest.raises(InvalidInput, match="no product rule 'gold'") as refused:
            grading(world).preview_percentile("gold")
        assert refused.value.field == "category"

    def test_only_the_regulator(self, world: World) -> None:
        for who in ("tea_admin", "auditor", "banker"):
            with pytest.raises(PermissionDenied, match="benchmark:publish"):
                grading(world, who).preview_percentile("tea-green")


class TestPublish:
    def test_a_limit_and_an_average(self, world: World) -> None:
        stored = grading(world).publish(
            "GZ-BM-2026.1",
            "首批基准",
            [
                {
                    "category": "cement",
                    "basis": "national_average",
                    "average": 735,
                    "source": "GB/T 51366-2019 Annex D (普通硅酸盐水泥, 735 kgCO2e/t)",
                },
                {
                    "category": "tea-green",
                    "basis": "limit_value",
                    "thresholds": [8, 9, 10, 11],
                    "source": "a provincial limit table, 2026",
                },
            ],
        )
        assert (stored.category_count, stored.based_on) == (2, None)
        cement = grading(world).benchmarks("GZ-BM-2026.1")["cement"]
        # 735 x 0.7, 0.9, 1.1, 1.3
        assert cement.thresholds == pytest.approx((514.5, 661.5, 808.5, 955.5))
        assert cement.unit == "kgCO2e per 1 t cement"
        (event,) = (
            OversightService(world.session, world.context("officer"))
            .audit_log(action="benchmark.publish")
            .items
        )
        assert event.detail["sha256"] == stored.sha256
        assert event.detail["categories"] == ["cement", "tea-green"]
        entry = LedgerService(world.session, world.context("officer")).entry(
            event.detail["ledger_index"]
        )
        assert entry.kind is EventKind.BENCHMARK_PUBLISHED
        assert entry.body["version"] == "GZ-BM-2026.1"
        assert entry.body["rows_sha256"] == stored.sha256

    @pytest.mark.usefixtures("ten")
    def test_a_new_version_carries_the_other_categories_over(self, world: World) -> None:
        first = publish_percentile(world)
        world.clock.advance(days=30)
        limits = {"category": "cement", "basis": "limit_value", "thresholds": [1, 2, 3, 4]}
        second = grading(world).publish("GZ-BM-2026.2", "水泥", [{**limits, "source": "s"}])
        assert second.based_on == first.version
        assert [row["category"] for row in second.rows] == ["cement", "tea-green"]
        assert second.rows[1] == first.rows[0]  # carried over as it was
        assert grading(world).latest() == second
        assert [v.version for v in grading(world).versions()] == ["GZ-BM-2026.2", "GZ-BM-2026.1"]

    @pytest.mark.usefixtures("ten")
    def test_a_published_version_never_changes(self, world: World) -> None:
        publish_percentile(world)
        world.clock.advance(days=1)
        with pytest.raises(Conflict, match=r"GZ-BM-2026\.1 exists already"):
            publish_percentile(world, "gz-bm-2026.1")

    @pytest.mark.parametrize(
        ("row", "field", "message"),
        [
            ({"category": "gold", "basis": "limit_value"}, "benchmarks[0].category", "no product"),
            ({"category": "cement", "basis": "median"}, "benchmarks[0].basis", "basis is one of"),
            (
                {"category": "cement", "basis": "limit_value", "thresholds": [1, 2, 3, 4]},
                "benchmarks[0].source",
                "say where the values come from",
            ),
            (
                {
                    "category": "cement",
                    "basis": "limit_value",
                    "thresholds": [4, 3, 2, 1],
                    "source": "s",
                },
                "benchmarks[0].thresholds",
                "must rise strictly",
            ),
            (
                {
                    "category": "cement",
                    "basis": "national_average",
                    "average": "735",
                    "source": "s",
                },
                "benchmarks[0].average",
                "give the published average in kgCO2e per 1 t cement",
            ),
            (
                {
                    "category": "cement",
                    "basis": "national_average",
                    "average": 735,
                    "fractions": [1, 2],
                    "source": "s",
                },
                "benchmarks[0].fractions",
                "four positive fractions",
            ),
            ({"category": "tea-green", "basis": "sector_percentile"}, "benchmarks[0]", "has 0"),
        ],
    )
    def test_bad_rows_name_their_field(
        self, world: World, row: dict[str, object], field: str, message: str
    ) -> None:
        with pytest.raises(InvalidInput, match=message) as refused:
            grading(world).publish("v1", "t", [row])
        assert refused.value.field == field

    def test_a_category_twice(self, world: World) -> None:
        row = {"category": "cement", "basis": "limit_value", "thresholds": [1, 2, 3, 4]}
        with pytest.raises(InvalidInput, match="given twice") as refused:
            grading(world).publish("v1", "t", [{**row, "source": "a"}, {**row, "source": "b"}])
        assert refused.value.field == "benchmarks[1].category"

    @pytest.mark.parametrize(
        ("version", "title", "field"), [("", "t", "version"), ("v 1", "t", "version"),
                                        ("v1", " ", "title")]
    )  # fmt: skip
    def test_version_and_title(self, world: World, version: str, title: str, field: str) -> None:
        row = {"category": "cement", "basis": "limit_value", "thresholds": [1, 2, 3, 4]}
        with pytest.raises(InvalidInput) as refused:
            grading(world).publish(version, title, [{**row, "source": "s"}])
        assert refused.value.field == field

    def test_only_the_regulator_publishes(self, world: World) -> None:
        row = {"category": "cement", "basis": "limit_value", "thresholds": [1, 2, 3, 4]}
        with pytest.raises(PermissionDenied):
            grading(world, "tea_admin").publish("v1", "t", [{**row, "source": "s"}])

    @pytest.mark.usefixtures("ten")
    def test_edited_rows_are_detected(self, world: World) -> None:
        publish_percentile(world)
        world.session.execute(
            update(BenchmarkVersion).values(
                rows=[{**publish_row, "thresholds": [0, 1, 2, 3]}
                      for publish_row in grading(world).get("GZ-BM-2026.1").rows]
            )
        )  # fmt: skip
        world.session.expire_all()
        with pytest.raises(Tampered, match="no longer match the SHA-256"):
            grading(world).benchmarks("GZ-BM-2026.1")

    @pytest.mark.usefixtures("ten")
    def test_rows_rewritten_with_their_hash_are_named_by_the_ledger_audit(
        self, world: World
    ) -> None:
        publish_percentile(world)
        rows = [
            {**row, "thresholds": [0, 1, 2, 3]} for row in grading(world).get("GZ-BM-2026.1").rows
        ]
        world.session.execute(
            update(BenchmarkVersion).values(rows=rows, sha256=sha256_hex(canonical_json(rows)))
        )
        world.session.expire_all()
        grading(world).benchmarks("GZ-BM-2026.1")  # the stored hash alone no longer tells
        assert [str(d) for d in check_benchmarks(world.session)] == [
            "benchmark_versions GZ-BM-2026.1: the benchmark rows differ from the ones the ledger "
            f"recorded (entry {LedgerService(world.session, world.context('officer')).size() - 1})"
        ]

    def test_an_unknown_version(self, world: World) -> None:
        with pytest.raises(NotFound, match="no benchmark version v9"):
            grading(world).get("v9")


class TestGrades:
    def test_no_benchmark_no_grade(self, world: World) -> None:
        made = verified(world, "tea", "a", 240_000)
        assert grading(world).grade_of(made.footprint) is None

    def test_the_grade_of_a_footprint(self, world: World, ten: list[Made]) -> None:
        publish_percentile(world)
        # x4 = x0 + 4 x 0.5777 = 10.8264 is in grade 3 (10.6 < x4 <= 11.6); grade 2 needs
        # <= t2 = 10.6: 10.8264 - 10.6 = 0.2264 kgCO2e per kg less, 0.2264 / 10.8264 = 2.09 %
        result = grading(world, "tea_admin").grade_of(ten[4].footprint)
        assert result is not None
        assert (result.grade, result.benchmark_version) == (3, "GZ-BM-2026.1")
        assert result.thresholds == THRESHOLDS
        assert result.unit == "kgCO2e per 1 kg green tea"
        assert result.reduction is not None
        assert result.reduction.target == 10.6
        assert result.reduction.absolute == pytest.approx(tea_total(300_000) - 10.6, rel=1e-9)
        assert f"{result.reduction.percent:.2f}" == "2.09"
        grades = [grading(world).grade_of(m.footprint).grade for m in ten]  # type: ignore[union-attr]
        assert grades == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]

    @pytest.mark.usefixtures("ten")
    def test_a_value_at_a_published_threshold_gets_the_better_grade(self, world: World) -> None:
        publish_percentile(world)
        for better, threshold in enumerate(THRESHOLDS, start=1):
            at = Footprint(rule_key="tea-green@2026.1", declared_unit="1 kg green tea",
                           total_kgco2e=threshold)  # fmt: skip
            assert grading(world).grade_of(at).grade == better  # type: ignore[union-attr]

    @pytest.mark.usefixtures("ten")
    def test_another_declared_unit_is_not_graded(self, world: World) -> None:
        publish_percentile(world)
        other = Footprint(rule_key="tea-green@2026.1", declared_unit="1 t green tea",
                          total_kgco2e=9_000.0)  # fmt: skip
        assert grading(world).grade_of(other) is None


class TestStanding:
    def test_an_enterprise_sees_where_it_stands(self, world: World, ten: list[Made]) -> None:
        publish_percentile(world)
        standing = grading(world, "tea_user").standing(ten[9].submission.id)
        assert standing.verified
        assert standing.result is not None
        assert standing.result.grade == 5
        assert standing.category_counts is not None
        assert standing.category_counts.counts == (2, 2, 2, 2, 2)
        assert standing.value == pytest.approx(tea_total(550_000), rel=1e-9)

    @pytest.mark.usefixtures("ten")
    def test_a_calculated_footprint_is_graded_for_information(self, world: World) -> None:
        publish_percentile(world)
        submissions = SubmissionService(world.session, world.context("tea_user"))
        made = submissions.create(world.product("tea", "new", "tea-green").id, tea_data())
        submissions.calculate(made.id)
        standing = grading(world, "tea_user").standing(made.id)
        assert not standing.verified
        assert standing.result is not None
        assert standing.category_counts is not None
        assert standing.category_counts.total == 10  # the calculated one is not among them

    def test_without_a_footprint_or_benchmark(self, world: World) -> None:
        submissions = SubmissionService(world.session, world.context("tea_user"))
        made = submissions.create(world.product("tea", "new", "tea-green").id, tea_data())
        standing = grading(world, "tea_user").standing(made.id)
        assert (standing.value, standing.result, standing.category_counts) == (None, None, None)

    def test_another_enterprise_finds_nothing(self, world: World) -> None:
        made = verified(world, "tea", "a", 240_000)
        with pytest.raises(NotFound):
            grading(world, "coal_admin").standing(made.submission.id)
        with pytest.raises(NotFound):
            grading(world, "tea_user").standing(uuid.uuid4())


class TestDistribution:
    @pytest.fixture
    def province(self, world: World, ten: list[Made]) -> list[Made]:
        """The ten tea products, the coal enterprise's three (x1, x5, x8) in 盘州市, the
        others in 仁怀市."""
        world.organizations["coal"].county = "盘州市"
        publish_percentile(world)
        return ten

    @pytest.mark.usefixtures("province")
    def test_per_category_and_county(self, world: World) -> None:
        shown = grading(world).distribution()
        assert shown.benchmark_version == "GZ-BM-2026.1"
        (tea,) = shown.by_category
        assert (tea.group, tea.counts, tea.ungraded) == ("tea-green", (2, 2, 2, 2, 2), 0)
        # 盘州市: x1 grade 1, x5 grade 3, x8 grade 5; 仁怀市 the other seven
        assert [(c.group, c.counts) for c in shown.by_county] == [
            ("仁怀市", (1, 2, 1, 2, 1)),
            ("盘州市", (1, 0, 1, 0, 1)),
        ]

    @pytest.mark.usefixtures("province")
    def test_filtered(self, world: World) -> None:
        shown = grading(world).distribution(county="盘州市")
        assert [c.counts for c in shown.by_category] == [(1, 0, 1, 0, 1)]
        assert grading(world).distribution(category="cement").by_category == []

    def test_without_benchmarks_all_are_ungraded(self, world: World) -> None:
        verified(world, "tea", "a", 240_000)
        (tea,) = grading(world).distribution().by_category
        assert (tea.counts, tea.ungraded) == ((0, 0, 0, 0, 0), 1)

    def test_only_the_regulator(self, world: World) -> None:
        for who in ("tea_admin", "auditor", "banker"):
            with pytest.raises(PermissionDenied, match="oversight:read"):
                grading(world, who).distribution()


def test_the_demo_publishes_only_honest_bases(session: Session) -> None:
    load_demo(session, Context(None, Clock(), operator=True))
    (version,) = GradingService(session, Context.public()).versions()
    benchmarks = GradingService(session, Context.public()).benchmarks(version.version)
    # the demo has one verified product per category at most: no percentiles; published
    # national averages where the bundled factor set carries one for the product
    assert sorted(benchmarks) == sorted(PUBLISHED_AVERAGES)
    cement = benchmarks["cement"]
    assert cement.basis is Basis.NATIONAL_AVERAGE
    assert cement.parameters["average"] == 735.0
    assert "GB/T 51366-2019" in cement.source
    assert "CEMENT-OPC-CN" in cement.source
