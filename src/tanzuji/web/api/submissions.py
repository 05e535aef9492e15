"""Activity data submissions: enter (JSON, monthly, or the rule's table), revise, calculate,
submit; read revisions, footprints and comments."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from pydantic import BaseModel, Field

from tanzuji.errors import TooLarge
from tanzuji.services.submissions import SubmissionService
from tanzuji.services.verification import VerificationService
from tanzuji.web.api.render import (
    comment_json,
    footprint_json,
    page_json,
    revision_json,
    submission_json,
)
from tanzuji.web.work import Work, settings_of, unit_of_work
from tanzuji.workflow import Status

router = APIRouter(tags=["submissions"])


class SubmissionRequest(BaseModel):
    product_id: uuid.UUID
    data: dict[str, Any] = Field(description="activity data under the product's rule")
    monthly: list[dict[str, Any]] | None = Field(
        None, description="monthly entries [{month: 'YYYY-MM', inputs: {...}}], added up"
    )


class RevisionRequest(BaseModel):
    version: int = Field(description="the submission's version the edit starts from")
    data: dict[str, Any]
    monthly: list[dict[str, Any]] | None = None


class Version(BaseModel):
    version: int | None = Field(None, description="the version seen, to refuse a stale action")


class CommentRequest(BaseModel):
    body: str
    input_name: str | None = None


async def _read_upload(request: Request, file: UploadFile) -> bytes:
    limit = settings_of(request).max_upload_bytes
    content = await file.read(limit + 1)
    if len(content) > limit:
        raise TooLarge(f"the file is larger than {limit:,} bytes", field="file")
    return content


def _detail(work: Work, submission_id: uuid.UUID) -> dict[str, Any]:
    service = SubmissionService(work.session, work.context)
    submission = service.get(submission_id)
    footprint = service.latest_footprint(submission)
    (current,) = [r for r in service.revisions(submission_id) if r.number == submission.revision]
    return {
        **submission_json(submission),
        "data": current.data,
        "warnings": current.warnings,
        "footprint": footprint_json(footprint) if footprint else None,
    }


@router.post("/submissions", status_code=201)
def create(body: SubmissionRequest, request: Request) -> dict[str, Any]:
    """Submit activity data as JSON, whole or with monthly entries; stored only if the rule
    check finds no error (warnings need a justification)."""
    with unit_of_work(request) as work:
        made = SubmissionService(work.session, work.context).create(
            body.product_id, body.data, body.monthly
        )
        return _detail(work, made.id)


@router.post("/submissions/upload", status_code=201)
async def create_from_table(
    request: Request,
    product_id: uuid.UUID = Form(...),  # noqa: B008 (FastAPI's declaration style)
    file: UploadFile = File(...),  # noqa: B008
) -> dict[str, Any]:
    """Submit the rule's filled Excel (.xlsx) or CSV table; every bad cell is listed."""
    content = await _read_upload(request, file)
    with unit_of_work(request) as work:
        made = SubmissionService(work.session, work.context).create_from_table(
            product_id, file.filename or "upload", content
        )
        return _detail(work, made.id)


@router.get("/submissions")
def submissions(
    request: Request,
    status: Status | None = None,
    product_id: uuid.UUID | None = None,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    """The submissions the acting user may read, newest first, a page at a time."""
    with unit_of_work(request) as work:
        page = SubmissionService(work.session, work.context).submissions(
            status=status, product_id=product_id, limit=limit, offset=offset
        )
        return page_json(page, submission_json)


@router.get("/submissions/{submission_id}")
def submission(submission_id: uuid.UUID, request: Request) -> dict[str, Any]:
    """A submission with its current data, warnings and latest footprint."""
    with unit_of_work(request) as work:
        return _detail(work, submission_id)


@router.put("/submissions/{submission_id}")
def revise(submission_id: uuid.UUID, body: RevisionRequest, request: Request) -> dict[str, Any]:
    """New data: a new revision (409 if the submission changed since ``version``)."""
    with unit_of_work(request) as work:
        SubmissionService(work.session, work.context).revise(
            submission_id, body.version, body.data, body.monthly
        )
        return _detail(work, submission_id)


@router.put("/submissions/{submission_id}/upload")
async def revise_from_table(
    submission_id: uuid.UUID,
    request: Request,
    version: int = Form(...),
    file: UploadFile = File(...),  # noqa: B008
) -> dict[str, Any]:
    """New data from the rule's filled table: a new revision."""
    content = await _read_upload(request, file)
    with unit_of_work(request) as work:
        SubmissionService(work.session, work.context).revise_from_table(
            submission_id, version, file.filename or "upload", content
        )
        return _detail(work, submission_id)


@router.post("/submissions/{submission_id}/calculate")
def calculate(submission_id: uuid.UUID, body: Version, request: Request) -> dict[str, Any]:
    """Compute the footprint of the current revision with the latest factor set."""
    with unit_of_work(request) as work:
        footprint = SubmissionService(work.session, work.context).calculate(
            submission_id, body.version
        )
        return footprint_json(footprint)


@router.post("/submissions/{submission_id}/submit")
def submit(submission_id: uuid.UUID, body: Version, request: Request) -> dict[str, Any]:
    """Hand the calculated submission over for verification."""
    with unit_of_work(request) as work:
        SubmissionService(work.session, work.context).submit(submission_id, body.version)
        return _detail(work, submission_id)


@router.get("/submissions/{submission_id}/revisions")
def revisions(submission_id: uuid.UUID, request: Request) -> dict[str, Any]:
    """Every revision, oldest first."""
    with unit_of_work(request) as work:
        found = SubmissionService(work.session, work.context).revisions(submission_id)
        return {"items": [revision_json(r) for r in found]}


@router.get("/submissions/{submission_id}/footprints")
def footprints(submission_id: uuid.UUID, request: Request) -> dict[str, Any]:
    """Every footprint computed, oldest first."""
    with unit_of_work(request) as work:
        found = SubmissionService(work.session, work.context).footprints(submission_id)
        return {"items": [footprint_json(f) for f in found]}


@router.get("/submissions/{submission_id}/comments")
def comments(submission_id: uuid.UUID, request: Request) -> dict[str, Any]:
    """Every comment, across revisions."""
    with unit_of_work(request) as work:
        found = VerificationService(work.session, work.context).comments(submission_id)
        return {"items": [comment_json(c) for c in found]}


@router.post("/submissions/{submission_id}/comments", status_code=201)
def comment(submission_id: uuid.UUID, body: CommentRequest, request: Request) -> dict[str, Any]:
    """A remark by the enterprise or its verifier, optionally on one input."""
    with unit_of_work(request) as work:
        made = VerificationService(work.session, work.context).comment(
            submission_id, body.body, body.input_name
        )
        return comment_json(made)
