"""Verification: the regulator assigns, the verifier decides; conflicts of interest."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel

from tanzuji.services.verification import VerificationService
from tanzuji.web.api.render import case_json
from tanzuji.web.work import unit_of_work

router = APIRouter(tags=["verification"])


class Assignment(BaseModel):
    verifier_id: uuid.UUID
    version: int | None = None


class CommentItem(BaseModel):
    body: str
    input_name: str | None = None


class Decision(BaseModel):
    decision: Literal["accept", "return"]
    comments: list[CommentItem] = []


class ConflictDeclaration(BaseModel):
    enterprise_id: uuid.UUID
    reason: str


@router.post("/submissions/{submission_id}/assign", status_code=201)
def assign(submission_id: uuid.UUID, body: Assignment, request: Request) -> dict[str, Any]:
    """The regulator assigns a verifier (never one with a declared conflict)."""
    with unit_of_work(request) as work:
        case = VerificationService(work.session, work.context).assign(
            submission_id, body.verifier_id, body.version
        )
        return case_json(case)


@router.get("/cases")
def cases(request: Request, open_only: bool = False) -> dict[str, Any]:
    """The acting verifier's cases."""
    with unit_of_work(request) as work:
        found = VerificationService(work.session, work.context).cases(open_only=open_only)
        return {"items": [case_json(c) for c in found]}


@router.post("/cases/{case_id}/decision")
def decide(case_id: uuid.UUID, body: Decision, request: Request) -> dict[str, Any]:
    """Accept, or return with comments."""
    with unit_of_work(request) as work:
        case = VerificationService(work.session, work.context).decide(
            case_id,
            body.decision,
            [{"body": c.body, "input_name": c.input_name or ""} for c in body.comments],
        )
        return case_json(case)


@router.post("/conflicts", status_code=201)
def declare_conflict(body: ConflictDeclaration, request: Request) -> dict[str, Any]:
    """The acting verifier declares a conflict of interest with an enterprise."""
    with unit_of_work(request) as work:
        declared = VerificationService(work.session, work.context).declare_conflict(
            body.enterprise_id, body.reason
        )
        return {"id": str(declared.id), "enterprise_id": str(declared.enterprise_id)}
