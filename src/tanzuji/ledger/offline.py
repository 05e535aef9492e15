"""The offline verifier's checks, on a downloaded log: the same whether the entries came from
the public API, the database or an export file.

(a) every entry is in the signed tree: the root recomputed from all entries equals the root
the log key signed, and the signature holds; (b) the tree is consistent with the head the
verifier saw last time: the operator's consistency proof verifies *and* the recomputed tree of
that earlier size has the earlier root.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from tanzuji.errors import LedgerInconsistent
from tanzuji.ledger.entries import LedgerEntry
from tanzuji.ledger.merkle import MerkleTree, verify_consistency
from tanzuji.ledger.tree_heads import SignedTreeHead, verify_tree_head

__all__ = ["EXPORT_FORMAT", "Check", "check_consistency", "check_log", "export_document"]

EXPORT_FORMAT = "tanzuji-ledger-export/1"
"""The ``format`` of a file written by ``tanzuji ledger export``."""


@dataclass(frozen=True)
class Check:
    """One check of the verifier and its outcome."""

    name: str
    passed: bool
    detail: str


def check_log(
    entries: Iterable[LedgerEntry], head: SignedTreeHead, public_key: Ed25519PublicKey
) -> tuple[list[Check], MerkleTree]:
    """Recompute the tree of the first ``head.tree_size`` entries and check it against the
    signed head; the checks and the recomputed tree."""
    tree = MerkleTree()
    checks = []
    for entry in entries:
        if entry.index >= head.tree_size:
            break
        if entry.index != tree.size:
            checks.append(
                Check("entries", False, f"entry {tree.size} is missing (got {entry.index} next)")
            )
            return checks, tree
        tree.append(entry.leaf_data())
    if tree.size != head.tree_size:
        checks.append(
            Check("entries", False, f"{tree.size} entries, the head signs {head.tree_size}")
        )
        return checks, tree
    checks.append(Check("entries", True, f"{tree.size} entries, indexes 0 to {tree.size - 1}"))
    root = tree.root()
    checks.append(
        Check(
            "root",
            root == head.root_hash,
            f"recomputed root {root.hex()}"
            + (" is the signed root" if root == head.root_hash else
               f" differs from the signed root {head.root_hash.hex()}"),
        )
    )  # fmt: skip
    try:
        verify_tree_head(public_key, head)
        checks.append(Check("signature", True, f"signed by key {head.key_id}"))
    except LedgerInconsistent as exc:
        checks.append(Check("signature", False, str(exc)))
    return checks, tree


def check_consistency(
    tree: MerkleTree,
    head: SignedTreeHead,
    previous: SignedTreeHead | None,
    proof: Sequence[bytes] | None,
) -> list[Check]:
    """Check the recomputed ``tree`` (of ``head``) against the head seen before, with the
    operator's consistency ``proof`` if there is one (``None``: an export file has none)."""
    if previous is None:
        return [Check("consistency", True, "no earlier head saved: this is the first check")]
    if previous.tree_size > head.tree_size:
        return [
            Check(
                "consistency",
                False,
                f"the log shrank: {previous.tree_size} entries before, {head.tree_size} now",
            )
        ]
    checks = []
    if proof is not None:
        try:
            verify_consistency(
                previous.tree_size, head.tree_size, previous.root_hash, head.root_hash, proof
            )
            checks.append(
                Check(
                    "consistency proof",
                    True,
                    f"the operator's proof from {previous.tree_size} to {head.tree_size} holds",
                )
            )
        except LedgerInconsistent as exc:
            checks.append(Check("consistency proof", False, str(exc)))
    earlier = tree.root(previous.tree_size) if previous.tree_size else previous.root_hash
    checks.append(
        Check(
            "earlier head",
            earlier == previous.root_hash,
            f"the first {previous.tree_size} entries recomputed "
            + ("have the root seen before" if earlier == previous.root_hash else
               f"have root {earlier.hex()}, not {previous.root_hash.hex()} seen before: "
               "the log was rewritten"),
        )
    )  # fmt: skip
    return checks


def export_document(
    head: SignedTreeHead, public_key_raw_b64: str, entries: Iterable[LedgerEntry]
) -> dict[str, Any]:
    """The JSON document of an export: the head, the log key and every entry it signs."""
    return {
        "format": EXPORT_FORMAT,
        "tree_head": head.to_json(),
        "public_key": {"algorithm": "Ed25519", "raw": public_key_raw_b64},
        "entries": [entry.to_json() for entry in entries],
    }
