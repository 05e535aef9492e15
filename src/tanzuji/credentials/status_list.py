"""Revocation and suspension as W3C *Bitstring Status List v1.0* (Recommendation, 15 May 2025).

Each credential gets an index; a published, signed status list credential holds one bit per
index (§2.2): bit *i* is the *i*-th bit from the left of the bitstring, the most significant bit
of byte *i* // 8 first. A set bit means revoked (purpose ``revocation``, final) or suspended
(``suspension``, reversible). The list has at least 131,072 entries (16 KB) so that a lookup
does not reveal which credential is checked (§6.1), and is published as
``encodedList`` = ``"u"`` + base64url without padding (multibase) of the GZIP (RFC 1952) of the
bits (§3.3). tanzuji supports ``statusSize`` 1 (one bit per entry).

>>> bits = StatusList()
>>> bits.set(94567, True)
>>> StatusList.from_encoded(bits.encoded()).get(94567)
True
"""

from __future__ import annotations

import base64
import binascii
import gzip
import re
import zlib
from datetime import datetime
from typing import Any

from tanzuji.credentials.timestamps import xsd_datetime
from tanzuji.errors import CredentialError

__all__ = [
    "MAX_BITS",
    "MIN_BITS",
    "STATUS_PURPOSES",
    "VC_CONTEXT",
    "StatusList",
    "status_entry",
    "status_list_credential",
    "status_of",
]

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
"""The VC Data Model 2.0 JSON-LD context, which defines the status list terms too."""
MIN_BITS = 131_072
"""The smallest list the Recommendation allows (§3.2 step 2: 131,072 entries, 16 KB)."""
MAX_BITS = 8 * 16 * 1024 * 1024
"""The largest list tanzuji reads (16 MiB of bits): a bound against decompression bombs."""
STATUS_PURPOSES = ("revocation", "suspension")
"""The status purposes tanzuji publishes and checks (§2.1)."""
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*\Z")


class StatusList:
    """A bitstring of ``size`` status bits, all clear at first."""

    __slots__ = ("_bytes",)

    def __init__(self, size: int = MIN_BITS) -> None:
        if size < MIN_BITS or size % 8 or size > MAX_BITS:
            raise CredentialError(
                f"size: a status list holds a multiple of 8 bits from {MIN_BITS:,} to "
                f"{MAX_BITS:,}, not {size:,}",
                "size",
            )
        self._bytes = bytearray(size // 8)

    @property
    def size(self) -> int:
        """The number of entries (bits)."""
        return len(self._bytes) * 8

    def _position(self, index: int) -> tuple[int, int]:
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < self.size:
            raise CredentialError(
                f"statusListIndex: {index!r} is outside the list's 0 … {self.size - 1:,}",
                "statusListIndex",
            )
        return index // 8, 0x80 >> (index % 8)

    def set(self, index: int, value: bool) -> None:
        """Set (``True``) or clear (``False``) the bit of entry ``index``."""
        byte, mask = self._position(index)
        if value:
            self._bytes[byte] |= mask
        else:
            self._bytes[byte] &= ~mask & 0xFF

    def get(self, index: int) -> bool:
        """Whether the bit of entry ``index`` is set."""
        byte, mask = self._position(index)
        return bool(self._bytes[byte] & mask)

    def encoded(self) -> str:
        """The ``encodedList``: ``u`` + base64url (no padding) of the GZIP of the bits.

        The GZIP header's time is 0 so that the same bits always encode the same way."""
        compressed = gzip.compress(bytes(self._bytes), compresslevel=9, mtime=0)
        return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")

    @classmethod
    def from_encoded(cls, encoded: str) -> StatusList:
        """The list an ``encodedList`` holds; errors say which step of §3.4 failed."""
        field = "encodedList"
        if not isinstance(encoded, str) or not encoded.startswith("u"):
            raise CredentialError(f"{field}: must be multibase base64url, starting with 'u'", field)
        text = encoded[1:]
        if not _BASE64URL.match(text):
            raise CredentialError(f"{field}: not base64url (A-Z, a-z, 0-9, - and _ only)", field)
        try:
            compressed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        except (binascii.Error, ValueError) as exc:
            raise CredentialError(f"{field}: not base64url ({exc})", field) from exc
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # gzip framing
        try:
            bits = inflater.decompress(compressed, MAX_BITS // 8 + 1)
        except zlib.error as exc:
            raise CredentialError(f"{field}: not GZIP data ({exc})", field) from exc
        if len(bits) > MAX_BITS // 8 or inflater.unconsumed_tail:
            raise CredentialError(f"{field}: expands beyond {MAX_BITS:,} bits", field)
        if not inflater.eof:
            raise CredentialError(f"{field}: the GZIP data is cut short", field)
        if len(bits) * 8 < MIN_BITS:
            raise CredentialError(
                f"{field}: holds {len(bits) * 8:,} entries; a status list has at least "
                f"{MIN_BITS:,} (STATUS_LIST_LENGTH_ERROR)",
                field,
            )
        status_list = cls(len(bits) * 8)
        status_list._bytes[:] = bits
        return status_list


def _check_purpose(purpose: str) -> None:
    if purpose not in STATUS_PURPOSES:
        raise CredentialError(
            f"statusPurpose: {purpose!r} is not one of {', '.join(STATUS_PURPOSES)}",
            "statusPurpose",
        )


def status_entry(*, list_url: str, purpose: str, index: int) -> dict[str, str]:
    """The ``BitstringStatusListEntry`` (§2.1) that points a credential at bit ``index`` of the
    list published at ``list_url``."""
    _check_purpose(purpose)
    if isinstance(index, bool) or not isinstance(index, int) or index < 0:
        raise CredentialError(
            f"statusListIndex: {index!r} is not a whole number ≥ 0", "statusListIndex"
        )
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def status_list_credential(
    *,
    list_url: str,
    purpose: str,
    status_list: StatusList,
    issuer: str,
    valid_from: datetime,
) -> dict[str, Any]:
    """The unsigned ``BitstringStatusListCredential`` (§2.2) publishing ``status_list`` at
    ``list_url``; sign it with :func:`~tanzuji.credentials.data_integrity.add_proof`."""
    _check_purpose(purpose)
    return {
        "@context": [VC_CONTEXT],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": xsd_datetime(valid_from, "validFrom"),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": status_list.encoded(),
        },
    }


def _types(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def status_of(entry: dict[str, Any], list_credential: dict[str, Any]) -> bool:
    """Whether ``entry``'s bit is set in ``list_credential`` (the Validate Algorithm, §3.2,
    without dereferencing and without the proof check, which the caller makes).

    Raises :class:`~tanzuji.errors.CredentialError` naming the member that does not fit."""
    if entry.get("type") != "BitstringStatusListEntry":
        raise CredentialError(
            f"credentialStatus.type: {entry.get('type')!r} is not BitstringStatusListEntry",
            "credentialStatus.type",
        )
    if entry.get("statusSize", 1) != 1:
        raise CredentialError(
            f"credentialStatus.statusSize: {entry.get('statusSize')!r}; tanzuji reads "
            "one-bit entries only",
            "credentialStatus.statusSize",
        )
    raw_index = entry.get("statusListIndex")
    if not isinstance(raw_index, str) or not re.fullmatch("[0-9]+", raw_index):
        raise CredentialError(
            f"credentialStatus.statusListIndex: {raw_index!r} is not a base-10 whole number "
            "in a string",
            "credentialStatus.statusListIndex",
        )
    if "BitstringStatusListCredential" not in _types(list_credential.get("type")):
        raise CredentialError(
            "type: the status list credential is not a BitstringStatusListCredential", "type"
        )
    subject = list_credential.get("credentialSubject")
    if not isinstance(subject, dict) or subject.get("type") != "BitstringStatusList":
        raise CredentialError(
            "credentialSubject: the status list credential holds no BitstringStatusList",
            "credentialSubject",
        )
    purpose = entry.get("statusPurpose")
    if purpose not in _types(subject.get("statusPurpose")):
        raise CredentialError(
            f"credentialSubject.statusPurpose: the list is for {subject.get('statusPurpose')!r},"
            f" the entry for {purpose!r} (STATUS_VERIFICATION_ERROR)",
            "credentialSubject.statusPurpose",
        )
    encoded = subject.get("encodedList")
    if not isinstance(encoded, str):
        raise CredentialError(
            "credentialSubject.encodedList: the status list holds no encoded bits",
            "credentialSubject.encodedList",
        )
    return StatusList.from_encoded(encoded).get(int(raw_index))
