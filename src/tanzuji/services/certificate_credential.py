"""The signed credential of a certificate, from the rows it certifies.

The claims come from the stored footprint (value per declared unit, boundary, rule, factor
set and GWP versions), its product and submission, the enterprise, the verifier that accepted
it and the certification body; the credential is signed with the deployment's issuer key
(``eddsa-jcs-2022``, verification method the key's ``did:key``) on behalf of the body.
"""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session

from tanzuji.credentials.data_integrity import add_proof
from tanzuji.credentials.multikey import did_key, verification_method_id
from tanzuji.credentials.pcf import (
    CertificateClaims,
    certificate_status_entries,
    context_url,
    pcf_credential,
)
from tanzuji.errors import Conflict, CredentialError
from tanzuji.services.certificate_urls import verification_url
from tanzuji.services.certificate_view import Subject
from tanzuji.store.models import Organization

__all__ = ["signed_credential"]


def _organization(session: Session, organization_id: object, role: str) -> Organization:
    found = session.get(Organization, organization_id)
    if found is None or not found.uscc:
        raise Conflict(
            f"the {role} has no unified social credit code, which a certificate names",
            field=f"{role}_id",
        )
    return found


def signed_credential(
    session: Session,
    subject: Subject,
    *,
    ledger_index: int,
    key: Ed25519PrivateKey,
    public_url: str,
) -> dict[str, Any]:
    """The signed W3C credential of the subject's certificate (numbered, dated and indexed
    already) for its footprint, naming ``ledger_index`` as the entry that records its issue."""
    certificate, footprint = subject.certificate, subject.footprint
    product, submission = subject.product, subject.submission
    assert certificate.number is not None
    assert certificate.status_list_index is not None
    assert certificate.valid_from is not None
    assert certificate.valid_until is not None
    if submission.verifier_id is None:
        raise Conflict("the submission was verified by no verifier", field="submission_id")
    enterprise = _organization(session, certificate.enterprise_id, "enterprise")
    verifier = _organization(session, submission.verifier_id, "verifier")
    body = _organization(session, certificate.body_id, "body")
    rule_id, _, rule_version = footprint.rule_key.partition("@")
    public_key = key.public_key()
    try:
        claims = CertificateClaims(
            number=certificate.number,
            product_name=product.name_zh,
            product_name_en=product.name_en or None,
            declared_unit=footprint.declared_unit,
            footprint_value=footprint.total_kgco2e,
            boundary=str(footprint.result.get("boundary", "")),
            rule_id=rule_id,
            rule_version=rule_version,
            factor_set_version=footprint.factor_set_version,
            gwp_version=footprint.gwp,
            enterprise_name=enterprise.name_zh,
            enterprise_uscc=str(enterprise.uscc),
            verifier_name=verifier.name_zh,
            verifier_uscc=str(verifier.uscc),
            certification_body_name=body.name_zh,
            certification_body_uscc=str(body.uscc),
            grade=certificate.grade,
            benchmark_version=certificate.benchmark_version,
            ledger_index=ledger_index,
            valid_from=certificate.valid_from,
            valid_until=certificate.valid_until,
            verification_url=verification_url(public_url, certificate.number),
            context_url=context_url(public_url),
            status_entries=certificate_status_entries(public_url, certificate.status_list_index),
        )
    except CredentialError as exc:
        raise Conflict(f"the certificate cannot be issued: {exc}", field=exc.field) from exc
    unsigned = pcf_credential(claims, issuer_did=did_key(public_key), issuer_name=body.name_zh)
    return add_proof(
        unsigned,
        key,
        verification_method=verification_method_id(public_key),
        created=certificate.valid_from,
    )
