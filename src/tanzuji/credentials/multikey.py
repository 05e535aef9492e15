"""Ed25519 public keys as Multikey strings and ``did:key`` identifiers.

A Multikey (W3C Controlled Identifiers 1.0, §2.2.2) writes a public key as multibase
base58-btc (prefix ``z``) of the multicodec header ``ed25519-pub`` (0xed, varint ``0xed 0x01``)
followed by the 32 raw key bytes: every Ed25519 key so starts ``z6Mk``. The ``did:key`` method
(W3C CCG, v0.9) makes that string a DID, ``did:key:z6Mk…``, whose one verification method is
``did:key:z6Mk…#z6Mk…``; it resolves offline, from the identifier alone.

The secret key form (multicodec ``ed25519-priv``, 0x1300, varint ``0x80 0x26``) is read too,
for the published test vectors.

>>> key = public_key_from_multibase("z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp")
>>> did_key(key)
'did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp'
"""

from __future__ import annotations

import base58
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from tanzuji.errors import CredentialError

__all__ = [
    "ED25519_PRIVATE_HEADER",
    "ED25519_PUBLIC_HEADER",
    "did_key",
    "private_key_from_multibase",
    "public_key_from_multibase",
    "public_key_from_verification_method",
    "public_key_multibase",
    "raw_public_key",
    "verification_method_id",
]

ED25519_PUBLIC_HEADER = b"\xed\x01"
"""Multicodec ``ed25519-pub`` (0xed) as an unsigned varint."""
ED25519_PRIVATE_HEADER = b"\x80\x26"
"""Multicodec ``ed25519-priv`` (0x1300) as an unsigned varint."""
_KEY_BYTES = 32


def raw_public_key(key: Ed25519PublicKey) -> bytes:
    """The 32 bytes of an Ed25519 public key (RFC 8032 §5.1.5 encoding)."""
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_multibase(key: Ed25519PublicKey) -> str:
    """``key`` as a Multikey ``publicKeyMultibase``: ``z6Mk…``."""
    return "z" + base58.b58encode(ED25519_PUBLIC_HEADER + raw_public_key(key)).decode("ascii")


def _multibase_key_bytes(value: object, header: bytes, what: str, field: str) -> bytes:
    if not isinstance(value, str) or not value:
        raise CredentialError(f"{field}: a {what} is a non-empty string, not {value!r}", field)
    if value[0] != "z":
        raise CredentialError(
            f"{field}: {value[:12]!r}… is not multibase base58-btc: a {what} starts with 'z'",
            field,
        )
    try:
        data = base58.b58decode(value[1:])
    except ValueError as exc:
        raise CredentialError(f"{field}: {value!r} is not base58-btc ({exc})", field) from exc
    if data[:2] != header:
        raise CredentialError(
            f"{field}: {value!r} is not an Ed25519 {what} (its multicodec header is "
            f"0x{data[:2].hex()}, an Ed25519 one is 0x{header.hex()})",
            field,
        )
    if len(data) != len(header) + _KEY_BYTES:
        raise CredentialError(
            f"{field}: {value!r} holds {len(data) - len(header)} key bytes; Ed25519 has 32",
            field,
        )
    return data[len(header) :]


def public_key_from_multibase(value: str, field: str = "publicKeyMultibase") -> Ed25519PublicKey:
    """The Ed25519 public key of a ``z6Mk…`` Multikey; errors name ``field`` and the fault."""
    raw = _multibase_key_bytes(value, ED25519_PUBLIC_HEADER, "public key", field)
    return Ed25519PublicKey.from_public_bytes(raw)


def private_key_from_multibase(value: str, field: str = "secretKeyMultibase") -> Ed25519PrivateKey:
    """The Ed25519 private key of a ``z3u2…`` multibase secret key (its 32-byte seed)."""
    raw = _multibase_key_bytes(value, ED25519_PRIVATE_HEADER, "secret key", field)
    return Ed25519PrivateKey.from_private_bytes(raw)


def did_key(key: Ed25519PublicKey) -> str:
    """The ``did:key`` DID of ``key``."""
    return "did:key:" + public_key_multibase(key)


def verification_method_id(key: Ed25519PublicKey) -> str:
    """The id of the one verification method of ``did_key(key)``: ``did:key:z6Mk…#z6Mk…``."""
    multibase = public_key_multibase(key)
    return f"did:key:{multibase}#{multibase}"


def public_key_from_verification_method(
    verification_method: str, field: str = "verificationMethod"
) -> Ed25519PublicKey:
    """The public key a ``did:key`` (with or without its ``#z6Mk…`` fragment) or a bare
    ``z6Mk…`` Multikey stands for.

    Anything else (an ``https:`` or ``did:web:`` URL) needs a network lookup: the error says to
    give the public key instead."""
    if not isinstance(verification_method, str):
        raise CredentialError(
            f"{field}: a verification method is a string, not {verification_method!r}", field
        )
    if verification_method.startswith("z"):
        return public_key_from_multibase(verification_method, field)
    if not verification_method.startswith("did:key:"):
        raise CredentialError(
            f"{field}: {verification_method!r} cannot be resolved offline (only did:key and "
            "z6Mk… Multikeys can); give the issuer's public key",
            field,
        )
    identifier, _, fragment = verification_method[len("did:key:") :].partition("#")
    if fragment and fragment != identifier:
        raise CredentialError(
            f"{field}: the fragment #{fragment} of a did:key verification method must repeat "
            f"its key {identifier}",
            field,
        )
    return public_key_from_multibase(identifier, field)
