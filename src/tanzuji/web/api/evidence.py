"""Evidence files (证明材料) of submissions: upload, list, download."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from tanzuji.errors import TooLarge
from tanzuji.services.evidence import EvidenceService
from tanzuji.store.evidence import EvidenceStore
from tanzuji.store.models import Evidence
from tanzuji.web.work import Work, settings_of, unit_of_work

__all__ = ["content_disposition", "evidence_json", "router"]

router = APIRouter(tags=["evidence"])


def evidence_json(evidence: Evidence) -> dict[str, Any]:
    return {
        "id": str(evidence.id),
        "submission_id": str(evidence.submission_id),
        "revision": evidence.revision,
        "input_name": evidence.input_name,
        "filename": evidence.filename,
        "media_type": evidence.media_type,
        "size": {"value": evidence.size, "unit": "byte"},
        "sha256": evidence.sha256,
        "uploaded_by": str(evidence.uploaded_by),
        "uploaded_at": evidence.uploaded_at.isoformat(),
        "download": f"/api/v1/evidence/{evidence.id}",
    }


def content_disposition(filename: str) -> str:
    """``attachment`` with the name twice: an ASCII stand-in, and the name itself in UTF-8
    (RFC 6266 section 4.3, RFC 8187), so no character of it can break the header.

    >>> print(content_disposition("发票 1.pdf"))
    attachment; filename="__ 1.pdf"; filename*=UTF-8''%E5%8F%91%E7%A5%A8%201.pdf
    """
    fallback = "".join(ch if " " <= ch <= "~" and ch not in '"\\;%' else "_" for ch in filename)
    encoded = quote(filename, safe="")
    return f"attachment; filename=\"{fallback or 'evidence'}\"; filename*=UTF-8''{encoded}"


def _service(work: Work, request: Request) -> EvidenceService:
    store = EvidenceStore.from_settings(settings_of(request))
    return EvidenceService(work.session, work.context, store)


@router.post("/submissions/{submission_id}/evidence", status_code=201)
async def upload(
    submission_id: uuid.UUID,
    request: Request,
    file: UploadFile = File(...),  # noqa: B008 (FastAPI's declaration style)
    input_name: str | None = Form(None),
) -> dict[str, Any]:
    """Attach a file (PDF, PNG, JPEG, .xlsx, UTF-8 CSV or text) to the submission's current
    revision, optionally naming the input it backs; the enterprise, while it holds the
    submission."""
    limit = settings_of(request).max_upload_bytes
    content = await file.read(limit + 1)
    if len(content) > limit:
        raise TooLarge(f"the file is larger than {limit:,} bytes", field="file")
    with unit_of_work(request) as work:
        made = _service(work, request).upload(
            submission_id, file.filename or "", content, input_name
        )
        return evidence_json(made)


@router.get("/submissions/{submission_id}/evidence")
def evidence_list(submission_id: uuid.UUID, request: Request) -> dict[str, Any]:
    """Every file attached to the submission, across revisions."""
    with unit_of_work(request) as work:
        found = _service(work, request).list(submission_id)
        return {"items": [evidence_json(e) for e in found]}


@router.get("/evidence/{evidence_id}", response_class=Response)
def download(evidence_id: uuid.UUID, request: Request) -> Response:
    """The file itself, checked against its SHA-256 on the way out."""
    with unit_of_work(request) as work:
        evidence, content = _service(work, request).download(evidence_id)
        media_type, filename, sha256 = evidence.media_type, evidence.filename, evidence.sha256
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": content_disposition(filename),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
            "ETag": f'"{sha256}"',
        },
    )
