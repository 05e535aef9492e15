"""Certification: the enterprise applies, the certification body decides and reviews; anyone
reads an issued certificate and downloads its signed credential."""

from __future__ import annotations

import json
import uuid
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel

from tanzuji.certification import CertificateAction, CertificateStatus
from tanzuji.services.certificate_events import reason_commitment
from tanzuji.services.certificate_view import CertificateView, OrganizationName
from tanzuji.services.certification import CertificationService
from tanzuji.store.models import Certificate, CertificateReview
from tanzuji.web.api.render import iso
from tanzuji.web.work import Work, keys_of, settings_of, unit_of_work

__all__ = ["certificate_json", "router", "view_json"]

router = APIRouter(tags=["certificates"])


class Application(BaseModel):
    submission_id: uuid.UUID
    body_id: uuid.UUID


class Decision(BaseModel):
    action: Literal["certify", "refuse"]
    reason: str = ""


class Review(BaseModel):
    action: Literal["suspend", "reinstate", "withdraw"]
    reason: str


def service(request: Request, work: Work) -> CertificationService:
    """The certification service of a request, with the deployment's issuer key."""
    return CertificationService(
        work.session,
        work.context,
        issuer_key=keys_of(request).issuer,
        public_url=settings_of(request).public_url,
    )


def certificate_json(certificate: Certificate) -> dict[str, Any]:
    """An application or certificate as its enterprise and its certification body see it."""
    issued = certificate.number is not None
    return {
        "id": str(certificate.id),
        "number": certificate.number,
        "status": certificate.status.value,
        "submission_id": str(certificate.submission_id),
        "footprint_id": str(certificate.footprint_id),
        "product_id": str(certificate.product_id),
        "enterprise_id": str(certificate.enterprise_id),
        "body_id": str(certificate.body_id),
        "applied_at": iso(certificate.applied_at),
        "decided_at": iso(certificate.decided_at),
        "decision_reason": certificate.decision_reason,
        "valid_from": iso(certificate.valid_from),
        "valid_until": iso(certificate.valid_until),
        "grade": certificate.grade,
        "benchmark_version": certificate.benchmark_version,
        "ledger_index": certificate.ledger_index,
        "credential_sha256": certificate.credential_sha256,
        "links": {
            "certificate": f"/api/v1/certificates/{certificate.number}",
            "credential": f"/api/v1/certificates/{certificate.number}/credential",
            "page": f"/v/{certificate.number}",
        }
        if issued
        else {},
    }


def review_json(review: CertificateReview) -> dict[str, Any]:
    return {
        "id": str(review.id),
        "certificate_id": str(review.certificate_id),
        "action": review.action.value,
        "reason": review.reason,
        "decided_at": iso(review.decided_at),
        "ledger_index": review.ledger_index,
        "ledger": {
            "salt": review.salt,
            "reason_commitment": reason_commitment(review.salt, review.reason),
        },
    }


def _organization_json(organization: OrganizationName) -> dict[str, Any]:
    return {
        "id": str(organization.id),
        "name_zh": organization.name_zh,
        "name_en": organization.name_en,
        "uscc": organization.uscc,
        "county": organization.county,
    }


def view_json(view: CertificateView) -> dict[str, Any]:
    """An issued certificate as the public sees it: numbers with their units."""
    return {
        "number": view.number,
        "status": view.status.value,
        "standing": view.standing.value,
        "checked_at": iso(view.checked_at),
        "status_changed_at": iso(view.status_changed_at),
        "product": {
            "id": str(view.product_id),
            "code": view.product_code,
            "name_zh": view.product_name_zh,
            "name_en": view.product_name_en,
        },
        "rule": {"id": view.rule_id, "key": view.rule_key, "name_zh": view.rule_name_zh,
                 "name_en": view.rule_name_en},
        "reference_period": {
            "start": view.period_start.isoformat(),
            "end": view.period_end.isoformat(),
        },
        "footprint": {
            "value": view.value_kgco2e,
            "unit": "kg CO2e",
            "declared_unit": view.declared_unit,
        },
        "boundary": view.boundary,
        "standard": view.credential["credentialSubject"].get("standard"),
        "factor_set": view.factor_set_version,
        "gwp": view.gwp,
        "data_quality_rating": view.data_quality_rating,
        "primary_data_share": view.primary_data_share,
        "enterprise": _organization_json(view.enterprise),
        "verifier": _organization_json(view.verifier) if view.verifier else None,
        "certification_body": _organization_json(view.body),
        "valid_from": iso(view.valid_from),
        "valid_until": iso(view.valid_until),
        "grade": {"value": view.grade, "benchmark_version": view.benchmark_version}
        if view.grade is not None
        else None,
        "ledger_index": view.ledger_index,
        "credential_sha256": view.credential_sha256,
        "links": {
            "credential": f"/api/v1/certificates/{view.number}/credential",
            "page": f"/v/{view.number}",
        },
    }  # fmt: skip


@router.post("/certificates", status_code=201)
def apply(body: Application, request: Request) -> dict[str, Any]:
    """The enterprise applies to a certification body for its verified footprint."""
    with unit_of_work(request) as work:
        return certificate_json(service(request, work).apply(body.submission_id, body.body_id))


@router.get("/certificates")
def certificates(
    request: Request,
    status: CertificateStatus | None = None,
    submission_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    """The applications and certificates the acting user may see, newest first."""
    with unit_of_work(request) as work:
        found = service(request, work).certificates(status=status, submission_id=submission_id)
        return {"items": [certificate_json(c) for c in found]}


@router.post("/certificates/{certificate_id}/decision")
def decide(certificate_id: uuid.UUID, body: Decision, request: Request) -> dict[str, Any]:
    """The certification body certifies (issuing the certificate) or refuses, with a reason."""
    with unit_of_work(request) as work:
        decided = service(request, work).decide(
            certificate_id, CertificateAction(body.action), body.reason
        )
        return certificate_json(decided)


@router.post("/certificates/{certificate_id}/reviews", status_code=201)
def review(certificate_id: uuid.UUID, body: Review, request: Request) -> dict[str, Any]:
    """A surveillance decision: suspend, reinstate or withdraw, with its reason."""
    with unit_of_work(request) as work:
        made = service(request, work).review(
            certificate_id, CertificateAction(body.action), body.reason
        )
        return review_json(made)


@router.get("/certificates/{number}")
def certificate(number: str, request: Request) -> dict[str, Any]:
    """An issued certificate and where it stands now (public)."""
    with unit_of_work(request) as work:
        return view_json(service(request, work).certificate(number))


@router.get("/certificates/{number}/credential")
def credential(number: str, request: Request) -> Response:
    """The signed W3C verifiable credential of a certificate, exactly as issued (public)."""
    with unit_of_work(request) as work:
        view = service(request, work).certificate(number)
        return Response(
            json.dumps(view.credential, ensure_ascii=False, indent=2),
            media_type="application/json",
            headers={"content-disposition": f'attachment; filename="{number}.json"'},
        )
