"""The factor database: published versions (public), proposed changes, impact reports and
publishing a new version. The list of versions is ``GET /factor-sets`` in :mod:`.system`."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from tanzuji.factors.tables import COLUMNS
from tanzuji.services.factor_impact import ImpactReport, ImpactRow
from tanzuji.services.factor_sets import FactorSetService
from tanzuji.services.paging import check_window
from tanzuji.store.models import FactorProposal, FactorSetVersion
from tanzuji.web.api.render import iso, page_json
from tanzuji.web.work import unit_of_work

router = APIRouter(tags=["factor sets"])


class ProposalRequest(BaseModel):
    change: str = Field(description="add, replace or retire")
    factor_id: str
    factor: dict[str, Any] | None = Field(
        None,
        description="the factor's table row, column → value (the columns of table.csv; a gas "
        "column such as CO2e holds kg per unit); required for add and replace, with its source",
    )
    reason: str


class Rejection(BaseModel):
    reason: str


class ImpactRequest(BaseModel):
    proposal_ids: list[uuid.UUID]
    limit: int = Field(100, description="rows of the report to return, largest change first")
    offset: int = 0


class PublishRequest(BaseModel):
    version: str = Field(description="a new name, e.g. GZ-2026.2 (letters, digits, . _ -)")
    title: str
    proposal_ids: list[uuid.UUID]


def version_json(stored: FactorSetVersion) -> dict[str, Any]:
    return {
        "version": stored.version,
        "title": stored.title,
        "based_on": stored.based_on,
        "factors": stored.factor_count,
        "sha256": stored.sha256,
        "published_at": stored.published_at.isoformat(),
        "published_by": str(stored.published_by) if stored.published_by else None,
    }


def proposal_json(proposal: FactorProposal) -> dict[str, Any]:
    return {
        "id": str(proposal.id),
        "change": proposal.change,
        "factor_id": proposal.factor_id,
        "factor": proposal.factor,
        "reason": proposal.reason,
        "proposed_by": str(proposal.proposed_by),
        "organization_id": str(proposal.organization_id),
        "proposed_at": proposal.proposed_at.isoformat(),
        "status": proposal.status,
        "published_in": proposal.published_in,
        "decided_by": str(proposal.decided_by) if proposal.decided_by else None,
        "decided_at": iso(proposal.decided_at),
        "decision_reason": proposal.decision_reason,
    }


def impact_row_json(row: ImpactRow) -> dict[str, Any]:
    return {
        "footprint_id": str(row.footprint_id),
        "submission_id": str(row.submission_id),
        "product_code": row.product_code,
        "enterprise": {"id": str(row.enterprise_id), "name_zh": row.enterprise},
        "factor_set": row.factor_set_version,
        "old_total": {"value": row.old_total, "unit": row.unit},
        "new_total": {"value": row.new_total, "unit": row.unit},
        "change": {"value": row.change, "unit": row.unit},
        "relative_change": {"value": row.relative_change, "unit": "fraction of the old total"},
        "changed": row.changed,
    }


def impact_json(report: ImpactReport, limit: int, offset: int) -> dict[str, Any]:
    return {
        "base": report.base_version,
        "proposal_ids": [str(p) for p in report.proposal_ids],
        "candidate_factors": report.factor_count,
        "summary": report.summary(),
        "items": [impact_row_json(row) for row in report.rows[offset : offset + limit]],
        "total": len(report.rows),
        "limit": limit,
        "offset": offset,
        "not_recomputable": [
            {
                "footprint_id": str(item.footprint_id),
                "submission_id": str(item.submission_id),
                "product_code": item.product_code,
                "enterprise": {"id": str(item.enterprise_id), "name_zh": item.enterprise},
                "reason": item.reason,
            }
            for item in report.not_recomputable
        ],
    }


@router.get("/factor-sets/{version}")
def factor_set(version: str, request: Request, limit: int = 100, offset: int = 0) -> dict[str, Any]:
    """A published version and a page of its factors (cells as text, as in table.csv)."""
    with unit_of_work(request) as work:
        service = FactorSetService(work.session, work.context)
        page = service.rows(version, limit=limit, offset=offset)
        return {
            **version_json(service.get(version)),
            "columns": COLUMNS,
            "gas_columns": "kg of the gas per one unit of the activity (amount_unit kg)",
            **page_json(page, dict),
        }


@router.get("/factor-sets/{version}/table.csv")
def factor_table(version: str, request: Request) -> Response:
    """The whole table of a published version, exactly as stored (its SHA-256 in a header)."""
    with unit_of_work(request) as work:
        stored = FactorSetService(work.session, work.context).get(version)
        return Response(
            stored.table,
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="{stored.version}.csv"',
                "X-Content-SHA256": stored.sha256,
            },
        )


@router.post("/factor-proposals", status_code=201)
def propose(body: ProposalRequest, request: Request) -> dict[str, Any]:
    """The regulator, or a research institute it authorized, proposes a change with its source."""
    with unit_of_work(request) as work:
        made = FactorSetService(work.session, work.context).propose(
            body.change, body.factor_id, body.factor, body.reason
        )
        return proposal_json(made)


@router.get("/factor-proposals")
def proposals(
    request: Request, status: str | None = None, limit: int = 50, offset: int = 0
) -> dict[str, Any]:
    """Proposals, newest first: all for the regulator, its own for a research institute."""
    with unit_of_work(request) as work:
        page = FactorSetService(work.session, work.context).proposals(
            status, limit=limit, offset=offset
        )
        return page_json(page, proposal_json)


@router.post("/factor-proposals/{proposal_id}/reject")
def reject(proposal_id: uuid.UUID, body: Rejection, request: Request) -> dict[str, Any]:
    """The regulator turns an open proposal down, saying why."""
    with unit_of_work(request) as work:
        rejected = FactorSetService(work.session, work.context).reject(proposal_id, body.reason)
        return proposal_json(rejected)


@router.post("/factor-sets/impact")
def impact(body: ImpactRequest, request: Request) -> dict[str, Any]:
    """What publishing the proposals would change: every stored footprint recomputed with the
    candidate set in one batch, largest change first. Nothing is stored."""
    check_window(body.limit, body.offset)
    with unit_of_work(request) as work:
        report = FactorSetService(work.session, work.context).impact(body.proposal_ids)
        return impact_json(report, body.limit, body.offset)


@router.post("/factor-sets", status_code=201)
def publish(body: PublishRequest, request: Request) -> dict[str, Any]:
    """The regulator publishes a new version (immutable); footprints keep the version they used."""
    with unit_of_work(request) as work:
        stored = FactorSetService(work.session, work.context).publish(
            body.version, body.title, body.proposal_ids
        )
        return version_json(stored)
