"""The demo province's first benchmark version, published by its regulator.

Only honest bases: the percentiles of the verified footprints where a category has enough
verified products of enough enterprises to publish them (:data:`~tanzuji.grading.MIN_SAMPLE`,
:data:`~tanzuji.grading.MIN_ENTERPRISES`; the demo has one verified product per category at
most, so none qualifies today, and none is added for the purpose), else a
published national average carried in the bundled factor set, where one matches the
category's product, boundary (cradle-to-gate) and declared unit (:data:`PUBLISHED_AVERAGES`).
Every other category has no benchmark.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from tanzuji.errors import InvalidInput
from tanzuji.factors import EmissionFactor
from tanzuji.grading import Basis
from tanzuji.rules import bundled_rules, find_rule
from tanzuji.services.context import Context
from tanzuji.services.factor_sets import FactorSetService
from tanzuji.services.grading import GradingService
from tanzuji.store.models import BenchmarkVersion

__all__ = ["DEMO_BENCHMARK_VERSION", "PUBLISHED_AVERAGES", "publish_demo_benchmarks"]

DEMO_BENCHMARK_VERSION = "GZ-BM-DEMO-2026.1"

PUBLISHED_AVERAGES = {
    "cement": "CEMENT-OPC-CN",
    "steel-bf-bof": "STEEL-BOF-CN",
    "steel-product": "STEEL-AVG-CN",
    "electricity": "ELEC-LCA-CN-2024",
}
"""Category → the bundled factor whose value is a published national average footprint of
that product per its declared unit, cradle-to-gate: GB/T 51366-2019 Annex D for ordinary
Portland cement (735 kgCO2e/t), converter (BOF) carbon steel (1,990) and market-average carbon
steel (2,050); the MEE/NBS/NEA national average electricity carbon footprint for 2024
(0.5777 kgCO2e/kWh). Left out on purpose: EAF steel (GB/T 51366's 3,030 kgCO2e/t is flagged
in the factor set as needing a check against the standard), green tea (the national average
of He et al. 2022 is cradle-to-grave, the rule cradle-to-gate) and every category whose
bundled values are single case studies or per tonne of nutrient rather than of product."""


def _source(factor: EmissionFactor, factor_set: str) -> str:
    return (
        f"{factor.name_zh} / {factor.name_en}: {factor.published}; {factor.source} "
        f"(factor {factor.id} of factor set {factor_set}, {factor.source.confidence})"
    )


def publish_demo_benchmarks(session: Session, regulator: Context) -> BenchmarkVersion:
    """Publish the demo's first benchmark version as the regulator ``regulator``."""
    grading = GradingService(session, regulator)
    factor_sets = FactorSetService(session, regulator)
    version = factor_sets.latest().version
    factors = factor_sets.factor_set(version)
    rows: list[dict[str, object]] = []
    for category in sorted({rule.id for rule in bundled_rules()}):
        try:
            grading.preview_percentile(category)
        except InvalidInput:  # too few verified products or enterprises for percentiles
            pass
        else:
            rows.append({"category": category, "basis": Basis.SECTOR_PERCENTILE.value})
            continue
        if category in PUBLISHED_AVERAGES:
            factor = factors[PUBLISHED_AVERAGES[category]]
            declared = find_rule(category).declared_unit
            assert declared.startswith(f"1 {factor.unit} "), (declared, factor.unit)
            rows.append(
                {
                    "category": category,
                    "basis": Basis.NATIONAL_AVERAGE.value,
                    "average": factor.gases["CO2e"],
                    "source": _source(factor, version),
                }
            )
    return grading.publish(
        DEMO_BENCHMARK_VERSION,
        "演示省首批分级管理基准 / first benchmarks of the demo province",
        rows,
    )
