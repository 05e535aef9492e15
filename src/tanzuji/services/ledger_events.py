"""What the ledger records of each stored change: the body of each kind of entry, built from
the rows it describes, and the commitments the audit recomputes to compare them.

The log is public, but activity data, evidence, footprints of products that are not certified
and who verified whom are the enterprise's confidential data. Entries about them therefore hold
only random record ids, revision numbers, versions, the decision, and *salted commitments*:
``SHA-256(canonical_json({"salt": salt, <name>: value}))`` (hex; RFC 8785 canonical JSON),
where ``salt`` is the revision's own 128 random bits (``Revision.salt``, 32 hex digits). Without
the salt nobody can confirm a guess of the value; with it (the enterprise reads it in the
submission's API) anyone shown the value can check it against the log. ``docs/ledger.md``
lists every body and commitment.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tanzuji.canonical import canonical_json, sha256_hex
from tanzuji.store.models import (
    Evidence,
    FactorSetVersion,
    Footprint,
    Revision,
    Submission,
    VerificationCase,
)

__all__ = [
    "commitment",
    "data_commitment",
    "evidence_commitments",
    "factor_set_published",
    "footprint_commitment",
    "footprint_computed",
    "footprint_fields",
    "revision_salt",
    "submission_received",
    "table_sha256",
    "verification_decided",
    "verifier_commitment",
]


def commitment(salt: str, name: str, value: Any) -> str:
    """The salted commitment to ``value``: the SHA-256 (hex) of the canonical JSON of
    ``{"salt": salt, name: value}``.

    >>> commitment("00" * 16, "data", {"tea_kg": 1000})  # of {"data":{"tea_kg":1000},"salt":"00…"}
    '5d7f14b7776950e6e52aa1cd7365a21c219fed0ba1dcf39083dde5925b853e1a'
    """
    return sha256_hex(canonical_json({"salt": salt, name: value}))


def data_commitment(revision: Revision) -> str:
    """The commitment to a revision's activity data as stored (the rule's inputs):
    ``{"salt", "data"}``; the ``data_commitment`` of ``submission.received`` and of
    ``footprint.computed``."""
    return commitment(revision.salt, "data", revision.data)


def evidence_commitments(salt: str, evidence_sha256: Iterable[str]) -> list[str]:
    """The commitment to each evidence file of a revision, ``{"salt", "evidence_sha256":
    "<hex>"}``, sorted. One per file (their number shows) so that the audit can tell a file
    detached after the entry from one attached after it, which is allowed while the
    enterprise holds the submission."""
    return sorted(commitment(salt, "evidence_sha256", sha256) for sha256 in evidence_sha256)


def verifier_commitment(salt: str, verifier_id: uuid.UUID) -> str:
    """The commitment to the verifier organization that decided on a revision:
    ``{"salt", "verifier_id": "<uuid>"}``."""
    return commitment(salt, "verifier_id", str(verifier_id))


def revision_salt(session: Session, submission_id: uuid.UUID, number: int) -> str:
    """The salt of revision ``number`` of a submission."""
    return session.scalars(
        select(Revision.salt).where(
            Revision.submission_id == submission_id, Revision.number == number
        )
    ).one()


def table_sha256(version: FactorSetVersion) -> str:
    """The SHA-256 of a published factor set's CSV table, as UTF-8 text."""
    return sha256_hex(version.table.encode("utf-8"))


def submission_received(session: Session, submission: Submission, action: str) -> dict[str, Any]:
    """Body of ``submission.received``: the submission's current revision and the commitments
    to its data and to every evidence file attached to it so far. ``action`` is ``create``,
    ``revise`` or ``submit`` (handed to the regulator: the data and evidence are final).
    Product, enterprise and period stay out: they would tell who reported what, when."""
    revision = session.scalars(
        select(Revision).where(
            Revision.submission_id == submission.id, Revision.number == submission.revision
        )
    ).one()
    evidence = session.scalars(
        select(Evidence.sha256).where(
            Evidence.submission_id == submission.id, Evidence.revision == submission.revision
        )
    )
    return {
        "action": action,
        "submission_id": str(submission.id),
        "revision": submission.revision,
        "rule": submission.rule_key,
        "data_commitment": data_commitment(revision),
        "evidence_commitments": evidence_commitments(revision.salt, evidence),
    }


def footprint_fields(footprint: Footprint) -> dict[str, Any]:
    """The stored footprint's trust-relevant fields: what ``footprint_commitment`` commits to."""
    return {
        "id": str(footprint.id),
        "submission_id": str(footprint.submission_id),
        "revision": footprint.revision,
        "product_id": str(footprint.product_id),
        "rule": footprint.rule_key,
        "factor_set_version": footprint.factor_set_version,
        "gwp": footprint.gwp,
        "declared_unit": footprint.declared_unit,
        "total_kgco2e": footprint.total_kgco2e,
        "result": footprint.result,
        "computed_at": footprint.computed_at.isoformat(),
    }


def footprint_commitment(salt: str, footprint: Footprint) -> str:
    """The commitment to the stored footprint: ``{"salt", "footprint": footprint_fields}``,
    with the salt of the revision it was computed from."""
    return commitment(salt, "footprint", footprint_fields(footprint))


def footprint_computed(footprint: Footprint, revision: Revision) -> dict[str, Any]:
    """Body of ``footprint.computed``: what was computed from what (rule, factor set and GWP
    versions are public), and the commitment to the result: the value itself stays out."""
    rule_id, _, rule_version = footprint.rule_key.partition("@")
    return {
        "footprint_id": str(footprint.id),
        "submission_id": str(footprint.submission_id),
        "revision": footprint.revision,
        "rule": {"id": rule_id, "version": rule_version},
        "factor_set_version": footprint.factor_set_version,
        "gwp": footprint.gwp,
        "data_commitment": data_commitment(revision),
        "footprint_commitment": footprint_commitment(revision.salt, footprint),
    }


def verification_decided(session: Session, case: VerificationCase) -> dict[str, Any]:
    """Body of ``verification.decided``: the decision on a revision, and the commitment to
    the verifier who made it (which verifier works for which enterprise stays out)."""
    salt = revision_salt(session, case.submission_id, case.revision)
    return {
        "case_id": str(case.id),
        "submission_id": str(case.submission_id),
        "revision": case.revision,
        "decision": case.decision,
        "verifier_commitment": verifier_commitment(salt, case.verifier_id),
    }


def factor_set_published(version: FactorSetVersion) -> dict[str, Any]:
    """Body of ``factor_set.published``: the version and the SHA-256 of its table."""
    return {
        "version": version.version,
        "based_on": version.based_on,
        "factors": version.factor_count,
        "table_sha256": table_sha256(version),
    }
