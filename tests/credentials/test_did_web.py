"""The deployment's did:web document (W3C CCG did:web method, §3.2)."""

from __future__ import annotations

import pytest

from tanzuji.credentials import did_key, did_web, did_web_document, did_web_document_url
from tanzuji.credentials.multikey import public_key_multibase
from tanzuji.errors import CredentialError

from .certificates import ISSUER_KEY


@pytest.mark.parametrize(
    ("public_url", "did", "document_url"),
    [
        ("https://tan.example.cn", "did:web:tan.example.cn", "https://tan.example.cn/.well-known/did.json"),
        ("http://127.0.0.1:8000", "did:web:127.0.0.1%3A8000", "http://127.0.0.1:8000/.well-known/did.json"),
        ("https://gz.example.cn/pcf/v2", "did:web:gz.example.cn:pcf:v2", "https://gz.example.cn/pcf/v2/did.json"),
    ],
)  # fmt: skip
def test_a_site_url_gives_its_did_and_where_the_document_lives(
    public_url: str, did: str, document_url: str
) -> None:
    assert did_web(public_url) == did
    assert did_web_document_url(public_url) == document_url


def test_the_document_lists_the_issuer_key_for_assertions_and_its_did_key() -> None:
    public = ISSUER_KEY.public_key()
    document = did_web_document("https://tan.example.cn", public)
    method = document["verificationMethod"][0]
    assert document["id"] == "did:web:tan.example.cn"
    assert document["alsoKnownAs"] == [did_key(public)]
    assert method == {
        "id": f"did:web:tan.example.cn#{public_key_multibase(public)}",
        "type": "Multikey",
        "controller": "did:web:tan.example.cn",
        "publicKeyMultibase": public_key_multibase(public),
    }
    assert document["assertionMethod"] == [method["id"]]


@pytest.mark.parametrize("public_url", ["ftp://x.cn", "tan.example.cn", "https://x.cn/?a=1"])
def test_a_bad_public_url_is_named(public_url: str) -> None:
    with pytest.raises(CredentialError, match="public_url"):
        did_web(public_url)
