"""Graded management: benchmark versions (public), previewing and publishing one (the
regulator), the distribution of grades (the regulator) and a submission's standing (whoever
may read the submission). Thresholds and values carry their unit."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from tanzuji.grading import Benchmark, Reduction
from tanzuji.services.grading import GradeCounts, GradeResult, GradingService
from tanzuji.store.models import BenchmarkVersion
from tanzuji.web.work import unit_of_work

router = APIRouter(tags=["graded management"])


class PreviewRequest(BaseModel):
    category: str = Field(description="the product category's rule id, e.g. cement")


class PublishRequest(BaseModel):
    version: str = Field(description="a new name, e.g. GZ-BM-2026.2 (letters, digits, . _ -)")
    title: str
    benchmarks: list[dict[str, Any]] = Field(
        description="one object per category: category, basis (national_average, "
        "sector_percentile, limit_value) and for limit_value: thresholds [t1, t2, t3, t4] in "
        "kgCO2e per declared unit and source; for national_average: average (kgCO2e per "
        "declared unit), source and optionally fractions [f1, f2, f3, f4]; sector_percentile "
        "is computed from the verified footprints. Other categories carry over."
    )


def benchmark_json(benchmark: Benchmark) -> dict[str, Any]:
    return {
        "category": benchmark.category,
        "declared_unit": benchmark.declared_unit,
        "basis": benchmark.basis.value,
        "thresholds": {"values": list(benchmark.thresholds), "unit": benchmark.unit},
        "source": benchmark.source,
        "parameters": dict(benchmark.parameters),
        "version": benchmark.version,
    }


def version_json(stored: BenchmarkVersion) -> dict[str, Any]:
    return {
        "version": stored.version,
        "title": stored.title,
        "based_on": stored.based_on,
        "categories": stored.category_count,
        "sha256": stored.sha256,
        "published_at": stored.published_at.isoformat(),
        "published_by": str(stored.published_by) if stored.published_by else None,
    }


def reduction_json(reduction: Reduction | None, unit: str) -> dict[str, Any] | None:
    if reduction is None:
        return None
    return {
        "next_grade": reduction.next_grade,
        "target": {"value": reduction.target, "unit": unit},
        "absolute": {"value": reduction.absolute, "unit": unit},
        "percent": {"value": reduction.percent, "unit": "% of the footprint"},
    }


def grade_json(result: GradeResult) -> dict[str, Any]:
    return {
        "grade": result.grade,
        "benchmark_version": result.benchmark_version,
        "category": result.category,
        "basis": result.basis.value,
        "thresholds": {"values": list(result.thresholds), "unit": result.unit},
        "source": result.source,
        "value": {"value": result.value, "unit": result.unit},
        "reduction_to_next_grade": reduction_json(result.reduction, result.unit),
    }


def counts_json(counts: GradeCounts) -> dict[str, Any]:
    return {
        "group": counts.group,
        "products_per_grade": {str(g): n for g, n in enumerate(counts.counts, start=1)},
        "ungraded": counts.ungraded,
        "products": counts.total,
    }


@router.get("/benchmarks")
def versions(request: Request) -> dict[str, Any]:
    """Every published benchmark version, newest first (the first is in force)."""
    with unit_of_work(request) as work:
        found = GradingService(work.session, work.context).versions()
        return {"items": [version_json(v) for v in found], "total": len(found)}


@router.get("/benchmarks/{version}")
def version(version: str, request: Request) -> dict[str, Any]:
    """A published version with the benchmark of each category."""
    with unit_of_work(request) as work:
        service = GradingService(work.session, work.context)
        stored = service.get(version)
        benchmarks = service.benchmarks(version)
        return {
            **version_json(stored),
            "benchmarks": [benchmark_json(benchmarks[c]) for c in sorted(benchmarks)],
        }


@router.post("/benchmarks/preview")
def preview(body: PreviewRequest, request: Request) -> dict[str, Any]:
    """The percentile benchmark a category would get now from its verified footprints
    (nothing is stored)."""
    with unit_of_work(request) as work:
        made = GradingService(work.session, work.context).preview_percentile(body.category)
        return benchmark_json(made)


@router.post("/benchmarks", status_code=201)
def publish(body: PublishRequest, request: Request) -> dict[str, Any]:
    """The regulator publishes a new version (immutable, recorded in the ledger)."""
    with unit_of_work(request) as work:
        stored = GradingService(work.session, work.context).publish(
            body.version, body.title, body.benchmarks
        )
        return version_json(stored)


@router.get("/grading/distribution")
def distribution(
    request: Request, category: str | None = None, county: str | None = None
) -> dict[str, Any]:
    """How many products (latest verified footprint each) are in each grade, per category
    and per county."""
    with unit_of_work(request) as work:
        shown = GradingService(work.session, work.context).distribution(category, county)
        return {
            "benchmark_version": shown.benchmark_version,
            "by_category": [counts_json(c) for c in shown.by_category],
            "by_county": [counts_json(c) for c in shown.by_county],
        }


@router.get("/submissions/{submission_id}/standing")
def standing(submission_id: uuid.UUID, request: Request) -> dict[str, Any]:
    """The grade of the submission's latest footprint, the thresholds, the reduction to the
    next grade and how many products of the category are in each grade."""
    with unit_of_work(request) as work:
        found = GradingService(work.session, work.context).standing(submission_id)
        return {
            "submission_id": str(found.submission_id),
            "category": found.category,
            "footprint": (
                {"value": found.value, "unit": found.unit} if found.value is not None else None
            ),
            "verified": found.verified,
            "grade": grade_json(found.result) if found.result else None,
            "category_counts": counts_json(found.category_counts)
            if found.category_counts
            else None,
        }
