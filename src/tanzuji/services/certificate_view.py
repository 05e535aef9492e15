"""The public face of a certificate: everything the verification page, the label, the
registry and the disclosure report show about it, in one read model.

Nothing confidential is in it: no activity data, no suppliers, no reasons of surveillance
decisions (the ledger keeps only salted commitments to them), only what the signed credential
states and where the certificate stands.
"""

from __future__ import annotations

import datetime
import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tanzuji.bilingual import in_language
from tanzuji.certification import CertificateStatus, Standing, standing
from tanzuji.rules import find_rule
from tanzuji.store.models import (
    Certificate,
    CertificateReview,
    Footprint,
    Organization,
    Product,
    Submission,
)

__all__ = ["CertificateView", "OrganizationName", "Subject", "certificate_view", "subject_of"]


@dataclass(frozen=True)
class OrganizationName:
    """An organization as a certificate names it."""

    id: uuid.UUID
    name_zh: str
    name_en: str
    uscc: str | None
    county: str

    def name(self, language: str) -> str:
        """The name in ``language`` (``zh`` or ``en``; the Chinese name where no English)."""
        return in_language(self.name_zh, self.name_en, language)


@dataclass(frozen=True)
class CertificateView:
    """A certificate as the public sees it at ``checked_at``.

    ``value_kgco2e`` is the footprint in kg CO2e per ``declared_unit`` (e.g. ``1 kg green
    tea``); ``unit`` spells that unit out. ``standing`` is :func:`tanzuji.certification.standing`
    at ``checked_at``: valid, expired, suspended or withdrawn. ``credential`` is the signed W3C
    verifiable credential exactly as issued, ``credential_sha256`` the SHA-256 the ledger
    recorded in entry ``ledger_index``.
    """

    id: uuid.UUID
    number: str
    status: CertificateStatus
    standing: Standing
    checked_at: datetime.datetime
    status_changed_at: datetime.datetime
    product_id: uuid.UUID
    product_code: str
    product_name_zh: str
    product_name_en: str
    rule_id: str
    rule_key: str
    rule_name_zh: str
    rule_name_en: str
    period_start: datetime.date
    period_end: datetime.date
    footprint_id: uuid.UUID
    submission_id: uuid.UUID
    value_kgco2e: float
    unit: str
    declared_unit: str
    boundary: str
    factor_set_version: str
    gwp: str
    data_quality_rating: float | None
    primary_data_share: float | None
    enterprise: OrganizationName
    verifier: OrganizationName | None
    body: OrganizationName
    valid_from: datetime.datetime
    valid_until: datetime.datetime
    grade: int | None
    benchmark_version: str | None
    ledger_index: int
    credential: dict[str, Any]
    credential_sha256: str

    def product_name(self, language: str) -> str:
        """The product's name in ``language`` (the Chinese name where no English)."""
        return in_language(self.product_name_zh, self.product_name_en, language)


@dataclass(frozen=True)
class Subject:
    """An application or certificate with the footprint, submission and product it is for."""

    certificate: Certificate
    footprint: Footprint
    submission: Submission
    product: Product


def subject_of(session: Session, certificate: Certificate) -> Subject:
    """What ``certificate`` is about (its rows are foreign keys: they exist)."""
    footprint = session.get(Footprint, certificate.footprint_id)
    submission = session.get(Submission, certificate.submission_id)
    product = session.get(Product, certificate.product_id)
    assert footprint is not None
    assert submission is not None
    assert product is not None
    return Subject(certificate, footprint, submission, product)


def _organization(session: Session, organization_id: uuid.UUID) -> OrganizationName:
    found = session.get(Organization, organization_id)
    assert found is not None  # a foreign key
    return OrganizationName(found.id, found.name_zh, found.name_en, found.uscc, found.county)


def certificate_view(
    session: Session, certificate: Certificate, at: datetime.datetime
) -> CertificateView:
    """The read model of an issued (possibly since suspended or withdrawn) ``certificate``."""
    assert certificate.number is not None
    assert certificate.credential is not None
    assert certificate.valid_from is not None
    assert certificate.valid_until is not None
    assert certificate.ledger_index is not None
    assert certificate.credential_sha256 is not None
    subject = subject_of(session, certificate)
    product, footprint, submission = subject.product, subject.footprint, subject.submission
    rule = find_rule(footprint.rule_key)
    last_review = session.scalars(
        select(CertificateReview.decided_at)
        .where(CertificateReview.certificate_id == certificate.id)
        .order_by(CertificateReview.decided_at.desc())
        .limit(1)
    ).first()
    result = footprint.result
    quality = result.get("data_quality") or {}
    return CertificateView(
        id=certificate.id,
        number=certificate.number,
        status=certificate.status,
        standing=standing(certificate.status, certificate.valid_until, at),
        checked_at=at,
        status_changed_at=last_review or certificate.valid_from,
        product_id=product.id,
        product_code=product.code,
        product_name_zh=product.name_zh,
        product_name_en=product.name_en,
        rule_id=rule.id,
        rule_key=footprint.rule_key,
        rule_name_zh=rule.name_zh,
        rule_name_en=rule.name_en,
        period_start=submission.period_start,
        period_end=submission.period_end,
        footprint_id=footprint.id,
        submission_id=submission.id,
        value_kgco2e=footprint.total_kgco2e,
        unit=f"kg CO2e per {footprint.declared_unit}",
        declared_unit=footprint.declared_unit,
        boundary=str(result.get("boundary", rule.boundary.value)),
        factor_set_version=footprint.factor_set_version,
        gwp=footprint.gwp,
        data_quality_rating=quality.get("rating"),
        primary_data_share=result.get("primary_data_share"),
        enterprise=_organization(session, certificate.enterprise_id),
        verifier=_organization(session, submission.verifier_id) if submission.verifier_id else None,
        body=_organization(session, certificate.body_id),
        valid_from=certificate.valid_from,
        valid_until=certificate.valid_until,
        grade=certificate.grade,
        benchmark_version=certificate.benchmark_version,
        ledger_index=certificate.ledger_index,
        credential=json.loads(certificate.credential),
        credential_sha256=certificate.credential_sha256,
    )
