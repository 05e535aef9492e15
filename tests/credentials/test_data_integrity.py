"""eddsa-jcs-2022 proofs, step by step against the W3C Recommendation's appendix B.3."""

from __future__ import annotations

import copy
import hashlib
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tanzuji.canonical import canonical_json
from tanzuji.credentials import add_proof, verify_proof
from tanzuji.credentials.data_integrity import hash_data
from tanzuji.credentials.multikey import (
    private_key_from_multibase,
    public_key_from_multibase,
    verification_method_id,
)
from tanzuji.errors import CredentialError

from .certificates import ISSUER_KEY, OTHER_KEY, vector

W3C = vector("vc_di_eddsa_jcs_2022.json")
W3C_KEY = private_key_from_multibase(W3C["secretKeyMultibase"])
CREATED = datetime(2023, 2, 24, 23, 36, 38, tzinfo=UTC)


class TestTheW3CExample:
    """Every intermediate value of appendix B.3, then the signed credential itself."""

    def test_the_canonical_credential_and_its_hash(self) -> None:
        canonical = canonical_json(W3C["credentialWithoutProof"])
        assert canonical.decode() == W3C["canonicalCredential"]
        assert hashlib.sha256(canonical).hexdigest() == W3C["credentialHashHex"]

    def test_the_canonical_proof_options_and_their_hash(self) -> None:
        canonical = canonical_json(W3C["proofOptions"])
        assert canonical.decode() == W3C["canonicalProofOptions"]
        assert hashlib.sha256(canonical).hexdigest() == W3C["proofOptionsHashHex"]

    def test_the_proof_options_hash_comes_first(self) -> None:
        combined = hash_data(W3C["credentialWithoutProof"], W3C["proofOptions"])
        assert combined.hex() == W3C["combinedHashHex"]
        assert W3C_KEY.sign(combined).hex() == W3C["signatureHex"]

    def test_signing_reproduces_the_published_credential_byte_for_byte(self) -> None:
        signed = add_proof(
            W3C["credentialWithoutProof"],
            W3C_KEY,
            verification_method=W3C["proofOptions"]["verificationMethod"],
            created=CREATED,
        )
        assert signed["proof"]["proofValue"] == W3C["signatureMultibase"]
        assert signed == W3C["signedCredential"]

    def test_the_published_credential_verifies_by_its_did_key(self) -> None:
        check = verify_proof(W3C["signedCredential"])
        assert check.passed, check.reason
        assert check.verification_method == W3C["proofOptions"]["verificationMethod"]
        assert check.created == "2023-02-24T23:36:38Z"

    def test_and_with_its_public_key_given(self) -> None:
        key = public_key_from_multibase(W3C["publicKeyMultibase"])
        assert verify_proof(W3C["signedCredential"], key).passed


def _changed(document: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    target = changed
    for name in path[:-1]:
        target = target[name]
    target[path[-1]] = value
    return changed


class TestTampering:
    SIGNED = W3C["signedCredential"]

    @pytest.mark.parametrize(
        ("path", "value"),
        [
            (("name",), "Alumni Credential!"),
            (("issuer",), "https://vc.example/issuers/5679"),
            (("validFrom",), "2023-01-02T00:00:00Z"),
            (("credentialSubject", "alumniOf"), "The School of Counterexamples"),
            (("type",), ["VerifiableCredential"]),
            (("proof", "created"), "2023-02-24T23:36:39Z"),
        ],
    )
    def test_any_changed_member_breaks_the_signature(
        self, path: tuple[str, ...], value: Any
    ) -> None:
        check = verify_proof(_changed(self.SIGNED, path, value))
        assert not check.passed
        assert "the signature does not match" in check.reason

    def test_an_added_member_breaks_the_signature(self) -> None:
        assert not verify_proof({**self.SIGNED, "extra": 1}).passed

    def test_another_key_is_refused(self) -> None:
        check = verify_proof(self.SIGNED, OTHER_KEY.public_key())
        assert not check.passed
        assert "did not sign it" in check.reason

    @pytest.mark.parametrize(
        ("path", "value", "reason"),
        [
            (("proof", "cryptosuite"), "eddsa-rdfc-2022", "with eddsa-jcs-2022"),
            (("proof", "type"), "Ed25519Signature2020", "is not a DataIntegrityProof"),
            (("proof", "proofPurpose"), "authentication", "not the expected 'assertionMethod'"),
            (("proof", "created"), "yesterday", "not a date-time with a time zone"),
            (("proof", "proofValue"), "u2HnFSSPPBzR36", "not a multibase base58-btc"),
            (("proof", "proofValue"), "z0OIl", "not base58-btc"),
            (("proof", "proofValue"), "z2HnFSSPPBzR36", "holds 9 bytes"),
            (("proof", "verificationMethod"), "https://vc.example/issuers/5678#key-1", "offline"),
            (("@context",), ["https://www.w3.org/ns/credentials/v2"], "does not start with"),
        ],
    )  # fmt: skip
    def test_a_malformed_proof_is_named(
        self, path: tuple[str, ...], value: Any, reason: str
    ) -> None:
        check = verify_proof(_changed(self.SIGNED, path, value))
        assert not check.passed
        assert reason in check.reason

    def test_a_document_without_a_proof(self) -> None:
        assert (
            verify_proof(W3C["credentialWithoutProof"]).reason == "the document has no proof object"
        )

    def test_a_proof_set_is_not_checked(self) -> None:
        both = {**self.SIGNED, "proof": [self.SIGNED["proof"], self.SIGNED["proof"]]}
        assert "set of proofs" in verify_proof(both).reason


class TestAddProof:
    def test_a_signed_document_is_not_signed_again(self) -> None:
        with pytest.raises(CredentialError, match="already signed"):
            add_proof(
                W3C["signedCredential"],
                W3C_KEY,
                verification_method=W3C["proofOptions"]["verificationMethod"],
                created=CREATED,
            )

    def test_the_verification_method_must_name_the_signing_key(self) -> None:
        with pytest.raises(CredentialError, match="another key than the signing key"):
            add_proof(
                {"a": 1},
                ISSUER_KEY,
                verification_method=verification_method_id(OTHER_KEY.public_key()),
                created=CREATED,
            )

    def test_created_needs_a_time_zone(self) -> None:
        with pytest.raises(CredentialError, match="created: 2023-02-24T23:36:38 has no time zone"):
            add_proof(
                {"a": 1},
                ISSUER_KEY,
                verification_method=verification_method_id(ISSUER_KEY.public_key()),
                created=CREATED.replace(tzinfo=None),
            )


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)
DOCUMENTS = st.dictionaries(
    st.text(max_size=6).filter(lambda name: name not in {"proof", "@context"}),
    JSON_VALUES,
    min_size=1,
    max_size=5,
)


@given(document=DOCUMENTS, extra=st.text(min_size=1, max_size=5))
def test_any_document_signed_verifies_and_any_added_member_breaks_it(
    document: dict[str, Any], extra: str
) -> None:
    signed = add_proof(
        document,
        ISSUER_KEY,
        verification_method=verification_method_id(ISSUER_KEY.public_key()),
        created=CREATED,
    )
    assert verify_proof(signed).passed
    name = next(f"{extra}{n}" for n in range(10) if f"{extra}{n}" not in signed)
    assert not verify_proof({**signed, name: extra}).passed
