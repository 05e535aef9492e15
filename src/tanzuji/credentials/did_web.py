"""The deployment's ``did:web`` DID document: where anyone finds the issuer key online.

Credentials name their issuer by ``did:key`` so that they verify offline. The deployment also
publishes the same key under its web domain (W3C CCG ``did:web`` method, §3.2): the DID of
``https://tan.example.cn`` is ``did:web:tan.example.cn`` and its document is served at
``/.well-known/did.json``; a port is percent-encoded (``did:web:127.0.0.1%3A8000``) and a path
becomes colon-separated segments whose document sits at ``{path}/did.json``. The document lists
the ``did:key`` under ``alsoKnownAs`` so that a reader can tie the two names together.

>>> did_web("http://127.0.0.1:8000")
'did:web:127.0.0.1%3A8000'
>>> did_web_document_url("https://tan.example.cn/pcf")
'https://tan.example.cn/pcf/did.json'
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from tanzuji.credentials.multikey import did_key, public_key_multibase
from tanzuji.errors import CredentialError

__all__ = ["DID_CONTEXT", "MULTIKEY_CONTEXT", "did_web", "did_web_document", "did_web_document_url"]

DID_CONTEXT = "https://www.w3.org/ns/did/v1"
"""The DID Core 1.0 JSON-LD context."""
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"
"""The context that defines ``Multikey`` and ``publicKeyMultibase`` (Controlled Identifiers 1.0)."""


def _parts(public_url: str) -> tuple[str, str, list[str]]:
    url = urlsplit(public_url)
    if url.scheme not in {"http", "https"} or not url.hostname:
        raise CredentialError(
            f"public_url: {public_url!r} is not an http(s) URL with a host", "public_url"
        )
    if url.query or url.fragment:
        raise CredentialError(
            f"public_url: {public_url!r} has a query or fragment; give the site's base URL",
            "public_url",
        )
    segments = [segment for segment in url.path.split("/") if segment]
    return url.scheme, url.netloc, segments


def did_web(public_url: str) -> str:
    """The ``did:web`` DID of the site at ``public_url``."""
    _, netloc, segments = _parts(public_url)
    return ":".join(["did:web", quote(netloc, safe=""), *(quote(s, safe="") for s in segments)])


def did_web_document_url(public_url: str) -> str:
    """Where the DID document of ``did_web(public_url)`` must be served."""
    scheme, netloc, segments = _parts(public_url)
    path = "/" + "/".join(segments) + "/did.json" if segments else "/.well-known/did.json"
    return f"{scheme}://{netloc}{path}"


def did_web_document(public_url: str, key: Ed25519PublicKey) -> dict[str, Any]:
    """The DID document of the deployment: the issuer ``key`` as a Multikey usable for
    assertions (signing credentials), also known as its ``did:key``."""
    did = did_web(public_url)
    multibase = public_key_multibase(key)
    method_id = f"{did}#{multibase}"
    return {
        "@context": [DID_CONTEXT, MULTIKEY_CONTEXT],
        "id": did,
        "alsoKnownAs": [did_key(key)],
        "verificationMethod": [
            {
                "id": method_id,
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": multibase,
            }
        ],
        "assertionMethod": [method_id],
    }
