"""The regulator's view: submissions by status, footprints by group, the audit log."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from fastapi import APIRouter, Request

from tanzuji.services.oversight import OversightService
from tanzuji.store.models import AuditEvent
from tanzuji.web.api.render import page_json
from tanzuji.web.work import unit_of_work

router = APIRouter(tags=["oversight"])


def _event(event: AuditEvent) -> dict[str, Any]:
    return {
        "id": str(event.id),
        "at": event.at.isoformat(),
        "actor_id": str(event.actor_id) if event.actor_id else None,
        "organization_id": str(event.organization_id) if event.organization_id else None,
        "action": event.action,
        "subject_type": event.subject_type,
        "subject_id": event.subject_id,
        "detail": event.detail,
    }


@router.get("/oversight/overview")
def overview(request: Request, by: str = "rule") -> dict[str, Any]:
    """Submissions by status, and the latest footprints grouped ``by`` rule, industry or
    county."""
    with unit_of_work(request) as work:
        service = OversightService(work.session, work.context)
        return {
            "status_counts": service.status_counts(),
            "footprints": [
                {
                    "group": f.group,
                    "products": f.products,
                    "footprints": f.footprints,
                    "min": f.minimum,
                    "median": f.median,
                    "max": f.maximum,
                    "unit": f.unit,
                }
                for f in service.footprints_by(by)
            ],
        }


@router.get("/audit")
def audit(
    request: Request,
    action: str | None = None,
    subject_id: str | None = None,
    actor_id: uuid.UUID | None = None,
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
    limit: int = 100,
    offset: int = 0,
) -> dict[str, Any]:
    """Audit events, newest first, filtered."""
    with unit_of_work(request) as work:
        page = OversightService(work.session, work.context).audit_log(
            action=action,
            subject_id=subject_id,
            actor_id=actor_id,
            since=since,
            until=until,
            limit=limit,
            offset=offset,
        )
        return page_json(page, _event)
