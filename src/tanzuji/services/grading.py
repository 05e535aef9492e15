"""Graded management: benchmark versions published by the regulator, the grade of a footprint,
an enterprise's standing in its category and the regulator's distribution of grades.

A published version holds one benchmark per product category and never changes (its rows are
kept with the SHA-256 of their canonical JSON, checked on every read). Publishing a version
sets the benchmarks of the categories it names and carries the others over from the latest
version unchanged. The grades are counted over the *latest verified footprint of each product*:
for each product, the verified submission with the latest reference period, and the newest
footprint of its current revision. See ``docs/grading.md`` for the grading rule.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tanzuji.access import Permission
from tanzuji.canonical import canonical_json, sha256_hex
from tanzuji.errors import (
    BenchmarkError,
    Conflict,
    InvalidInput,
    NotFound,
    RuleFileError,
    Tampered,
)
from tanzuji.grading import (
    GRADES,
    Basis,
    Benchmark,
    Reduction,
    average_benchmark,
    grade,
    limit_benchmark,
    percentile_benchmark,
    reduction_to_next_grade,
)
from tanzuji.ledger.events import EventKind
from tanzuji.rules import Rule, find_rule
from tanzuji.services.audit import record
from tanzuji.services.context import Context
from tanzuji.services.ledger import LedgerService
from tanzuji.services.rows import add_unique
from tanzuji.services.submissions import SubmissionService
from tanzuji.services.versions import check_new_version
from tanzuji.store.models import BenchmarkVersion, Footprint, Organization, Product, Submission
from tanzuji.workflow import Status

__all__ = [
    "UNKNOWN_COUNTY",
    "Distribution",
    "GradeCounts",
    "GradeResult",
    "GradingService",
    "Standing",
]

UNKNOWN_COUNTY = "(unknown)"
"""The county group of enterprises registered without a county."""


@dataclass(frozen=True)
class GradeResult:
    """The grade of one footprint under the latest published benchmark of its category.

    ``thresholds`` are t1…t4 in ``unit`` (kg CO2e per ``declared_unit``); ``reduction`` is
    what reaching the next better grade takes (``None`` in grade 1).
    """

    grade: int
    benchmark_version: str
    category: str
    basis: Basis
    thresholds: tuple[float, float, float, float]
    declared_unit: str
    unit: str
    source: str
    value: float
    reduction: Reduction | None


@dataclass(frozen=True)
class GradeCounts:
    """How many products of one group (a category or a county) are in each grade; ``ungraded``
    counts those whose category has no benchmark (or another declared unit)."""

    group: str
    counts: tuple[int, int, int, int, int]
    ungraded: int

    @property
    def total(self) -> int:
        return sum(self.counts) + self.ungraded


@dataclass(frozen=True)
class Distribution:
    """The grades of the latest verified footprint of each product, per category and county."""

    benchmark_version: str | None
    by_category: list[GradeCounts]
    by_county: list[GradeCounts]


@dataclass(frozen=True)
class Standing:
    """Where one submission's footprint stands in its category.

    ``result`` is ``None`` when there is no footprint yet or no benchmark for the category;
    ``verified`` says whether the footprint graded is verified (an unverified one is graded
    for information only and is not among ``category_counts``); ``category_counts`` are the
    products of the category per grade (latest verified footprint of each).
    """

    submission_id: uuid.UUID
    category: str
    value: float | None
    unit: str
    verified: bool
    result: GradeResult | None
    category_counts: GradeCounts | None


@dataclass(frozen=True)
class _Latest:
    """The latest verified footprint of one product, made by the enterprise ``enterprise_id``."""

    product_id: uuid.UUID
    enterprise_id: uuid.UUID
    category: str
    county: str
    value: float
    declared_unit: str


class GradingService:
    """Benchmarks and grades, for the acting user of ``context``."""

    def __init__(self, session: Session, context: Context) -> None:
        self.session = session
        self.context = context
        self._benchmarks: dict[str, dict[str, Benchmark]] = {}

    # published versions (public) ----------------------------------------------------------

    def versions(self) -> list[BenchmarkVersion]:
        """Every published version, newest first."""
        query = select(BenchmarkVersion).order_by(BenchmarkVersion.published_at.desc())
        return list(self.session.scalars(query))

    def latest(self) -> BenchmarkVersion | None:
        """The version in force: the most recently published (``None`` before the first)."""
        query = select(BenchmarkVersion).order_by(BenchmarkVersion.published_at.desc())
        return self.session.scalars(query.limit(1)).first()

    def get(self, version: str) -> BenchmarkVersion:
        """The published version ``version``."""
        stored = self.session.get(BenchmarkVersion, version)
        if stored is None:
            raise NotFound(f"no benchmark version {version}", field="version")
        return stored

    def benchmarks(self, version: str) -> dict[str, Benchmark]:
        """The benchmarks of a published version by category, checked against its SHA-256."""
        if version not in self._benchmarks:
            stored = self.get(version)
            if sha256_hex(canonical_json(stored.rows)) != stored.sha256:
                raise Tampered(
                    f"benchmark version {version}: the stored rows no longer match the SHA-256 "
                    f"they were published with ({stored.sha256}); restore them from a backup"
                )
            self._benchmarks[version] = {
                row["category"]: Benchmark.from_row(row, version) for row in stored.rows
            }
        return self._benchmarks[version]

    def benchmark_for(self, category: str) -> Benchmark | None:
        """The benchmark of ``category`` (a rule id) in the latest version, if any."""
        return self._in_force().get(category)

    # preview and publishing (the regulator) -----------------------------------------------

    def preview_percentile(self, category: str, version: str = "preview") -> Benchmark:
        """The percentile benchmark ``category`` would get from the current latest verified
        footprints of its products (nothing stored)."""
        self.context.require(Permission.BENCHMARK_PUBLISH)
        return self._percentile(_rule(category, "category"), version, "category")

    def preview(self, row: Mapping[str, Any]) -> Benchmark:
        """The benchmark one row of :meth:`publish` would make (nothing stored); errors name
        the row's field (``benchmark.<field>``)."""
        self.context.require(Permission.BENCHMARK_PUBLISH)
        return self._benchmark_of(row, "preview", "benchmark")

    def publish(
        self, version: str, title: str, rows: Sequence[Mapping[str, Any]]
    ) -> BenchmarkVersion:
        """Publish ``rows`` (one per category: ``category``, ``basis`` and what the basis
        needs) as ``version``, with the other categories of the latest version carried over.

        A ``limit_value`` row gives ``thresholds`` (four numbers) and ``source``; a
        ``national_average`` row gives ``average``, ``source`` and optionally ``fractions``;
        a ``sector_percentile`` row is computed now from the verified footprints.
        """
        actor = self.context.require(Permission.BENCHMARK_PUBLISH)
        title = check_new_version(
            version,
            title,
            (v.version for v in self.versions()),
            what="benchmark version",
            example="GZ-BM-2026.1",
        )
        if not rows:
            raise InvalidInput("give at least one category's benchmark", field="benchmarks")
        made: dict[str, Benchmark] = {}
        for index, row in enumerate(rows):
            benchmark = self._benchmark_of(row, version, f"benchmarks[{index}]")
            if benchmark.category in made:
                raise InvalidInput(
                    f"category {benchmark.category} is given twice: give one benchmark each",
                    field=f"benchmarks[{index}].category",
                )
            made[benchmark.category] = benchmark
        latest = self.latest()
        if latest is not None and self.context.now() <= latest.published_at:
            raise Conflict(
                f"{latest.version} was published at {latest.published_at.isoformat()}, not "
                "before now: check the server's clock",
                field="version",
            )
        kept = self.benchmarks(latest.version) if latest is not None else {}
        table = {category: b.to_row() for category, b in kept.items()}
        table.update({category: b.to_row() for category, b in made.items()})
        stored_rows = [table[category] for category in sorted(table)]
        stored = BenchmarkVersion(
            version=version,
            title=title,
            based_on=latest.version if latest is not None else None,
            rows=stored_rows,
            sha256=sha256_hex(canonical_json(stored_rows)),
            category_count=len(stored_rows),
            published_at=self.context.now(),
            published_by=actor.user_id,
        )
        add_unique(self.session, stored, "version", f"benchmark version {version} exists already")
        index = LedgerService(self.session, self.context).record(
            EventKind.BENCHMARK_PUBLISHED,
            {
                "version": version,
                "based_on": stored.based_on,
                "rows_sha256": stored.sha256,
                "categories": [row["category"] for row in stored_rows],
                "published_by": str(actor.user_id),
            },
        )
        record(
            self.session,
            self.context,
            "benchmark.publish",
            "benchmark_version",
            version,
            based_on=stored.based_on,
            sha256=stored.sha256,
            categories=sorted(made),
            carried_over=sorted(set(kept) - set(made)),
            ledger_index=index,
        )
        return stored

    # grades -------------------------------------------------------------------------------

    def grade_of(self, footprint: Footprint) -> GradeResult | None:
        """The grade of ``footprint`` under the latest benchmark of its rule id; ``None`` when
        there is none, or when it is for another declared unit than the footprint's. Grading
        reads only published benchmarks: whoever holds the footprint may grade it."""
        category = footprint.rule_key.partition("@")[0]
        benchmark = self.benchmark_for(category)
        if benchmark is None or benchmark.declared_unit != footprint.declared_unit:
            return None
        return _result(footprint.total_kgco2e, benchmark)

    def standing(self, submission_id: uuid.UUID) -> Standing:
        """Where the submission's latest footprint stands in its category: its grade, the
        thresholds, the reduction to the next grade and how many products are in each grade.
        Whoever may read the submission (its enterprise, its verifier, the regulator) may see it."""
        submissions = SubmissionService(self.session, self.context)
        submission = submissions.get(submission_id)
        category = submission.rule_key.partition("@")[0]
        footprint = submissions.latest_footprint(submission)
        benchmark = self.benchmark_for(category)
        counts = None
        if benchmark is not None:
            counts = _counts(category, self._latest_verified(category=category), self._in_force())
        return Standing(
            submission_id=submission.id,
            category=category,
            value=footprint.total_kgco2e if footprint else None,
            unit=f"kgCO2e per {footprint.declared_unit}" if footprint else "",
            verified=submission.status is Status.VERIFIED,
            result=self.grade_of(footprint) if footprint else None,
            category_counts=counts,
        )

    def distribution(self, category: str | None = None, county: str | None = None) -> Distribution:
        """For the regulator: how many products are in each grade, per category and per
        county (optionally only one category or county)."""
        self.context.require(Permission.OVERSIGHT_READ)
        entries = self._latest_verified(category=category or None, county=county or None)
        by_category: dict[str, list[_Latest]] = {}
        by_county: dict[str, list[_Latest]] = {}
        for entry in entries:
            by_category.setdefault(entry.category, []).append(entry)
            by_county.setdefault(entry.county or UNKNOWN_COUNTY, []).append(entry)
        latest = self.latest()
        in_force = self._in_force()
        return Distribution(
            benchmark_version=latest.version if latest else None,
            by_category=[_counts(g, e, in_force) for g, e in sorted(by_category.items())],
            by_county=[_counts(g, e, in_force) for g, e in sorted(by_county.items())],
        )

    # helpers ------------------------------------------------------------------------------

    def _in_force(self) -> Mapping[str, Benchmark]:
        """The benchmarks of the latest version by category (none before the first)."""
        latest = self.latest()
        return {} if latest is None else self.benchmarks(latest.version)

    def _latest_verified(
        self, *, category: str | None = None, county: str | None = None
    ) -> list[_Latest]:
        """The latest verified footprint of each product (optionally of one category or
        county): the verified submission with the latest period, its newest footprint of the
        current revision."""
        query = (
            select(
                Footprint.product_id,
                Product.organization_id,
                Footprint.total_kgco2e,
                Footprint.declared_unit,
                Footprint.computed_at,
                Submission.period_end,
                Product.rule_id,
                Organization.county,
            )
            .join(Submission, Submission.id == Footprint.submission_id)
            .join(Product, Product.id == Footprint.product_id)
            .join(Organization, Organization.id == Product.organization_id)
            .where(Submission.status == Status.VERIFIED, Footprint.revision == Submission.revision)
        )
        if category is not None:
            query = query.where(Product.rule_id == category)
        if county is not None:
            query = query.where(Organization.county == county)
        newest: dict[uuid.UUID, tuple[Any, ...]] = {}
        for row in self.session.execute(query):
            key = (row.period_end, row.computed_at)
            held = newest.get(row.product_id)
            if held is None or key > (held[5], held[4]):
                newest[row.product_id] = tuple(row)
        return [
            _Latest(product, enterprise, rule_id, county_name or "", value, unit)
            for product, enterprise, value, unit, _at, _end, rule_id, county_name in newest.values()
        ]

    def _percentile(self, rule: Rule, version: str, field: str) -> Benchmark:
        """The percentile benchmark of ``rule``'s category from the latest verified footprints
        of its products, grouped by enterprise for the disclosure rules of
        :func:`~tanzuji.grading.percentile_benchmark` (the ids never leave this method)."""
        by_enterprise: dict[str, list[float]] = {}
        for entry in self._latest_verified(category=rule.id):
            if entry.declared_unit == rule.declared_unit:
                by_enterprise.setdefault(str(entry.enterprise_id), []).append(entry.value)
        try:
            return percentile_benchmark(
                rule.id, rule.declared_unit, by_enterprise, self.context.now().date(), version
            )
        except BenchmarkError as exc:
            raise InvalidInput(str(exc), field=field) from exc

    def _benchmark_of(self, row: Mapping[str, Any], version: str, where: str) -> Benchmark:
        """One row of a publish request as a benchmark; errors name ``where.<field>``."""
        if not isinstance(row, Mapping):
            raise InvalidInput("give each benchmark as an object", field=where)
        rule = _rule(row.get("category"), f"{where}.category")
        bases = ", ".join(b.value for b in Basis)
        try:
            basis = Basis(str(row.get("basis")))
        except ValueError as exc:
            raise InvalidInput(f"basis is one of {bases}", field=f"{where}.basis") from exc
        if basis is Basis.SECTOR_PERCENTILE:
            return self._percentile(rule, version, where)
        source = row.get("source")
        if not isinstance(source, str) or not source.strip():
            raise InvalidInput(
                "say where the values come from: publication or standard, and year",
                field=f"{where}.source",
            )
        try:
            if basis is Basis.LIMIT_VALUE:
                thresholds = row.get("thresholds")
                if not isinstance(thresholds, list | tuple):
                    raise BenchmarkError("give four thresholds t1 < t2 < t3 < t4", "thresholds")
                return limit_benchmark(
                    rule.id, rule.declared_unit, thresholds, source.strip(), version
                )
            fractions = row.get("fractions")
            if fractions is not None and not isinstance(fractions, list | tuple):
                raise BenchmarkError("give four fractions of the average", "fractions")
            average = row.get("average")
            if isinstance(average, bool) or not isinstance(average, int | float):
                raise BenchmarkError(
                    f"give the published average in kgCO2e per {rule.declared_unit}", "average"
                )
            return average_benchmark(
                rule.id,
                rule.declared_unit,
                average,
                source.strip(),
                version,
                *([fractions] if fractions is not None else []),
            )
        except BenchmarkError as exc:
            raise InvalidInput(str(exc), field=f"{where}.{exc.field}") from exc


def _rule(category: object, field: str) -> Rule:
    """The latest bundled rule of ``category``, or :class:`InvalidInput` naming ``field``."""
    if not isinstance(category, str) or not category.strip() or "@" in category:
        raise InvalidInput("name the product category by its rule id, e.g. cement", field=field)
    try:
        return find_rule(category.strip())
    except RuleFileError as exc:
        raise InvalidInput(f"no product rule {category!r}", field=field) from exc


def _result(value: float, benchmark: Benchmark) -> GradeResult:
    return GradeResult(
        grade=grade(value, benchmark).grade,
        benchmark_version=benchmark.version,
        category=benchmark.category,
        basis=benchmark.basis,
        thresholds=benchmark.thresholds,
        declared_unit=benchmark.declared_unit,
        unit=benchmark.unit,
        source=benchmark.source,
        value=value,
        reduction=reduction_to_next_grade(value, benchmark),
    )


def _counts(
    group: str, entries: Sequence[_Latest], benchmarks: Mapping[str, Benchmark]
) -> GradeCounts:
    counts = dict.fromkeys(GRADES, 0)
    ungraded = 0
    for entry in entries:
        benchmark = benchmarks.get(entry.category)
        if benchmark is None or benchmark.declared_unit != entry.declared_unit:
            ungraded += 1
        else:
            counts[grade(entry.value, benchmark).grade] += 1
    c1, c2, c3, c4, c5 = (counts[g] for g in GRADES)
    return GradeCounts(group, (c1, c2, c3, c4, c5), ungraded)
