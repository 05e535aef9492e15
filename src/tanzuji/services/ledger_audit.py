"""The audit of the database against its ledger: does every stored entry hash to its leaf,
do the stored Merkle nodes and signed tree heads belong to the tree of those leaves, and does
every footprint, revision, verification decision, factor set, benchmark version and certificate
still hold what the ledger recorded when it was made?

One check function per kind of record, each ``(session) -> list[Discrepancy]``, listed in
:data:`RECORD_CHECKS`; a new kind of record adds its own check there. The log checks
(:func:`check_entries`, :func:`check_tree`) come first.

A record missing from the ledger that was made before the ledger's first entry (a database
migrated from a tanzuji without the ledger) is not a discrepancy but a note
(:func:`audit_report`): nothing can prove now what it was then, and it is not protected.
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from tanzuji.canonical import canonical_json, sha256_hex
from tanzuji.certification import CertificateStatus
from tanzuji.errors import LedgerInconsistent, TanzujiError
from tanzuji.ledger import EventKind, LedgerEntry, MerkleTree, format_time, verify_tree_head
from tanzuji.services.certificate_events import (
    certified_footprint_commitment,
    reason_commitment,
)
from tanzuji.services.ledger import tree_head_of
from tanzuji.services.ledger_events import (
    data_commitment,
    evidence_commitments,
    footprint_commitment,
    table_sha256,
    verifier_commitment,
)
from tanzuji.store.grading import BenchmarkVersion
from tanzuji.store.ledger import LedgerEntryRow, LedgerNode, LedgerState, LedgerTreeHead
from tanzuji.store.models import (
    Certificate,
    CertificateReview,
    Evidence,
    FactorSetVersion,
    Footprint,
    Revision,
    VerificationCase,
)

__all__ = [
    "NOT_IN_THE_LEDGER",
    "RECORD_CHECKS",
    "AuditReport",
    "Discrepancy",
    "audit",
    "audit_report",
    "check_benchmarks",
    "check_certificates",
    "check_entries",
    "check_factor_sets",
    "check_footprints",
    "check_revisions",
    "check_tree",
    "check_verification",
    "logged",
]

_BATCH = 5000
NOT_IN_THE_LEDGER = "not in the ledger"
"""The problem of a stored record the ledger has no entry for."""


@dataclass(frozen=True)
class Discrepancy:
    """One thing in the database that differs from the ledger: the table, the row's id, what
    differs, and the ledger entry concerned (if one). ``made_at``: for a record the ledger has
    no entry for, when the record was made (UTC), to tell one made before the ledger began."""

    table: str
    row: str
    problem: str
    entry: int | None = None
    made_at: datetime.datetime | None = None

    def __str__(self) -> str:
        where = f" (entry {self.entry})" if self.entry is not None else ""
        return f"{self.table} {self.row}: {self.problem}{where}"


def logged(session: Session, kind: EventKind) -> Iterator[tuple[int, dict[str, Any]]]:
    """Every stored entry of ``kind`` as ``(index, body)``, oldest first."""
    query = (
        select(LedgerEntryRow.index, LedgerEntryRow.body)
        .where(LedgerEntryRow.kind == kind)
        .order_by(LedgerEntryRow.index)
        .execution_options(yield_per=_BATCH)
    )
    for index, body in session.execute(query):
        yield index, json.loads(body)


def _latest(session: Session, kind: EventKind, key: str) -> dict[str, tuple[int, dict[str, Any]]]:
    """The latest entry of ``kind`` per value of its body's ``key`` (e.g. per footprint)."""
    return {str(body.get(key)): (index, body) for index, body in logged(session, kind)}


# the log itself ---------------------------------------------------------------------------


def _stored_tree(session: Session) -> MerkleTree:
    query = (
        select(LedgerEntryRow.leaf_hash)
        .order_by(LedgerEntryRow.index)
        .execution_options(yield_per=_BATCH)
    )
    return MerkleTree(bytes(leaf) for leaf in session.scalars(query))


def check_entries(session: Session) -> list[Discrepancy]:
    """Every entry's leaf hash is the hash of its index, kind, time and body; the indexes run
    0, 1, 2, … without gaps up to the size in ``ledger_state``."""
    found = []
    expected = 0
    query = select(LedgerEntryRow).order_by(LedgerEntryRow.index)
    for row in session.scalars(query.execution_options(yield_per=_BATCH)):
        if row.index != expected:
            found.append(
                Discrepancy(
                    "ledger_entries",
                    str(expected),
                    f"entries {expected} to {row.index - 1} are missing",
                    expected,
                )
            )
        expected = row.index + 1
        try:
            body = json.loads(row.body)
            entry = LedgerEntry(row.index, row.kind, row.recorded_at, body)
            canonical_body = entry.canonical_body()
            recomputed = entry.leaf_hash(canonical_body)
            canonical = canonical_body.decode("utf-8") == row.body
        except (ValueError, TanzujiError) as exc:
            found.append(Discrepancy("ledger_entries", str(row.index), f"unreadable: {exc}"))
            continue
        if recomputed != bytes(row.leaf_hash) or not canonical:
            found.append(
                Discrepancy(
                    "ledger_entries",
                    str(row.index),
                    "the kind, time or body no longer hashes to the entry's leaf hash "
                    f"({bytes(row.leaf_hash).hex()}; now {recomputed.hex()}): the entry was "
                    "changed after it was recorded",
                    row.index,
                )
            )
        session.expunge(row)
    size = session.scalar(select(LedgerState.size).where(LedgerState.id == 1))
    if size != expected:
        found.append(
            Discrepancy(
                "ledger_state", "1", f"the size is {size}, but the log holds {expected} entries"
            )
        )
    return found


def check_tree(session: Session, public_key: Ed25519PublicKey | None = None) -> list[Discrepancy]:
    """Every stored Merkle node is the hash of its two children, none is missing, and every
    signed tree head has the root of the tree of its size (and, given the log's public key,
    a valid signature)."""
    tree = _stored_tree(session)
    found = []
    seen: defaultdict[int, int] = defaultdict(int)
    query = select(LedgerNode).order_by(LedgerNode.level, LedgerNode.index)
    for node in session.scalars(query.execution_options(yield_per=_BATCH)):
        name = f"level {node.level}, index {node.index}"
        if node.index >= tree.size >> node.level:
            found.append(Discrepancy("ledger_nodes", name, "a node beyond the log's entries"))
            continue
        seen[node.level] += 1
        expected = tree.subtree(node.level, node.index)
        if bytes(node.hash) != expected:
            found.append(
                Discrepancy(
                    "ledger_nodes",
                    name,
                    f"the hash {bytes(node.hash).hex()} is not the hash of the entries below "
                    f"it ({expected.hex()})",
                )
            )
        session.expunge(node)
    for level in range(1, tree.size.bit_length()):
        missing = (tree.size >> level) - seen[level]
        if missing > 0:
            found.append(
                Discrepancy("ledger_nodes", f"level {level}", f"{missing} node(s) missing")
            )
    for row in session.scalars(select(LedgerTreeHead).order_by(LedgerTreeHead.tree_size)):
        head = tree_head_of(row)
        name = f"of size {head.tree_size}"
        if head.tree_size > tree.size:
            found.append(
                Discrepancy("ledger_tree_heads", name, f"the log holds only {tree.size} entries")
            )
            continue
        if head.root_hash != tree.root(head.tree_size):
            found.append(
                Discrepancy(
                    "ledger_tree_heads",
                    name,
                    f"the signed root {head.root_hash.hex()} is not the root of the stored "
                    f"entries ({tree.root(head.tree_size).hex()})",
                )
            )
        if public_key is not None:
            try:
                verify_tree_head(public_key, head)
            except LedgerInconsistent as exc:
                found.append(Discrepancy("ledger_tree_heads", name, str(exc)))
    return found


# what the ledger recorded -------------------------------------------------------------------


def _salts(session: Session) -> dict[tuple[str, int], str]:
    """The salt of every revision, by (submission id, revision number)."""
    query = select(Revision.submission_id, Revision.number, Revision.salt)
    return {(str(submission), number): salt for submission, number, salt in session.execute(query)}


def check_footprints(session: Session) -> list[Discrepancy]:
    """Every stored footprint is in the ledger and still matches the commitment recorded
    then; a certified footprint also still has the value its certificate's issue recorded
    in clear."""
    recorded = _latest(session, EventKind.FOOTPRINT_COMPUTED, "footprint_id")
    certified = _latest(session, EventKind.CERTIFICATE_ISSUED, "footprint_commitment")
    salts = _salts(session)
    found = []
    query = select(Footprint).order_by(Footprint.computed_at)
    for footprint in session.scalars(query.execution_options(yield_per=_BATCH)):
        key = str(footprint.id)
        stored = f"{footprint.total_kgco2e} kg CO2e"
        if key not in recorded:
            found.append(
                Discrepancy("footprints", key, NOT_IN_THE_LEDGER, made_at=footprint.computed_at)
            )
            continue
        index, body = recorded.pop(key)
        salt = salts.get((str(footprint.submission_id), footprint.revision), "")
        if body.get("footprint_commitment") != footprint_commitment(salt, footprint):
            found.append(
                Discrepancy(
                    "footprints",
                    key,
                    f"the stored footprint (value in the database {stored}) no longer matches "
                    "the commitment the ledger recorded: its value, rule, factor set, GWP, "
                    "unit, result or time was changed",
                    index,
                )
            )
        certification = certified_footprint_commitment(salt, footprint.id)
        if certification in certified:
            issue, issued = certified[certification]
            value = issued.get("value", {}).get("value")
            if value != footprint.total_kgco2e:
                found.append(
                    Discrepancy(
                        "footprints",
                        key,
                        f"value in the database {stored}, the ledger recorded {value} when "
                        f"certificate {issued.get('certificate')} was issued",
                        issue,
                    )
                )
        session.expunge(footprint)
    for key, (index, _) in recorded.items():
        found.append(
            Discrepancy("footprints", key, "recorded in the ledger, gone from the database", index)
        )
    return found


def check_revisions(session: Session) -> list[Discrepancy]:
    """Every revision's activity data matches the commitment the ledger recorded, and every
    evidence file the ledger recorded for it is still attached (files attached later, while
    the enterprise held the submission, are not yet recorded)."""
    recorded: dict[tuple[str, int], tuple[int, dict[str, Any]]] = {}
    for index, body in logged(session, EventKind.SUBMISSION_RECEIVED):
        recorded[(str(body.get("submission_id")), int(body.get("revision", 0)))] = (index, body)
    evidence: defaultdict[tuple[str, int], list[str]] = defaultdict(list)
    for submission_id, number, sha256 in session.execute(
        select(Evidence.submission_id, Evidence.revision, Evidence.sha256)
    ):
        evidence[(str(submission_id), number)].append(sha256)
    found = []
    query = select(Revision).order_by(Revision.created_at)
    for revision in session.scalars(query.execution_options(yield_per=_BATCH)):
        key = (str(revision.submission_id), revision.number)
        name = f"{revision.number} of submission {key[0]}"
        if key not in recorded:
            found.append(
                Discrepancy("revisions", name, NOT_IN_THE_LEDGER, made_at=revision.created_at)
            )
            continue
        index, body = recorded[key]
        if body.get("data_commitment") != data_commitment(revision):
            found.append(
                Discrepancy(
                    "revisions",
                    name,
                    "the activity data (or the salt) no longer matches the commitment the "
                    "ledger recorded",
                    index,
                )
            )
        attached = set(evidence_commitments(revision.salt, evidence[key]))
        gone = set(body.get("evidence_commitments", [])) - attached
        if gone:
            found.append(
                Discrepancy(
                    "evidence",
                    f"of revision {name}",
                    f"{len(gone)} file(s) recorded in the ledger are no longer attached",
                    index,
                )
            )
        session.expunge(revision)
    return found


def check_verification(session: Session) -> list[Discrepancy]:
    """Every decided verification case has the decision, revision and submission the ledger
    recorded, and the verifier it committed to."""
    recorded = _latest(session, EventKind.VERIFICATION_DECIDED, "case_id")
    salts = _salts(session)
    found = []
    query = select(VerificationCase).where(VerificationCase.decision.is_not(None))
    for case in session.scalars(query):
        key = str(case.id)
        if key not in recorded:
            found.append(
                Discrepancy(
                    "verification_cases",
                    key,
                    f"decided, {NOT_IN_THE_LEDGER}",
                    made_at=case.decided_at,
                )
            )
            continue
        index, body = recorded[key]
        stored = (case.decision, case.revision, str(case.submission_id))
        logged_as = (body.get("decision"), body.get("revision"), body.get("submission_id"))
        if stored != logged_as:
            found.append(
                Discrepancy(
                    "verification_cases",
                    key,
                    f"decision {case.decision} on revision {case.revision} of submission "
                    f"{case.submission_id} in the database, the ledger recorded "
                    f"{body.get('decision')} on revision {body.get('revision')} of "
                    f"{body.get('submission_id')}",
                    index,
                )
            )
        salt = salts.get((str(case.submission_id), case.revision), "")
        if body.get("verifier_commitment") != verifier_commitment(salt, case.verifier_id):
            found.append(
                Discrepancy(
                    "verification_cases",
                    key,
                    f"the verifier in the database ({case.verifier_id}) is not the one the "
                    "ledger committed to",
                    index,
                )
            )
    return found


def _check_published(
    session: Session,
    kind: EventKind,
    versions: Iterable[FactorSetVersion | BenchmarkVersion],
    recorded_digest: str,
    digest: Callable[[Any], str],
    what: str,
) -> list[Discrepancy]:
    """Every published version still has the digest its ``kind`` entry recorded under
    ``recorded_digest``; ``what`` names what differs when it does not."""
    recorded = _latest(session, kind, "version")
    found = []
    for version in versions:
        table = type(version).__tablename__
        if version.version not in recorded:
            found.append(
                Discrepancy(table, version.version, NOT_IN_THE_LEDGER, made_at=version.published_at)
            )
            continue
        index, body = recorded[version.version]
        if body.get(recorded_digest) != digest(version):
            found.append(Discrepancy(table, version.version, what, index))
    return found


def check_factor_sets(session: Session) -> list[Discrepancy]:
    """Every published factor set's table still hashes to what the ledger recorded."""
    return _check_published(
        session,
        EventKind.FACTOR_SET_PUBLISHED,
        session.scalars(select(FactorSetVersion)),
        "table_sha256",
        table_sha256,
        "the factor table differs from the one the ledger recorded",
    )


def check_benchmarks(session: Session) -> list[Discrepancy]:
    """Every published benchmark version's rows still hash to what the ledger recorded."""
    return _check_published(
        session,
        EventKind.BENCHMARK_PUBLISHED,
        session.scalars(select(BenchmarkVersion)),
        "rows_sha256",
        lambda version: sha256_hex(canonical_json(version.rows)),
        "the benchmark rows differ from the ones the ledger recorded",
    )


def check_certificates(session: Session) -> list[Discrepancy]:
    """Every issued certificate's credential still hashes to the SHA-256 its
    ``certificate.issued`` entry recorded, under the number and ledger index recorded, for the
    footprint the entry committed to; its status is the one its latest
    ``certificate.status_changed`` entry gave (``issued`` if none); and every surveillance
    review still has the action and reason its entry recorded (:func:`_check_reviews`)."""
    issued = _latest(session, EventKind.CERTIFICATE_ISSUED, "certificate")
    changed = _latest(session, EventKind.CERTIFICATE_STATUS_CHANGED, "certificate")
    salts = _salts(session)
    found = []
    certified = (CertificateStatus.ISSUED, CertificateStatus.SUSPENDED, CertificateStatus.WITHDRAWN)
    query = (
        select(Certificate, Footprint.submission_id, Footprint.revision)
        .join(Footprint, Footprint.id == Certificate.footprint_id)
        .where(or_(Certificate.number.is_not(None), Certificate.status.in_(certified)))
        .order_by(Certificate.applied_at)
    )
    for certificate, submission_id, revision in session.execute(query):
        key = certificate.number or str(certificate.id)
        if key not in issued:
            found.append(Discrepancy("certificates", key, "issued, not in the ledger"))
            continue
        index, body = issued.pop(key)
        if certificate.ledger_index != index:
            found.append(
                Discrepancy(
                    "certificates",
                    key,
                    f"ledger_index {certificate.ledger_index} in the database, the issue is "
                    f"entry {index}",
                    index,
                )
            )
        salt = salts.get((str(submission_id), revision), "")
        if body.get("footprint_commitment") != certified_footprint_commitment(
            salt, certificate.footprint_id
        ):
            found.append(
                Discrepancy(
                    "certificates",
                    key,
                    f"the footprint in the database ({certificate.footprint_id}) is not the "
                    "one the ledger committed to when the certificate was issued",
                    index,
                )
            )
        try:
            digest = sha256_hex(canonical_json(json.loads(certificate.credential or "")))
        except (ValueError, TanzujiError):
            digest = "unreadable"
        recorded = body.get("credential_sha256")
        if recorded != digest or recorded != certificate.credential_sha256:
            found.append(
                Discrepancy(
                    "certificates",
                    key,
                    f"the credential (SHA-256 {digest}) differs from the one the ledger "
                    f"recorded ({body.get('credential_sha256')})",
                    index,
                )
            )
        status_index, status_body = changed.get(key, (index, {"status": "issued"}))
        if certificate.status.value != status_body.get("status"):
            found.append(
                Discrepancy(
                    "certificates",
                    key,
                    f"status {certificate.status.value} in the database, the ledger recorded "
                    f"{status_body.get('status')}",
                    status_index,
                )
            )
    for key, (index, _) in issued.items():
        found.append(
            Discrepancy(
                "certificates", key, "recorded in the ledger, gone from the database", index
            )
        )
    return found + _check_reviews(session)


def _check_reviews(session: Session) -> list[Discrepancy]:
    """Every surveillance review is the ``certificate.status_changed`` entry at its
    ``ledger_index``: same certificate, same action, and a reason (with its salt) that still
    matches the commitment recorded; and every such entry has its review."""
    recorded = dict(logged(session, EventKind.CERTIFICATE_STATUS_CHANGED))
    found = []
    query = (
        select(CertificateReview, Certificate.number)
        .join(Certificate, Certificate.id == CertificateReview.certificate_id)
        .order_by(CertificateReview.decided_at, CertificateReview.id)
    )
    for review, number in session.execute(query):
        key = str(review.id)
        body = recorded.pop(review.ledger_index, None)
        if body is None:
            found.append(
                Discrepancy(
                    "certificate_reviews",
                    key,
                    f"entry {review.ledger_index} is not a certificate.status_changed entry",
                    review.ledger_index,
                )
            )
            continue
        stored = (number, review.action.value)
        logged_as = (body.get("certificate"), body.get("action"))
        if stored != logged_as:
            found.append(
                Discrepancy(
                    "certificate_reviews",
                    key,
                    f"{review.action.value} of {number} in the database, the ledger recorded "
                    f"{body.get('action')} of {body.get('certificate')}",
                    review.ledger_index,
                )
            )
        if body.get("reason_commitment") != reason_commitment(review.salt, review.reason):
            found.append(
                Discrepancy(
                    "certificate_reviews",
                    key,
                    "the reason (or its salt) no longer matches the commitment the ledger recorded",
                    review.ledger_index,
                )
            )
    for index, body in recorded.items():
        found.append(
            Discrepancy(
                "certificate_reviews",
                f"{body.get('action')} of {body.get('certificate')}",
                "recorded in the ledger, gone from the database",
                index,
            )
        )
    return found


RECORD_CHECKS: tuple[Callable[[Session], list[Discrepancy]], ...] = (
    check_factor_sets,
    check_benchmarks,
    check_revisions,
    check_footprints,
    check_verification,
    check_certificates,
)
"""The check of each kind of record against its ledger entries."""


@dataclass(frozen=True)
class AuditReport:
    """What the audit found: ``discrepancies`` fail it; ``notes`` name the records made before
    the ledger's first entry, which have none and are not protected, but do not fail it."""

    discrepancies: list[Discrepancy]
    notes: list[Discrepancy]


def _made_before(found: Discrepancy, began: datetime.datetime | None) -> bool:
    """Whether ``found`` is a record without an entry made before the ledger began."""
    return found.made_at is not None and (began is None or found.made_at < began)


def audit_report(session: Session, public_key: Ed25519PublicKey | None = None) -> AuditReport:
    """Every discrepancy between the database and its ledger, and a note for each record made
    before the ledger's first entry (by its own time: a revision's creation, a footprint's
    computation, a factor set's or benchmark's publication, a case's decision)."""
    found = check_entries(session) + check_tree(session, public_key)
    for check in RECORD_CHECKS:
        found += check(session)
    began = session.scalar(select(LedgerEntryRow.recorded_at).where(LedgerEntryRow.index == 0))
    since = f"({format_time(began)})" if began is not None else "(it has no entries yet)"
    problem = f"made before the ledger began {since}: not protected"
    return AuditReport(
        discrepancies=[item for item in found if not _made_before(item, began)],
        notes=[replace(item, problem=problem) for item in found if _made_before(item, began)],
    )


def audit(session: Session, public_key: Ed25519PublicKey | None = None) -> list[Discrepancy]:
    """Every discrepancy between the database and its ledger (empty: none found); records
    made before the ledger began are not among them (:func:`audit_report` notes them)."""
    return audit_report(session, public_key).discrepancies
