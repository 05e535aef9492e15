"""Keys as Multikeys and did:key, against the did:key method's own Ed25519 test vectors."""

from __future__ import annotations

import base58
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tanzuji.credentials.multikey import (
    did_key,
    private_key_from_multibase,
    public_key_from_multibase,
    public_key_from_verification_method,
    public_key_multibase,
    raw_public_key,
    verification_method_id,
)
from tanzuji.errors import CredentialError

from .certificates import vector

DID_KEY_VECTORS = vector("did_key_ed25519.json")["vectors"]


class TestDidKeyVectors:
    @pytest.mark.parametrize("case", DID_KEY_VECTORS, ids=lambda case: case["seed"][-2:])
    def test_a_seed_gives_the_published_did(self, case: dict[str, str]) -> None:
        key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(case["seed"])).public_key()
        assert raw_public_key(key) == base58.b58decode(case["publicKeyBase58"])
        assert did_key(key) == case["did"]
        multibase = case["did"].removeprefix("did:key:")
        assert verification_method_id(key) == f"{case['did']}#{multibase}"

    @pytest.mark.parametrize("case", DID_KEY_VECTORS, ids=lambda case: case["seed"][-2:])
    def test_the_published_did_gives_the_key_back(self, case: dict[str, str]) -> None:
        key = public_key_from_verification_method(case["did"])
        assert raw_public_key(key) == base58.b58decode(case["publicKeyBase58"])


class TestMultibase:
    def test_every_ed25519_key_starts_z6mk_and_round_trips(self) -> None:
        key = Ed25519PrivateKey.generate().public_key()
        multibase = public_key_multibase(key)
        assert multibase.startswith("z6Mk")
        assert raw_public_key(public_key_from_multibase(multibase)) == raw_public_key(key)

    def test_the_w3c_secret_key_gives_the_w3c_public_key(self) -> None:
        keys = vector("vc_di_eddsa_jcs_2022.json")
        secret = private_key_from_multibase(keys["secretKeyMultibase"])
        assert public_key_multibase(secret.public_key()) == keys["publicKeyMultibase"]

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            ("", "non-empty string"),
            ("u7QE", "starts with 'z'"),
            ("z0OIl", "not base58-btc"),
            # an X25519 key-agreement key of the did:key vectors: multicodec 0xec, not 0xed
            ("z6LShs9GGnqk85isEBzzshkuVWrVKsRp24GnDuHk8QWkARMW", "header is 0xec01"),
            ("z" + base58.b58encode(b"\xed\x01" + bytes(31)).decode(), "holds 31 key bytes"),
        ],
    )
    def test_a_bad_multikey_is_named(self, value: str, message: str) -> None:
        with pytest.raises(CredentialError, match=message) as caught:
            public_key_from_multibase(value)
        assert caught.value.field == "publicKeyMultibase"


class TestVerificationMethods:
    KEY = "z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"

    @pytest.mark.parametrize("form", [KEY, f"did:key:{KEY}", f"did:key:{KEY}#{KEY}"])
    def test_the_three_forms_name_one_key(self, form: str) -> None:
        assert public_key_multibase(public_key_from_verification_method(form)) == self.KEY

    def test_a_fragment_naming_another_key_is_refused(self) -> None:
        other = "z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG"
        with pytest.raises(CredentialError, match="must repeat its key"):
            public_key_from_verification_method(f"did:key:{self.KEY}#{other}")

    def test_a_web_url_needs_the_key_given(self) -> None:
        with pytest.raises(CredentialError, match="cannot be resolved offline"):
            public_key_from_verification_method(f"https://vc.example/issuers/5678#{self.KEY}")
