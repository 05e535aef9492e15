"""Data-sharing grants (数据共享授权): the enterprise grants and revokes and sees who read
what; the data partner reads what is shared with it."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from fastapi import APIRouter, Request
from pydantic import AwareDatetime, BaseModel, Field

from tanzuji.services.paging import Page
from tanzuji.services.sharing import (
    ReadEntry,
    SharedActivityData,
    SharedFootprint,
    SharingService,
    grant_state,
)
from tanzuji.store.models import Grant
from tanzuji.web.api.render import iso, organization_json, product_json
from tanzuji.web.work import unit_of_work

__all__ = [
    "activity_data_json",
    "grant_json",
    "read_json",
    "router",
    "shared_footprint_json",
]

router = APIRouter(tags=["sharing"])


class GrantRequest(BaseModel):
    partner_id: uuid.UUID = Field(description="a data partner: association, institute, bank, …")
    product_ids: list[uuid.UUID] = Field(description="the enterprise's own products to share")
    valid_from: AwareDatetime
    valid_until: AwareDatetime = Field(description="the grant ends at this moment")
    include_activity_data: bool = False


def grant_json(grant: Grant, now: datetime.datetime) -> dict[str, Any]:
    return {
        "id": str(grant.id),
        "enterprise_id": str(grant.enterprise_id),
        "partner_id": str(grant.partner_id),
        "product_ids": [str(p.id) for p in grant.products],
        "include_activity_data": grant.include_activity_data,
        "valid_from": grant.valid_from.isoformat(),
        "valid_until": grant.valid_until.isoformat(),
        "revoked_at": iso(grant.revoked_at),
        "state": grant_state(grant, now),
        "created_at": grant.created_at.isoformat(),
    }


def shared_footprint_json(shared: SharedFootprint) -> dict[str, Any]:
    footprint = None
    if shared.footprint is not None and shared.submission is not None:
        footprint = {
            "id": str(shared.footprint.id),
            "status": shared.submission.status.value,
            "reference_period": {
                "start": shared.submission.period_start.isoformat(),
                "end": shared.submission.period_end.isoformat(),
            },
            "rule": shared.footprint.rule_key,
            "factor_set": shared.footprint.factor_set_version,
            "gwp": shared.footprint.gwp,
            "total": {
                "value": shared.footprint.total_kgco2e,
                "unit": f"kgCO2e per {shared.footprint.declared_unit}",
            },
            "computed_at": shared.footprint.computed_at.isoformat(),
            "figures": shared.figures,
        }
    return {
        "grant_id": str(shared.grant.id),
        "product": product_json(shared.product),
        "enterprise": organization_json(shared.enterprise),
        "footprint": footprint,
    }


def activity_data_json(shared: SharedActivityData) -> dict[str, Any]:
    return {
        "grant_id": str(shared.grant.id),
        "product": product_json(shared.product),
        "enterprise": organization_json(shared.enterprise),
        "submission_id": str(shared.submission.id),
        "status": shared.submission.status.value,
        "revision": shared.revision.number,
        "sha256": shared.revision.sha256,
        "data": shared.revision.data,
        "monthly": shared.revision.monthly,
    }


def read_json(entry: ReadEntry) -> dict[str, Any]:
    return {
        "id": str(entry.read.id),
        "grant_id": str(entry.read.grant_id),
        "read_at": entry.read.read_at.isoformat(),
        "what": entry.read.what,
        "reader": {"id": str(entry.reader.id), "display_name": entry.reader.display_name},
        "partner": {
            "id": str(entry.partner.id),
            "kind": entry.partner.kind.value,
            "name_zh": entry.partner.name_zh,
        },
        "product": {"id": str(entry.product.id), "code": entry.product.code},
    }


def _page(page: Page, items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"items": items, "total": page.total, "limit": page.limit, "offset": page.offset}


@router.post("/grants", status_code=201)
def grant(body: GrantRequest, request: Request) -> dict[str, Any]:
    """The enterprise's admin lets a data partner read chosen products' verified footprints
    (and activity data, if included) for a period."""
    with unit_of_work(request) as work:
        made = SharingService(work.session, work.context).grant(
            body.partner_id,
            body.product_ids,
            body.valid_from,
            body.valid_until,
            body.include_activity_data,
        )
        return grant_json(made, work.context.now())


@router.get("/grants")
def grants(request: Request, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """The enterprise's grants, or the grants made to the acting data partner."""
    with unit_of_work(request) as work:
        page = SharingService(work.session, work.context).grants(limit=limit, offset=offset)
        now = work.context.now()
        return _page(page, [grant_json(g, now) for g in page.items])


@router.get("/grants/reads")
def reads(request: Request, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """Who read what under the enterprise's grants, and when; newest first."""
    with unit_of_work(request) as work:
        page = SharingService(work.session, work.context).read_log(limit=limit, offset=offset)
        return _page(page, [read_json(e) for e in page.items])


@router.delete("/grants/{grant_id}")
def revoke(grant_id: uuid.UUID, request: Request) -> dict[str, Any]:
    """End a grant now; the record and its reads stay."""
    with unit_of_work(request) as work:
        ended = SharingService(work.session, work.context).revoke(grant_id)
        return grant_json(ended, work.context.now())


@router.get("/shared/footprints")
def shared_footprints(
    request: Request, product_id: uuid.UUID | None = None, limit: int = 50, offset: int = 0
) -> dict[str, Any]:
    """For a data partner: the products shared with it now, each with its latest verified
    footprint; every product served is logged for the enterprise to see."""
    with unit_of_work(request) as work:
        page = SharingService(work.session, work.context).shared_footprints(
            product_id, limit=limit, offset=offset
        )
        return _page(page, [shared_footprint_json(s) for s in page.items])


@router.get("/shared/products/{product_id}/activity-data")
def shared_activity_data(product_id: uuid.UUID, request: Request) -> dict[str, Any]:
    """For a data partner whose grant includes activity data: the data behind the product's
    latest verified footprint; the read is logged."""
    with unit_of_work(request) as work:
        shared = SharingService(work.session, work.context).shared_activity_data(product_id)
        return activity_data_json(shared)
