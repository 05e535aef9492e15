"""The transparency ledger (domain core): an append-only RFC 6962 / RFC 9162 Merkle log of
every trust-relevant event, with signed tree heads, inclusion and consistency proofs.

No database here: :mod:`tanzuji.store.ledger` keeps the hashes, :mod:`tanzuji.services.ledger`
appends in the caller's transaction. See ``docs/ledger.md`` for the exact hashed forms.
"""

from tanzuji.ledger.entries import LedgerEntry, format_time
from tanzuji.ledger.events import EventKind
from tanzuji.ledger.merkle import (
    EMPTY_ROOT,
    MerkleTree,
    ProofPlan,
    Subtree,
    consistency_plan,
    inclusion_plan,
    leaf_hash,
    node_hash,
    perfect_subtrees,
    root_plan,
    verify_consistency,
    verify_inclusion,
)
from tanzuji.ledger.tree_heads import (
    SignedTreeHead,
    key_id,
    sign_tree_head,
    verify_tree_head,
)

__all__ = [
    "EMPTY_ROOT",
    "EventKind",
    "LedgerEntry",
    "MerkleTree",
    "ProofPlan",
    "SignedTreeHead",
    "Subtree",
    "consistency_plan",
    "format_time",
    "inclusion_plan",
    "key_id",
    "leaf_hash",
    "node_hash",
    "perfect_subtrees",
    "root_plan",
    "sign_tree_head",
    "verify_consistency",
    "verify_inclusion",
    "verify_tree_head",
]
