"""The deployment's two signed status lists (W3C Bitstring Status List v1.0), built from the
certificates table on every request.

Every certificate has one index (``status_list_index``, given in order of issue from 0) in both
lists: its bit is set in the ``revocation`` list once it is withdrawn (final) and in the
``suspension`` list while it is suspended. The list credential is signed by the issuer key
(``eddsa-jcs-2022``) and dated (``validFrom`` and the proof's ``created``) at the latest time a
certificate was issued, suspended, reinstated or withdrawn, so that two requests between
changes get the same bytes (Ed25519 signatures are deterministic).
"""

from __future__ import annotations

import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tanzuji.certification import CertificateStatus
from tanzuji.credentials.data_integrity import add_proof
from tanzuji.credentials.multikey import did_key, verification_method_id
from tanzuji.credentials.pcf import status_list_url
from tanzuji.credentials.status_list import (
    MIN_BITS,
    STATUS_PURPOSES,
    StatusList,
    status_list_credential,
)
from tanzuji.errors import NotFound
from tanzuji.store.models import Certificate, CertificateReview

__all__ = ["PURPOSE_STATUS", "last_status_change", "signed_status_list"]

PURPOSE_STATUS = {
    "revocation": CertificateStatus.WITHDRAWN,
    "suspension": CertificateStatus.SUSPENDED,
}
"""The certificate status whose bit each list sets."""


def last_status_change(session: Session) -> datetime.datetime | None:
    """The latest issue or surveillance decision on any certificate (``None`` before the
    first certificate is issued)."""
    issued = session.scalar(select(func.max(Certificate.valid_from)))
    reviewed = session.scalar(select(func.max(CertificateReview.decided_at)))
    moments = [moment for moment in (issued, reviewed) if moment is not None]
    return max(moments) if moments else None


def _size(highest_index: int) -> int:
    """The list's length in bits: at least the 131,072 of the Recommendation, a multiple of 8."""
    return max(MIN_BITS, (highest_index // 8 + 1) * 8)


def signed_status_list(
    session: Session, purpose: str, key: Ed25519PrivateKey, public_url: str
) -> dict[str, Any]:
    """The signed ``BitstringStatusListCredential`` of ``purpose`` (``revocation`` or
    ``suspension``) as the certificates stand now."""
    if purpose not in STATUS_PURPOSES:
        raise NotFound(
            f"no status list {purpose!r}: there are {' and '.join(STATUS_PURPOSES)}",
            field="purpose",
        )
    url = status_list_url(public_url, purpose)
    changed = last_status_change(session)
    if changed is None:
        raise NotFound(
            "no certificate has been issued yet, so there is no status list", field="purpose"
        )
    rows = session.execute(select(Certificate.status_list_index, Certificate.status)).all()
    indexed = [(index, status) for index, status in rows if index is not None]
    bits = StatusList(_size(max(index for index, _ in indexed)))
    for index, status in indexed:
        if status is PURPOSE_STATUS[purpose]:
            bits.set(index, True)
    public_key = key.public_key()
    unsigned = status_list_credential(
        list_url=url,
        purpose=purpose,
        status_list=bits,
        issuer=did_key(public_key),
        valid_from=changed,
    )
    return add_proof(
        unsigned, key, verification_method=verification_method_id(public_key), created=changed
    )
