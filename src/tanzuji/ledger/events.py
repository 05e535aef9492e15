"""What the ledger records: the kinds of trust-relevant events, one entry each."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["EventKind"]


class EventKind(StrEnum):
    """The kind of a ledger entry (``kind`` in its canonical JSON)."""

    SUBMISSION_RECEIVED = "submission.received"
    """Activity data stored: salted commitments to it and to each evidence file."""
    FOOTPRINT_COMPUTED = "footprint.computed"
    """A footprint calculated: rule, factor set and GWP versions, salted commitments to its
    inputs and to the result (the value is confidential until certified)."""
    VERIFICATION_DECIDED = "verification.decided"
    """A verifier accepted or returned a submission: the decision, and a salted commitment
    to the verifier."""
    CERTIFICATE_ISSUED = "certificate.issued"
    """A certification body certified a footprint: the credential's SHA-256."""
    CERTIFICATE_STATUS_CHANGED = "certificate.status_changed"
    """A surveillance review suspended, reinstated or withdrew a certificate."""
    FACTOR_SET_PUBLISHED = "factor_set.published"
    """The regulator published a factor set version: its table's SHA-256."""
    BENCHMARK_PUBLISHED = "benchmark.published"
    """The regulator published a benchmark version for graded management."""
