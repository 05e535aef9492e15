"""Verifiable credentials: keys as ``did:key``, ``eddsa-jcs-2022`` proofs, Bitstring Status
Lists and the product carbon footprint certificate. Domain core: no database, no web."""

from tanzuji.credentials.data_integrity import CRYPTOSUITE, ProofCheck, add_proof, verify_proof
from tanzuji.credentials.did_web import did_web, did_web_document, did_web_document_url
from tanzuji.credentials.multikey import (
    did_key,
    public_key_from_multibase,
    public_key_from_verification_method,
    public_key_multibase,
    verification_method_id,
)
from tanzuji.credentials.pcf import (
    CertificateClaims,
    certificate_status_entries,
    context_url,
    credential_context,
    pcf_credential,
    status_list_url,
)
from tanzuji.credentials.status_list import StatusList, status_entry, status_list_credential
from tanzuji.credentials.verification import (
    Check,
    CredentialCheck,
    CredentialReport,
    NotChecked,
    verify_credential,
)

__all__ = [
    "CRYPTOSUITE",
    "CertificateClaims",
    "Check",
    "CredentialCheck",
    "CredentialReport",
    "NotChecked",
    "ProofCheck",
    "StatusList",
    "add_proof",
    "certificate_status_entries",
    "context_url",
    "credential_context",
    "did_key",
    "did_web",
    "did_web_document",
    "did_web_document_url",
    "pcf_credential",
    "public_key_from_multibase",
    "public_key_from_verification_method",
    "public_key_multibase",
    "status_entry",
    "status_list_credential",
    "status_list_url",
    "verification_method_id",
    "verify_credential",
    "verify_proof",
]
