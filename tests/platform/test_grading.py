"""Graded management on the platform: benchmark versions published by the regulator (immutable,
hashed, audited), grades of footprints, an enterprise's standing and the regulator's
distribution, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

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
from tests.platform.factories import Clock, World
from tests.platform.test_submissions import TEA_TOTAL, tea_data

GRID = 0.5777  # kgCO2e per kWh, the factor set's 2024 grid electricity
TEA_KG = 50_000  # kg of green tea the example plant makes in the year


def tea_total(electricity: float) -> float:
    """The example plant's footprint with ``electricity`` kWh instead of 240,000."""
    return TEA_TOTAL + (electricity - 240_000) * GRID / TEA_KG


@dataclass
class Made:
    submission: Submission
    footprint: Footprint


def verified(world: World, enterprise: str, code: str, electricity: float) -> Made:
    """A tea product of ``enterprise`` whose footprint went all the way to verified."""
    who = {"tea": "tea_user", "coal": "coal_admin"}[enterprise]
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


@pytest.fixture
def six(world: World) -> list[Made]:
    """Six verified tea products of the tea enterprise, 50,000 kWh apart: their footprints
    rise in steps of 50,000 x 0.5777 / 50,000 = 0.5777 kgCO2e per kg."""
    return [
        verified(world, "tea", f"tea-{k}", 100_000 + 50_000 * k)
        for k in range(6)  # 100,000 … 350,000 kWh
    ]


def grading(world: World, who: str = "officer") -> GradingService:
    return GradingService(world.session, world.context(who))


def publish_percentile(world: World, version: str = "GZ-BM-2026.1") -> BenchmarkVersion:
    rows = [{"category": "tea-green", "basis": "sector_percentile"}]
    return grading(world).publish(version, "绿茶分位基准", rows)


class TestPreview:
    @pytest.mark.usefixtures("six")
    def test_the_percentiles_of_six_products(self, world: World) -> None:
        # six values x0 … x5; the p-th percentile sits at position (6 - 1) x p / 100:
        # 20th -> 1, 40th -> 2, 60th -> 3, 80th -> 4: exactly x1 … x4
        b = grading(world).preview_percentile("tea-green")
        expected = [tea_total(100_000 + 50_000 * k) for k in (1, 2, 3, 4)]
        assert b.thresholds == pytest.approx(expected, rel=1e-9)
        assert b.basis is Basis.SECTOR_PERCENTILE
        assert b.declared_unit == "1 kg green tea"
        assert b.source == "computed from 6 verified footprints on 2026-03-01"

    def test_too_few_verified_products(self, world: World) -> None:
        verified(world, "tea", "only", 240_000)
        with pytest.raises(InvalidInput, match=r"has 1 verified footprint\(s\)") as refused:
            grading(world).preview_percentile("tea-green")
        assert refused.value.field == "category"

    def test_a_calculated_footprint_does_not_count(self, world: World) -> None:
        submissions = SubmissionService(world.session, world.context("tea_user"))
        for k in range(5):
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

    @pytest.mark.usefixtures("six")
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

    @pytest.mark.usefixtures("six")
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

    @pytest.mark.usefixtures("six")
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

    @pytest.mark.usefixtures("six")
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

    def test_the_grade_of_a_footprint(self, world: World, six: list[Made]) -> None:
        publish_percentile(world)
        # x3 = 250,000 kWh is at t3: grade 3 (a value at a threshold gets the better grade);
        # grade 2 needs <= t2 = x2: 0.5777 kgCO2e per kg less, 0.5777 / x3 of it
        result = grading(world, "tea_admin").grade_of(six[3].footprint)
        assert result is not None
        assert (result.grade, result.benchmark_version) == (3, "GZ-BM-2026.1")
        assert result.unit == "kgCO2e per 1 kg green tea"
        assert result.reduction is not None
        assert result.reduction.absolute == pytest.approx(GRID, rel=1e-9)
        assert result.reduction.percent == pytest.approx(GRID / tea_total(250_000) * 100, rel=1e-9)
        assert [grading(world).grade_of(m.footprint).grade for m in six] == [1, 1, 2, 3, 4, 5]  # type: ignore[union-attr]

    @pytest.mark.usefixtures("six")
    def test_another_declared_unit_is_not_graded(self, world: World) -> None:
        publish_percentile(world)
        other = Footprint(rule_key="tea-green@2026.1", declared_unit="1 t green tea",
                          total_kgco2e=9_000.0)  # fmt: skip
        assert grading(world).grade_of(other) is None


class TestStanding:
    def test_an_enterprise_sees_where_it_stands(self, world: World, six: list[Made]) -> None:
        publish_percentile(world)
        standing = grading(world, "tea_user").standing(six[5].submission.id)
        assert standing.verified
        assert standing.result is not None
        assert standing.result.grade == 5
        assert standing.category_counts is not None
        assert standing.category_counts.counts == (2, 1, 1, 1, 1)
        assert standing.value == pytest.approx(tea_total(350_000), rel=1e-9)

    @pytest.mark.usefixtures("six")
    def test_a_calculated_footprint_is_graded_for_information(self, world: World) -> None:
        publish_percentile(world)
        submissions = SubmissionService(world.session, world.context("tea_user"))
        made = submissions.create(world.product("tea", "new", "tea-green").id, tea_data())
        submissions.calculate(made.id)
        standing = grading(world, "tea_user").standing(made.id)
        assert not standing.verified
        assert standing.result is not None
        assert standing.category_counts is not None
        assert standing.category_counts.total == 6  # the calculated one is not among them

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
    def province(self, world: World, six: list[Made]) -> list[Made]:
        """The six tea products in 仁怀市 and one more in 盘州市 (above t4: grade 5)."""
        world.organizations["coal"].county = "盘州市"
        publish_percentile(world)
        return [*six, verified(world, "coal", "coal-tea", 400_000)]

    @pytest.mark.usefixtures("province")
    def test_per_category_and_county(self, world: World) -> None:
        shown = grading(world).distribution()
        assert shown.benchmark_version == "GZ-BM-2026.1"
        (tea,) = shown.by_category
        assert (tea.group, tea.counts, tea.ungraded) == ("tea-green", (2, 1, 1, 1, 2), 0)
        assert [(c.group, c.counts) for c in shown.by_county] == [
            ("仁怀市", (2, 1, 1, 1, 1)),
            ("盘州市", (0, 0, 0, 0, 1)),
        ]

    @pytest.mark.usefixtures("province")
    def test_filtered(self, world: World) -> None:
        shown = grading(world).distribution(county="盘州市")
        assert [c.counts for c in shown.by_category] == [(0, 0, 0, 0, 1)]
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
