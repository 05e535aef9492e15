"""What the regulator sees of the province: submissions by status, footprints by industry,
product category and county, and the audit log with filters."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tanzuji.access import Permission
from tanzuji.errors import InvalidInput
from tanzuji.services.context import Context
from tanzuji.services.paging import Page, check_window
from tanzuji.store.models import AuditEvent, Footprint, Organization, Product, Submission
from tanzuji.workflow import Status

__all__ = ["CategoryFigures", "OversightService"]


@dataclass(frozen=True)
class CategoryFigures:
    """The latest footprints of one group (a rule, an industry or a county).

    Footprints of different products are not summed: each group gives how many there are
    and their spread, per the declared unit of its rule where the group is a rule.
    """

    group: str
    products: int
    footprints: int
    minimum: float | None
    median: float | None
    maximum: float | None
    unit: str


class OversightService:
    """The province at a glance, for the regulator."""

    def __init__(self, session: Session, context: Context) -> None:
        self.session = session
        self.context = context

    def status_counts(self) -> dict[str, int]:
        """How many submissions stand at each status (every status listed, zero or not)."""
        self.context.require(Permission.OVERSIGHT_READ)
        rows = self.session.execute(
            select(Submission.status, func.count()).group_by(Submission.status)
        )
        counts = {status.value: 0 for status in Status}
        counts.update({status.value: count for status, count in rows})
        return counts

    def footprints_by(self, grouping: str) -> list[CategoryFigures]:
        """The latest footprint of each submission's current revision, grouped by ``rule``
        (product category), ``industry`` or ``county`` of the enterprise."""
        self.context.require(Permission.OVERSIGHT_READ)
        columns = {
            "rule": Product.rule_id,
            "industry": Organization.industry,
            "county": Organization.county,
        }
        if grouping not in columns:
            raise InvalidInput(f"group by one of {', '.join(columns)}", field="by")
        newest = (
            select(Footprint.submission_id, func.max(Footprint.computed_at).label("at"))
            .join(Submission, Submission.id == Footprint.submission_id)
            .where(Footprint.revision == Submission.revision)
            .group_by(Footprint.submission_id)
            .subquery()
        )
        rows = self.session.execute(
            select(
                columns[grouping],
                Footprint.product_id,
                Footprint.total_kgco2e,
                Footprint.declared_unit,
            )
            .join(
                newest,
                (newest.c.submission_id == Footprint.submission_id)
                & (newest.c.at == Footprint.computed_at),
            )
            .join(Product, Product.id == Footprint.product_id)
            .join(Organization, Organization.id == Product.organization_id)
        ).all()
        groups: dict[str, list[tuple[uuid.UUID, float, str]]] = {}
        for group, product, total, unit in rows:
            groups.setdefault(group or "(unknown)", []).append((product, total, unit))
        return [
            self._figures(group, entries, grouping) for group, entries in sorted(groups.items())
        ]

    @staticmethod
    def _figures(
        group: str, entries: list[tuple[uuid.UUID, float, str]], grouping: str
    ) -> CategoryFigures:
        units = {unit for _, _, unit in entries}
        comparable = grouping == "rule" and len(units) == 1
        totals = sorted(total for _, total, _ in entries)
        middle = len(totals) // 2
        median = totals[middle] if len(totals) % 2 else (totals[middle - 1] + totals[middle]) / 2
        return CategoryFigures(
            group=group,
            products=len({product for product, _, _ in entries}),
            footprints=len(entries),
            minimum=totals[0] if comparable else None,
            median=median if comparable else None,
            maximum=totals[-1] if comparable else None,
            unit=f"kgCO2e per {units.pop()}" if comparable else "(different declared units)",
        )

    def audit_log(
        self,
        *,
        action: str | None = None,
        subject_id: str | None = None,
        actor_id: uuid.UUID | None = None,
        since: datetime.datetime | None = None,
        until: datetime.datetime | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> Page:
        """Audit events, newest first, filtered by action (a prefix such as ``submission.``),
        subject, actor and time."""
        self.context.require(Permission.AUDIT_READ)
        check_window(limit, offset)
        query = select(AuditEvent)
        if action:
            query = query.where(AuditEvent.action.startswith(action))
        if subject_id:
            query = query.where(AuditEvent.subject_id == subject_id)
        if actor_id:
            query = query.where(AuditEvent.actor_id == actor_id)
        if since:
            query = query.where(AuditEvent.at >= since)
        if until:
            query = query.where(AuditEvent.at < until)
        total = self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        events = self.session.scalars(
            query.order_by(AuditEvent.at.desc(), AuditEvent.id).limit(limit).offset(offset)
        )
        return Page(list(events), total, limit, offset)
