"""What the ledger records of certificates: the bodies of ``certificate.issued`` and
``certificate.status_changed``, and the salted commitments the audit recomputes.

A certificate is public: its number, footprint value, validity, status list index and the
SHA-256 of its credential are in clear. What would link it to the earlier, confidential entries
of the same submission (its revisions, the verifier's "return" decisions and their dates) is
not: the issue commits to the certified footprint under the name ``certified_footprint``
(distinct from the ``footprint`` of ``footprint.computed``, so equal values do not link the two
entries), with the salt of the revision the footprint was computed from. A surveillance
decision's reason stays in the database; the entry commits to it with the review's own salt,
so that a short or templated reason cannot be confirmed by guessing. See docs/certification.md.
"""

from __future__ import annotations

import uuid
from typing import Any

from tanzuji.services.ledger_events import commitment
from tanzuji.store.models import Certificate, CertificateReview, Footprint

__all__ = [
    "certificate_issued",
    "certificate_status_changed",
    "certified_footprint_commitment",
    "reason_commitment",
]


def certified_footprint_commitment(salt: str, footprint_id: uuid.UUID) -> str:
    """The commitment to the footprint a certificate certifies:
    ``{"salt", "certified_footprint": "<footprint id>"}``, with the salt of its revision."""
    return commitment(salt, "certified_footprint", str(footprint_id))


def reason_commitment(salt: str, reason: str) -> str:
    """The commitment to a surveillance decision's reason: ``{"salt", "reason": "<text>"}``,
    with the review's own salt."""
    return commitment(salt, "reason", reason)


def certificate_issued(
    certificate: Certificate,
    footprint: Footprint,
    salt: str,
    credential: dict[str, Any],
    credential_sha256: str,
) -> dict[str, Any]:
    """Body of ``certificate.issued``: the number, the certified value with its unit, the
    validity, the status list index, the SHA-256 of the credential (RFC 8785 canonical JSON),
    the certification body, and the commitment to the footprint (``salt``: its revision's)."""
    return {
        "certificate": certificate.number,
        "footprint_commitment": certified_footprint_commitment(salt, footprint.id),
        "body_id": str(certificate.body_id),
        "value": {
            "value": footprint.total_kgco2e,
            "unit": f"kg CO2e per {footprint.declared_unit}",
        },
        "valid_from": credential["validFrom"],
        "valid_until": credential["validUntil"],
        "status_list_index": certificate.status_list_index,
        "credential_sha256": credential_sha256,
    }


def certificate_status_changed(
    certificate: Certificate, review: CertificateReview, status: str
) -> dict[str, Any]:
    """Body of ``certificate.status_changed``: the number, the surveillance action, the
    status it leads to, and the commitment to the review's reason."""
    return {
        "certificate": certificate.number,
        "action": review.action.value,
        "status": status,
        "reason_commitment": reason_commitment(review.salt, review.reason),
    }
