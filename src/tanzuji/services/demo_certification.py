"""The demo province's certification body, its certifier and its certificates.

A fictional body (贵州演示产品碳足迹认证中心, clearly a demo organization) receives an application
for each verified demo footprint, in the order the footprints were verified: it certifies the
first four, certifies the fifth and then suspends it after a surveillance review, certifies the
sixth and then withdraws it, and leaves the seventh waiting for its decision. The certificates
are signed with the deployment's issuer key, so they verify against its ``did.json``.
"""

from __future__ import annotations

from typing import Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from tanzuji.access import OrganizationKind, Role
from tanzuji.certification import CertificateAction
from tanzuji.services.certification import CertificationService
from tanzuji.services.context import Context
from tanzuji.store.models import Membership, Organization, Submission
from tanzuji.workflow import Status

__all__ = ["DEMO_BODY", "DemoLoader", "certify_demo"]

DEMO_BODY = ("贵州演示产品碳足迹认证中心", "Guizhou Demo PCF Certification Centre")
"""The demo certification body's Chinese and English names."""
_PLAN = ("issued", "issued", "issued", "issued", "suspended", "withdrawn", "applied")
"""What becomes of the application for each verified footprint, in order."""
_REASONS = {
    CertificateAction.SUSPEND: "获证后监督抽查发现计量记录不全，暂停至整改完成（演示） / "
    "surveillance found incomplete metering records: suspended until corrected (demo)",
    CertificateAction.WITHDRAW: "产品已停产，企业申请撤销证书（演示） / the product was "
    "discontinued and the enterprise asked to withdraw the certificate (demo)",
}


class DemoLoader(Protocol):
    """What the demo loader offers: organizations and members made through the services."""

    def organization(
        self, kind: OrganizationKind, name_zh: str, name_en: str
    ) -> Organization: ...  # pragma: no cover (a protocol)

    def member(
        self, email: str, name: str, organization: Organization, role: Role
    ) -> Context: ...  # pragma: no cover

    def context_of(self, membership: Membership) -> Context: ...  # pragma: no cover


def _admin(session: Session, load: DemoLoader, enterprise_id: object) -> Context:
    membership = session.scalars(
        select(Membership).where(
            Membership.organization_id == enterprise_id,
            Membership.role == Role.ENTERPRISE_ADMIN,
        )
    ).first()
    assert membership is not None  # every demo enterprise has its admin
    return load.context_of(membership)


def certify_demo(
    session: Session, load: DemoLoader, *, issuer_key: Ed25519PrivateKey | None, public_url: str
) -> None:
    """The demo certification body and certifier, and, given the deployment's issuer key, the
    certificates of the verified demo footprints (see the module's description)."""
    body = load.organization(OrganizationKind.CERTIFICATION_BODY, *DEMO_BODY)
    certifier = CertificationService(
        session,
        load.member("certifier@tanzuji.example", DEMO_BODY[0], body, Role.CERTIFIER),
        issuer_key=issuer_key,
        public_url=public_url,
    )
    if issuer_key is None:
        return
    verified = session.scalars(
        select(Submission)
        .where(Submission.status == Status.VERIFIED)
        .order_by(Submission.updated_at, Submission.id)
    )
    for submission, outcome in zip(verified, _PLAN, strict=False):
        enterprise = CertificationService(
            session, _admin(session, load, submission.organization_id)
        )
        applied = enterprise.apply(submission.id, body.id)
        if outcome == "applied":
            continue
        certifier.decide(applied.id, CertificateAction.CERTIFY, "")
        if outcome == "suspended":
            certifier.review(
                applied.id, CertificateAction.SUSPEND, _REASONS[CertificateAction.SUSPEND]
            )
        elif outcome == "withdrawn":
            certifier.review(
                applied.id, CertificateAction.WITHDRAW, _REASONS[CertificateAction.WITHDRAW]
            )
