"""Canonical JSON (RFC 8785, the JSON Canonicalization Scheme): the one byte string a JSON
value hashes and signs to, whoever serializes it.

Ledger entries, signed tree heads and ``eddsa-jcs-2022`` credential proofs all hash this form,
so that a third party re-serializing the same value in another language gets the same bytes.

Two ways to the same bytes. ``rfc8785.dumps`` handles every JSON value but is pure Python
(about 150 µs for a 450-byte ledger body, most of an append's time). The standard library's C
encoder, ``json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)``,
writes exactly the RFC 8785 bytes for a *plain* value: null, booleans, text, integers within
±(2⁵³−1), lists, and objects whose keys are text within the Basic Multilingual Plane. Both
escape the same characters the same way (``"``, ``\\``, ``\\b``, ``\\f``, ``\\n``, ``\\r``,
``\\t``, other controls as ``\\u00xx``) and write everything else as UTF-8, and keys of the BMP
sort the same by code point (Python) as by UTF-16 code unit (RFC 8785 §3.2.3). They differ for
floating-point numbers (ECMAScript's number form, RFC 8785 §3.2.2.3, is not Python's ``repr``),
for keys beyond the BMP, and in what they refuse: those values take ``rfc8785``.
``tests/test_canonical.py`` checks the two ways against each other on random values.

>>> canonical_json({"b": 1, "a": "碳", "c": 1.0})
b'{"a":"\\xe7\\xa2\\xb3","b":1,"c":1}'
>>> sha256_hex(b"")
'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import rfc8785

from tanzuji.errors import TanzujiError

__all__ = ["canonical_json", "is_plain", "sha256_hex"]

_LARGEST = 2**53 - 1
"""The largest integer RFC 8785 (an IEEE 754 double) holds exactly."""
_BEYOND_BMP = "\U00010000"


def is_plain(value: Any) -> bool:
    """Whether ``value`` holds only what ``json.dumps`` writes exactly as RFC 8785 does."""
    if value is None or isinstance(value, str | bool):
        return True
    if isinstance(value, int):
        return -_LARGEST <= value <= _LARGEST
    if isinstance(value, dict):
        return all(
            isinstance(key, str) and max(key, default="") < _BEYOND_BMP and is_plain(item)
            for key, item in value.items()
        )
    if isinstance(value, list | tuple):
        return all(is_plain(item) for item in value)
    return False  # a float, or no JSON value at all


def canonical_json(value: Any) -> bytes:
    """``value`` as RFC 8785 canonical JSON, UTF-8.

    Raises :class:`~tanzuji.errors.TanzujiError` for what JSON cannot hold (NaN, infinity,
    integers beyond ±2⁵³, non-string keys, lone surrogates)."""
    if is_plain(value):
        try:
            text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            return text.encode("utf-8")
        except UnicodeEncodeError:
            pass  # a lone surrogate: rfc8785 names the fault
    try:
        return rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as exc:
        raise TanzujiError(f"not canonical JSON: {exc}") from exc


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of ``data``, as 64 lower-case hex digits."""
    return hashlib.sha256(data).hexdigest()
