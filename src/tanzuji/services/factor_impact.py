"""Impact reports: what publishing proposed factor changes would do to every stored footprint.

Before the regulator publishes proposals as a new factor set version, the report recomputes the
newest footprint of each submission's current revision with the candidate set (the latest
version with the proposals applied) in one batch of the engine, and shows each old and new total
side by side; a footprint the candidate set cannot recompute (a retired factor, a unit that no
longer converts, a line left out that would break the rule's cut-off) is listed with the reason.
The report changes nothing but the audit log, which records that it read every enterprise's data.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import and_, select
from sqlalchemy.orm import Session, defer

from tanzuji.engine import Footprint as Result
from tanzuji.engine import NetworkResults, calculate
from tanzuji.errors import TanzujiError
from tanzuji.factors import FactorSet
from tanzuji.model.product import ProductModel
from tanzuji.rules import ActivityData, Rule, build, cut_off_problems, find_rule
from tanzuji.services.audit import record
from tanzuji.services.context import Context
from tanzuji.store.models import (
    FactorProposal,
    Footprint,
    Organization,
    Product,
    Revision,
    Submission,
)

__all__ = ["ImpactReport", "ImpactRow", "NotRecomputable", "impact_report"]


@dataclass(frozen=True)
class ImpactRow:
    """One stored footprint, as it is and as the candidate set would make it.

    Totals are kgCO2e per declared unit (``unit``); ``relative_change`` is a fraction of the
    old total (``None`` where the old total is zero).
    """

    footprint_id: uuid.UUID
    submission_id: uuid.UUID
    product_code: str
    enterprise_id: uuid.UUID
    enterprise: str
    factor_set_version: str
    declared_unit: str
    old_total: float
    new_total: float

    @property
    def unit(self) -> str:
        return f"kgCO2e per {self.declared_unit}"

    @property
    def change(self) -> float:
        return self.new_total - self.old_total

    @property
    def relative_change(self) -> float | None:
        return self.change / self.old_total if self.old_total else None

    @property
    def changed(self) -> bool:
        return not math.isclose(self.new_total, self.old_total, rel_tol=1e-9, abs_tol=1e-12)


@dataclass(frozen=True)
class NotRecomputable:
    """A stored footprint the candidate set cannot recompute, and why."""

    footprint_id: uuid.UUID
    submission_id: uuid.UUID
    product_code: str
    enterprise_id: uuid.UUID
    enterprise: str
    reason: str


@dataclass(frozen=True)
class ImpactReport:
    """What publishing ``proposal_ids`` on top of ``base_version`` would do to every stored
    footprint: ``rows`` largest absolute change first, then those it cannot recompute."""

    base_version: str
    proposal_ids: tuple[uuid.UUID, ...]
    factor_count: int
    rows: tuple[ImpactRow, ...]
    not_recomputable: tuple[NotRecomputable, ...]

    @property
    def changed(self) -> tuple[ImpactRow, ...]:
        return tuple(row for row in self.rows if row.changed)

    def summary(self) -> dict[str, Any]:
        """How many footprints were looked at, change, stay, and cannot be recomputed."""
        changed = self.changed
        return {
            "footprints": len(self.rows) + len(self.not_recomputable),
            "recomputed": len(self.rows),
            "changed": len(changed),
            "unchanged": len(self.rows) - len(changed),
            "not_recomputable": len(self.not_recomputable),
            "increase": sum(1 for row in changed if row.change > 0),
            "decrease": sum(1 for row in changed if row.change < 0),
        }


@dataclass(frozen=True)
class _Stored:
    """A stored footprint with what it takes to recompute it."""

    footprint: Footprint
    submission: Submission
    revision: Revision
    product: Product
    enterprise: Organization

    def refused(self, reason: str) -> NotRecomputable:
        return NotRecomputable(
            self.footprint.id,
            self.submission.id,
            self.product.code,
            self.enterprise.id,
            self.enterprise.name_zh,
            reason,
        )


def impact_report(
    session: Session,
    context: Context,
    base: FactorSet,
    proposals: Sequence[FactorProposal],
    candidate: FactorSet,
) -> ImpactReport:
    """Every stored footprint (the newest of each submission's current revision) recomputed
    with ``candidate``, the set ``proposals`` make of ``base``; the report is audited."""
    rows, refused = _recompute(_stored_footprints(session), candidate)
    report = ImpactReport(
        base_version=base.version,
        proposal_ids=tuple(p.id for p in proposals),
        factor_count=len(candidate),
        rows=tuple(sorted(rows, key=lambda r: (-abs(r.change), str(r.footprint_id)))),
        not_recomputable=tuple(refused),
    )
    record(
        session,
        context,
        "factor_set.impact",
        "factor_set",
        base.version,
        proposals=[str(p.id) for p in proposals],
        **report.summary(),
    )
    return report


def _stored_footprints(session: Session) -> list[_Stored]:
    """The newest footprint of each submission's current revision, with its data."""
    query = (
        select(Footprint, Submission, Revision, Product, Organization)
        .join(
            Submission,
            and_(
                Submission.id == Footprint.submission_id,
                Submission.revision == Footprint.revision,
            ),
        )
        .join(
            Revision,
            and_(
                Revision.submission_id == Submission.id,
                Revision.number == Submission.revision,
            ),
        )
        .join(Product, Product.id == Submission.product_id)
        .join(Organization, Organization.id == Submission.organization_id)
        .order_by(Footprint.submission_id, Footprint.computed_at.desc())
        .options(defer(Footprint.result), defer(Revision.monthly))
    )
    newest: dict[uuid.UUID, _Stored] = {}
    for footprint, submission, revision, product, enterprise in session.execute(query):
        if submission.id not in newest:
            newest[submission.id] = _Stored(footprint, submission, revision, product, enterprise)
    return list(newest.values())


def _recompute(
    stored: Sequence[_Stored], candidate: FactorSet
) -> tuple[list[ImpactRow], list[NotRecomputable]]:
    """Recompute ``stored`` with ``candidate``: one engine batch per GWP set (all AR6 today).

    Product ids are prefixed with the submission id so that they are unique in the batch.
    """
    refused: list[NotRecomputable] = []
    batches: dict[str, dict[str, tuple[_Stored, Rule, ActivityData, ProductModel]]] = {}
    for item in stored:
        try:
            rule = find_rule(item.footprint.rule_key)
            data = ActivityData.model_validate(item.revision.data)
            data = data.model_copy(update={"product": f"{item.submission.id}:{data.product}"})
            model = build(rule, data)
        except (TanzujiError, ValidationError) as exc:
            refused.append(item.refused(f"the rule check fails: {exc}"))
            continue
        batches.setdefault(item.footprint.gwp, {})[model.id] = (item, rule, data, model)
    rows: list[ImpactRow] = []
    for gwp, batch in batches.items():
        results, failed = _solve({pid: entry[3] for pid, entry in batch.items()}, candidate, gwp)
        for product_id, (item, rule, data, _) in batch.items():
            reason = failed.get(product_id)
            if reason is None and results is not None and data.excluded:
                reason = _cut_off_fault(rule, results.footprint(product_id))
            if reason is not None or results is None:
                refused.append(item.refused(reason or "not computed"))
                continue
            rows.append(
                ImpactRow(
                    item.footprint.id,
                    item.submission.id,
                    item.product.code,
                    item.enterprise.id,
                    item.enterprise.name_zh,
                    item.footprint.factor_set_version,
                    item.footprint.declared_unit,
                    item.footprint.total_kgco2e,
                    results.total_of(product_id),
                )
            )
    return rows, refused


def _solve(
    models: Mapping[str, ProductModel], candidate: FactorSet, gwp: str
) -> tuple[NetworkResults | None, dict[str, str]]:
    """One engine call for every model; where the batch fails (a retired factor, a unit that no
    longer converts), the models at fault are found one by one and the rest solved again."""
    try:
        return calculate(models.values(), candidate, gwp), {}
    except TanzujiError:
        pass
    failed: dict[str, str] = {}
    for product_id, model in models.items():
        try:
            calculate([model], candidate, gwp)
        except TanzujiError as exc:
            failed[product_id] = f"cannot be computed with the candidate set: {exc}"
    rest = [model for product_id, model in models.items() if product_id not in failed]
    return (calculate(rest, candidate, gwp) if rest else None), failed


def _cut_off_fault(rule: Rule, result: Result) -> str | None:
    """Why the lines left out break the rule's cut-off under the candidate set, if they do
    (the check :func:`tanzuji.rules.check` makes with a factor set)."""
    problems = cut_off_problems(rule, result)
    return f"the rule check fails: {problems[0]}" if problems else None
