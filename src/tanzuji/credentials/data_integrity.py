"""Data Integrity proofs with the ``eddsa-jcs-2022`` cryptosuite: sign and verify JSON.

W3C *Data Integrity EdDSA Cryptosuites v1.0* (Recommendation, 15 May 2025), §3.3:

- **transformation** (§3.3.3): the document without its ``proof``, as RFC 8785 canonical JSON;
- **proof configuration** (§3.3.5): the proof options (``type`` ``DataIntegrityProof``,
  ``cryptosuite``, ``created``, ``verificationMethod``, ``proofPurpose``) plus the document's
  ``@context``, as canonical JSON;
- **hashing** (§3.3.4): SHA-256 of the proof configuration followed by SHA-256 of the document,
  64 bytes;
- **serialization** (§3.3.6): the Ed25519 signature (RFC 8032, deterministic) of those bytes,
  written as multibase base58-btc (``z…``) in ``proofValue``.

Verification (§3.3.2) undoes it: drop ``proofValue``, check that the document's ``@context``
starts with the proof's, recompute the 64 bytes and check the signature. The appendix B.3
example of the Recommendation is reproduced byte for byte in ``tests/credentials``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from tanzuji.canonical import canonical_json
from tanzuji.credentials.multikey import (
    public_key_from_verification_method,
    public_key_multibase,
)
from tanzuji.credentials.timestamps import parse_xsd_datetime, xsd_datetime
from tanzuji.errors import CredentialError, TanzujiError

__all__ = ["CRYPTOSUITE", "PROOF_TYPE", "ProofCheck", "add_proof", "hash_data", "verify_proof"]

CRYPTOSUITE = "eddsa-jcs-2022"
PROOF_TYPE = "DataIntegrityProof"
_SIGNATURE_BYTES = 64


@dataclass(frozen=True)
class ProofCheck:
    """What checking a document's proof found.

    ``passed`` is true only if the signature is valid for the document as it is; ``reason``
    says in plain words what was checked or what failed. ``verification_method``, ``created``
    and ``proof_purpose`` echo the proof's members (``None`` where it has none)."""

    passed: bool
    reason: str
    verification_method: str | None = None
    created: str | None = None
    proof_purpose: str | None = None


def hash_data(document: dict[str, Any], proof_config: dict[str, Any]) -> bytes:
    """SHA-256(canonical proof configuration) ‖ SHA-256(canonical document): what is signed."""
    return (
        hashlib.sha256(canonical_json(proof_config)).digest()
        + hashlib.sha256(canonical_json(document)).digest()
    )


def add_proof(
    document: dict[str, Any],
    key: Ed25519PrivateKey,
    *,
    verification_method: str,
    created: datetime,
    proof_purpose: str = "assertionMethod",
) -> dict[str, Any]:
    """A copy of ``document`` with an ``eddsa-jcs-2022`` proof signed by ``key``.

    ``verification_method`` says where verifiers find the public key; when it is a ``did:key``
    or a Multikey it must be ``key``'s own. ``created`` must carry a time zone."""
    if not isinstance(document, dict):
        raise CredentialError("document: only a JSON object can be signed", "document")
    if "proof" in document:
        raise CredentialError(
            "proof: the document is already signed; tanzuji adds no second proof (proof sets)",
            "proof",
        )
    if verification_method.startswith(("did:key:", "z")):
        named = public_key_from_verification_method(verification_method)
        if public_key_multibase(named) != public_key_multibase(key.public_key()):
            raise CredentialError(
                f"verificationMethod: {verification_method} is another key than the signing key "
                f"{public_key_multibase(key.public_key())}",
                "verificationMethod",
            )
    proof: dict[str, Any] = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": xsd_datetime(created, "created"),
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }
    if "@context" in document:
        proof["@context"] = document["@context"]
    signature = key.sign(hash_data(document, proof))
    proof["proofValue"] = "z" + base58.b58encode(signature).decode("ascii")
    return {**document, "proof": proof}


def _contexts(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _fail(reason: str, proof: dict[str, Any] | None = None) -> ProofCheck:
    proof = proof or {}
    return ProofCheck(
        passed=False,
        reason=reason,
        verification_method=_string_or_none(proof.get("verificationMethod")),
        created=_string_or_none(proof.get("created")),
        proof_purpose=_string_or_none(proof.get("proofPurpose")),
    )


def _string_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def verify_proof(
    document: dict[str, Any],
    public_key: Ed25519PublicKey | None = None,
    *,
    proof_purpose: str = "assertionMethod",
) -> ProofCheck:
    """Check the ``eddsa-jcs-2022`` proof of ``document`` (§3.3.2); never raises for a bad
    document: the :class:`ProofCheck` says what is wrong.

    With ``public_key`` the signature is checked against that key; without it the key is read
    from the proof's ``did:key`` or Multikey verification method (which proves only that the
    holder of *that* key signed: compare the key with the issuer's published one)."""
    if not isinstance(document, dict):
        return _fail("the document is not a JSON object")
    proof = document.get("proof")
    if isinstance(proof, list):
        return _fail("the document has a set of proofs; tanzuji checks documents with one proof")
    if not isinstance(proof, dict):
        return _fail("the document has no proof object")
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        return _fail(
            f"proof type {proof.get('type')!r} with cryptosuite {proof.get('cryptosuite')!r} "
            f"is not a {PROOF_TYPE} with {CRYPTOSUITE}",
            proof,
        )
    if proof.get("proofPurpose") != proof_purpose:
        return _fail(
            f"proof purpose {proof.get('proofPurpose')!r} is not the expected {proof_purpose!r}",
            proof,
        )
    if "created" in proof:
        try:
            parse_xsd_datetime(proof["created"], "proof.created")
        except CredentialError as exc:
            return _fail(str(exc), proof)
    proof_value = proof.get("proofValue")
    if not isinstance(proof_value, str) or not proof_value.startswith("z"):
        return _fail(
            "proof.proofValue is not a multibase base58-btc string (starting with z)", proof
        )
    try:
        signature = base58.b58decode(proof_value[1:])
    except ValueError:
        return _fail("proof.proofValue is not base58-btc", proof)
    if len(signature) != _SIGNATURE_BYTES:
        return _fail(f"proof.proofValue holds {len(signature)} bytes; an Ed25519 signature 64")
    options = {name: value for name, value in proof.items() if name != "proofValue"}
    unsecured = {name: value for name, value in document.items() if name != "proof"}
    if "@context" in options:
        proof_contexts = _contexts(options["@context"])
        document_contexts = _contexts(unsecured.get("@context", []))
        if document_contexts[: len(proof_contexts)] != proof_contexts:
            return _fail("the document's @context does not start with the proof's @context", proof)
        unsecured["@context"] = options["@context"]
    verification_method = options.get("verificationMethod")
    if not isinstance(verification_method, str):
        return _fail("proof.verificationMethod is missing: nobody can tell whose key signed", proof)
    if public_key is None:
        try:
            public_key = public_key_from_verification_method(verification_method)
        except CredentialError as exc:
            return _fail(str(exc), proof)
    try:
        data = hash_data(unsecured, options)
    except TanzujiError as exc:
        return _fail(f"the document cannot be canonicalized: {exc}", proof)
    try:
        public_key.verify(signature, data)
    except InvalidSignature:
        return _fail(
            f"the signature does not match: the document was changed after signing, or "
            f"{public_key_multibase(public_key)} did not sign it",
            proof,
        )
    return ProofCheck(
        passed=True,
        reason=f"{CRYPTOSUITE} signature by {public_key_multibase(public_key)} is valid",
        verification_method=verification_method,
        created=_string_or_none(proof.get("created")),
        proof_purpose=proof_purpose,
    )
