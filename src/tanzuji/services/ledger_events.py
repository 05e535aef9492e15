"""What the ledger records of each stored change: the body of each kind of entry, built from
the rows it describes, and the digests the audit recomputes to compare them.

Every digest is the SHA-256 (hex) of RFC 8785 canonical JSON, so that anyone holding the
same values recomputes it (``docs/ledger.md`` lists the fields).
"""

from __future__ import annotations

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
    "data_sha256",
    "factor_set_published",
    "footprint_computed",
    "footprint_fields",
    "footprint_sha256",
    "submission_received",
    "table_sha256",
    "verification_decided",
]


def data_sha256(revision: Revision) -> str:
    """The SHA-256 of the canonical JSON of a revision's activity data (the rule's inputs as
    stored): the ``data_sha256`` of ``submission.received`` and the ``inputs_sha256`` of
    ``footprint.computed``."""
    return sha256_hex(canonical_json(revision.data))


def table_sha256(version: FactorSetVersion) -> str:
    """The SHA-256 of a published factor set's CSV table, as UTF-8 text."""
    return sha256_hex(version.table.encode("utf-8"))


def submission_received(session: Session, submission: Submission, action: str) -> dict[str, Any]:
    """Body of ``submission.received``: the submission's current revision and the SHA-256 of
    its data and of every evidence file attached to it so far. ``action`` is ``create``,
    ``revise`` or ``submit`` (handed to the regulator: the data and evidence are final)."""
    revision = session.scalars(
        select(Revision).where(
            Revision.submission_id == submission.id, Revision.number == submission.revision
        )
    ).one()
    evidence = session.scalars(
        select(Evidence.sha256)
        .where(Evidence.submission_id == submission.id, Evidence.revision == submission.revision)
        .order_by(Evidence.sha256)
    )
    return {
        "action": action,
        "submission_id": str(submission.id),
        "product_id": str(submission.product_id),
        "enterprise_id": str(submission.organization_id),
        "period": {
            "start": submission.period_start.isoformat(),
            "end": submission.period_end.isoformat(),
        },
        "revision": submission.revision,
        "rule": submission.rule_key,
        "data_sha256": data_sha256(revision),
        "evidence_sha256": list(evidence),
    }


def footprint_fields(footprint: Footprint) -> dict[str, Any]:
    """The stored footprint's trust-relevant fields: what ``footprint_sha256`` hashes."""
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


def footprint_sha256(footprint: Footprint) -> str:
    """The SHA-256 of the canonical JSON of :func:`footprint_fields`."""
    return sha256_hex(canonical_json(footprint_fields(footprint)))


def footprint_computed(footprint: Footprint, revision: Revision) -> dict[str, Any]:
    """Body of ``footprint.computed``: what was computed from what, and the result."""
    rule_id, _, rule_version = footprint.rule_key.partition("@")
    return {
        "footprint_id": str(footprint.id),
        "submission_id": str(footprint.submission_id),
        "revision": footprint.revision,
        "rule": {"id": rule_id, "version": rule_version},
        "factor_set_version": footprint.factor_set_version,
        "gwp": footprint.gwp,
        "inputs_sha256": data_sha256(revision),
        "result": {
            "value": footprint.total_kgco2e,
            "unit": f"kg CO2e per {footprint.declared_unit}",
        },
        "footprint_sha256": footprint_sha256(footprint),
    }


def verification_decided(case: VerificationCase) -> dict[str, Any]:
    """Body of ``verification.decided``: which verifier decided what on which revision."""
    return {
        "case_id": str(case.id),
        "submission_id": str(case.submission_id),
        "revision": case.revision,
        "decision": case.decision,
        "verifier_id": str(case.verifier_id),
    }


def factor_set_published(version: FactorSetVersion) -> dict[str, Any]:
    """Body of ``factor_set.published``: the version and the SHA-256 of its table."""
    return {
        "version": version.version,
        "based_on": version.based_on,
        "factors": version.factor_count,
        "table_sha256": table_sha256(version),
    }
