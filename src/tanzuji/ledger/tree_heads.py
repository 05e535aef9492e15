"""Signed tree heads: the log operator's Ed25519 signature over the size and root of the tree.

The signed bytes are the RFC 8785 canonical JSON (UTF-8) of::

    {"sha256_root_hash": "<base64 of the 32-byte root>", "timestamp": 1772355600000,
     "tree_size": 42}

``timestamp`` is milliseconds since 1970-01-01T00:00:00Z (as in RFC 6962 §3.5); base64 is the
standard alphabet with padding (RFC 4648 §4). The signature is Ed25519 (RFC 8032) over those
bytes. ``key_id`` is the SHA-256 of the raw 32-byte public key, in hex.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from tanzuji.canonical import canonical_json
from tanzuji.errors import LedgerInconsistent
from tanzuji.ledger.merkle import HASH_SIZE

__all__ = [
    "SignedTreeHead",
    "b64",
    "from_b64",
    "key_id",
    "raw_public_key",
    "sign_tree_head",
    "signed_bytes",
    "verify_tree_head",
]


def b64(data: bytes) -> str:
    """Standard base64 with padding, as every hash and signature of the ledger is written."""
    return base64.b64encode(data).decode("ascii")


def from_b64(text: Any, field: str) -> bytes:
    """Bytes from standard base64; :class:`LedgerInconsistent` names ``field`` if it is not."""
    if not isinstance(text, str):
        raise LedgerInconsistent(f"{field}: expected base64 text, not {type(text).__name__}")
    try:
        return base64.b64decode(text, validate=True)
    except binascii.Error as exc:
        raise LedgerInconsistent(f"{field}: not base64 ({exc})") from exc


def raw_public_key(key: Ed25519PublicKey) -> bytes:
    """The 32 raw bytes of an Ed25519 public key (RFC 8032 §5.1.5)."""
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    """The SHA-256 of the raw public key, 64 hex digits: which key signed a tree head."""
    return hashlib.sha256(raw_public_key(key)).hexdigest()


def signed_bytes(tree_size: int, timestamp: int, root_hash: bytes) -> bytes:
    """What the log key signs for a tree head."""
    return canonical_json(
        {"tree_size": tree_size, "timestamp": timestamp, "sha256_root_hash": b64(root_hash)}
    )


@dataclass(frozen=True)
class SignedTreeHead:
    """The size and root of the tree at ``timestamp`` (ms since the epoch), signed."""

    tree_size: int
    timestamp: int
    root_hash: bytes
    signature: bytes
    key_id: str

    @property
    def time(self) -> datetime.datetime:
        """``timestamp`` as a UTC time."""
        return datetime.datetime.fromtimestamp(self.timestamp / 1000, datetime.UTC)

    def to_json(self) -> dict[str, Any]:
        """The head as the API returns it (hashes and the signature in base64)."""
        return {
            "tree_size": self.tree_size,
            "timestamp": self.timestamp,
            "time": self.time.isoformat().replace("+00:00", "Z"),
            "sha256_root_hash": b64(self.root_hash),
            "signature": b64(self.signature),
            "key_id": self.key_id,
        }

    @classmethod
    def from_json(cls, value: Any, where: str = "tree_head") -> SignedTreeHead:
        """A head from its JSON object; every fault names its field."""
        if not isinstance(value, dict):
            raise LedgerInconsistent(f"{where}: not a JSON object")
        for name in ("tree_size", "timestamp"):
            number = value.get(name)
            if isinstance(number, bool) or not isinstance(number, int) or number < 0:
                raise LedgerInconsistent(f"{where}.{name}: {number!r} is not a whole number ≥ 0")
        root = from_b64(value.get("sha256_root_hash"), f"{where}.sha256_root_hash")
        if len(root) != HASH_SIZE:
            raise LedgerInconsistent(f"{where}.sha256_root_hash: not {HASH_SIZE} bytes")
        identifier = value.get("key_id")
        if not isinstance(identifier, str):
            raise LedgerInconsistent(f"{where}.key_id: missing")
        return cls(
            tree_size=value["tree_size"],
            timestamp=value["timestamp"],
            root_hash=root,
            signature=from_b64(value.get("signature"), f"{where}.signature"),
            key_id=identifier,
        )


def sign_tree_head(
    key: Ed25519PrivateKey, tree_size: int, moment: datetime.datetime, root_hash: bytes
) -> SignedTreeHead:
    """Sign the tree of ``tree_size`` entries with root ``root_hash`` at ``moment``."""
    if len(root_hash) != HASH_SIZE:
        raise ValueError(f"a root hash has {HASH_SIZE} bytes, not {len(root_hash)}")
    timestamp = int(moment.timestamp() * 1000)
    return SignedTreeHead(
        tree_size=tree_size,
        timestamp=timestamp,
        root_hash=root_hash,
        signature=key.sign(signed_bytes(tree_size, timestamp, root_hash)),
        key_id=key_id(key.public_key()),
    )


def verify_tree_head(public_key: Ed25519PublicKey, head: SignedTreeHead) -> None:
    """Check the head's signature with ``public_key``; :class:`LedgerInconsistent` if it is
    another key's head or the signature does not match."""
    expected = key_id(public_key)
    if head.key_id != expected:
        raise LedgerInconsistent(
            f"the tree head of {head.tree_size} entries names key {head.key_id}, "
            f"not the given key {expected}"
        )
    try:
        public_key.verify(
            head.signature, signed_bytes(head.tree_size, head.timestamp, head.root_hash)
        )
    except InvalidSignature as exc:
        raise LedgerInconsistent(
            f"the signature of the tree head of {head.tree_size} entries does not match "
            "its size, time and root"
        ) from exc
