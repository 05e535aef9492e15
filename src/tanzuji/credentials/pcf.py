"""The product carbon footprint certificate as a W3C Verifiable Credential 2.0.

A certification body's decision (CNCA general implementation rules for product carbon
footprint label certification, 2025) is issued as an unsigned credential by
:func:`pcf_credential` and signed with :func:`~tanzuji.credentials.data_integrity.add_proof`
by the deployment's issuer key, on behalf of the body named in ``issuer.name``. The terms
tanzuji adds to VC 2.0 are defined in the JSON-LD context :func:`credential_context`, served at
``{public_url}/credentials/v1``; ``docs/credentials.md`` explains each one.

Numbers travel with their units: ``{"value": 0.92, "unit": "kg CO2e", "declaredUnit": "1 kg"}``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tanzuji.credentials.status_list import STATUS_PURPOSES, VC_CONTEXT, status_entry
from tanzuji.credentials.timestamps import xsd_datetime
from tanzuji.credentials.verification import (
    Check,
    CredentialCheck,
    CredentialReport,
    verify_credential,
)
from tanzuji.errors import CredentialError
from tanzuji.uscc import validate_uscc

__all__ = [
    "CREDENTIAL_TYPE",
    "FOOTPRINT_UNIT",
    "STANDARD",
    "CertificateClaims",
    "Check",
    "CredentialCheck",
    "CredentialReport",
    "certificate_status_entries",
    "context_url",
    "credential_context",
    "pcf_credential",
    "status_list_url",
    "verify_credential",
]

CREDENTIAL_TYPE = "ProductCarbonFootprintCertificate"
"""The ``type`` of tanzuji's certificates, beside ``VerifiableCredential``."""
FOOTPRINT_UNIT = "kg CO2e"
"""The unit of every certified footprint: kilograms of CO2 equivalent per declared unit."""
STANDARD = "GB/T 24067-2024"
"""The national standard footprints are quantified to (温室气体 产品碳足迹 量化要求和指南)."""
GRADES = range(1, 6)
"""Grades 1 (best) to 5 of graded management."""


def context_url(public_url: str) -> str:
    """The URL of tanzuji's JSON-LD context on the deployment at ``public_url``."""
    return f"{public_url}/credentials/v1"


def status_list_url(public_url: str, purpose: str) -> str:
    """The URL of the deployment's status list for ``purpose`` (revocation or suspension)."""
    return f"{public_url}/credentials/status/{purpose}"


def certificate_status_entries(public_url: str, index: int) -> tuple[dict[str, str], ...]:
    """The two status entries of a certificate: bit ``index`` of the revocation list and of
    the suspension list."""
    return tuple(
        status_entry(list_url=status_list_url(public_url, purpose), purpose=purpose, index=index)
        for purpose in STATUS_PURPOSES
    )


@dataclass(frozen=True)
class CertificateClaims:
    """What a product carbon footprint certificate asserts; checked when made.

    ``footprint_value`` is in :data:`FOOTPRINT_UNIT` per ``declared_unit`` of the product.
    ``grade`` (1 best … 5) comes with the ``benchmark_version`` it was graded against, or both
    are ``None``. ``ledger_index`` is the transparency log entry recording the issue.
    ``context_url`` is :func:`context_url` of the deployment and ``status_entries`` are
    :func:`certificate_status_entries`."""

    number: str
    product_name: str
    product_name_en: str | None
    declared_unit: str
    footprint_value: float
    boundary: str
    rule_id: str
    rule_version: str
    factor_set_version: str
    gwp_version: str
    enterprise_name: str
    enterprise_uscc: str
    verifier_name: str
    verifier_uscc: str
    certification_body_name: str
    certification_body_uscc: str
    grade: int | None
    benchmark_version: str | None
    ledger_index: int
    valid_from: datetime
    valid_until: datetime
    verification_url: str
    context_url: str
    status_entries: tuple[dict[str, str], ...]
    standard: str = STANDARD
    footprint_unit: str = FOOTPRINT_UNIT

    def __post_init__(self) -> None:
        for name in (
            "number", "product_name", "declared_unit", "boundary", "rule_id", "rule_version",
            "factor_set_version", "gwp_version", "enterprise_name", "verifier_name",
            "certification_body_name", "verification_url", "context_url", "standard",
        ):  # fmt: skip
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise CredentialError(f"{name}: must be a non-empty text, not {value!r}", name)
        for name in ("enterprise_uscc", "verifier_uscc", "certification_body_uscc"):
            try:
                validate_uscc(getattr(self, name))
            except (ValueError, AttributeError) as exc:
                raise CredentialError(f"{name}: {exc}", name) from exc
        value = self.footprint_value
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise CredentialError(
                f"footprint_value: must be a finite number of {self.footprint_unit}, not {value!r}",
                "footprint_value",
            )
        if (self.grade is None) != (self.benchmark_version is None):
            raise CredentialError(
                "grade: a grade and the benchmark version it was graded against go together",
                "grade",
            )
        if self.grade is not None and self.grade not in GRADES:
            raise CredentialError(f"grade: must be 1 (best) to 5, not {self.grade!r}", "grade")
        if (
            isinstance(self.ledger_index, bool)
            or not isinstance(self.ledger_index, int)
            or (self.ledger_index < 0)
        ):
            raise CredentialError(
                f"ledger_index: must be a whole number ≥ 0, not {self.ledger_index!r}",
                "ledger_index",
            )
        if xsd_datetime(self.valid_until, "valid_until") <= xsd_datetime(
            self.valid_from, "valid_from"
        ):
            raise CredentialError("valid_until: must be after valid_from", "valid_until")
        purposes = sorted(entry.get("statusPurpose", "") for entry in self.status_entries)
        if purposes != sorted(STATUS_PURPOSES):
            raise CredentialError(
                "status_entries: a certificate has one revocation and one suspension entry, "
                f"not {purposes}",
                "status_entries",
            )


def _organization(name: str, uscc: str) -> dict[str, str]:
    return {"type": "Organization", "name": name, "uscc": validate_uscc(uscc)}


def pcf_credential(
    claims: CertificateClaims, *, issuer_did: str, issuer_name: str
) -> dict[str, Any]:
    """The unsigned certificate credential for ``claims``, issued by ``issuer_did`` (the
    deployment's ``did:key``) in the name of the certification body ``issuer_name``."""
    if not issuer_did.startswith("did:"):
        raise CredentialError(f"issuer_did: {issuer_did!r} is not a DID", "issuer_did")
    product: dict[str, Any] = {"name": claims.product_name, "declaredUnit": claims.declared_unit}
    if claims.product_name_en:
        product["nameEn"] = claims.product_name_en
    subject: dict[str, Any] = {
        "type": "ProductCarbonFootprint",
        "certificateNumber": claims.number,
        "product": product,
        "carbonFootprint": {
            "value": claims.footprint_value,
            "unit": claims.footprint_unit,
            "declaredUnit": claims.declared_unit,
        },
        "systemBoundary": claims.boundary,
        "standard": claims.standard,
        "productRule": {"id": claims.rule_id, "version": claims.rule_version},
        "factorSetVersion": claims.factor_set_version,
        "gwpVersion": claims.gwp_version,
        "manufacturer": _organization(claims.enterprise_name, claims.enterprise_uscc),
        "verifier": _organization(claims.verifier_name, claims.verifier_uscc),
        "certificationBody": _organization(
            claims.certification_body_name, claims.certification_body_uscc
        ),
        "ledgerIndex": claims.ledger_index,
    }
    if claims.grade is not None:
        subject["grade"] = {"value": claims.grade, "benchmarkVersion": claims.benchmark_version}
    return {
        "@context": [VC_CONTEXT, claims.context_url],
        "id": claims.verification_url,
        "type": ["VerifiableCredential", CREDENTIAL_TYPE],
        "issuer": {"id": issuer_did, "name": issuer_name},
        "validFrom": xsd_datetime(claims.valid_from, "valid_from"),
        "validUntil": xsd_datetime(claims.valid_until, "valid_until"),
        "credentialSubject": subject,
        "credentialStatus": [dict(entry) for entry in claims.status_entries],
    }


_TERMS = (
    CREDENTIAL_TYPE, "ProductCarbonFootprint", "Organization", "certificateNumber", "product",
    "nameEn", "declaredUnit", "carbonFootprint", "value", "unit", "systemBoundary", "standard",
    "productRule", "version", "factorSetVersion", "gwpVersion", "manufacturer", "verifier",
    "certificationBody", "uscc", "ledgerIndex", "grade", "benchmarkVersion",
)  # fmt: skip


def credential_context(url: str) -> dict[str, Any]:
    """The JSON-LD context document served at ``url`` (:func:`context_url`): each tanzuji
    term as an IRI ``{url}#term``. Terms VC 2.0 defines (``id``, ``type``, ``name``) are not
    redefined; the proof is over the JSON itself, so the context only explains the terms."""
    return {
        "@context": {
            "@version": 1.1,
            "@protected": True,
            **{term: f"{url}#{term}" for term in _TERMS},
        }
    }
