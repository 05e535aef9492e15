"""Canonical JSON (RFC 8785, the JSON Canonicalization Scheme): the one byte string a JSON
value hashes and signs to, whoever serializes it.

Ledger entries, signed tree heads and ``eddsa-jcs-2022`` credential proofs all hash this form,
so that a third party re-serializing the same value in another language gets the same bytes.

>>> canonical_json({"b": 1, "a": "碳", "c": 1.0})
b'{"a":"\\xe7\\xa2\\xb3","b":1,"c":1}'
>>> sha256_hex(b"")
'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
"""

from __future__ import annotations

import hashlib
from typing import Any

import rfc8785

from tanzuji.errors import TanzujiError

__all__ = ["canonical_json", "sha256_hex"]


def canonical_json(value: Any) -> bytes:
    """``value`` as RFC 8785 canonical JSON, UTF-8.

    Raises :class:`~tanzuji.errors.TanzujiError` for what JSON cannot hold (NaN, infinity,
    integers beyond ±2⁵³, non-string keys)."""
    try:
        return rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as exc:
        raise TanzujiError(f"not canonical JSON: {exc}") from exc


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of ``data``, as 64 lower-case hex digits."""
    return hashlib.sha256(data).hexdigest()
