"""The Merkle tree of RFC 6962 §2.1 (restated in RFC 9162 §2.1): hashes, inclusion and
consistency proofs, and their verification.

Hashing (RFC 9162 §2.1.1, SHA-256)::

    leaf_hash(d)    = SHA-256(0x00 || d)
    node_hash(l, r) = SHA-256(0x01 || l || r)
    MTH({})         = SHA-256()                         (the empty tree)
    MTH(D[n])       = node_hash(MTH(D[0:k]), MTH(D[k:n]))  k = largest power of two < n

Every range whose hash the RFC's algorithms need (the tree, a sibling on an audit path, a
subproof element) starts at a multiple of a power of two at least as large as the range, so
it splits into *perfect* subtrees: the binary digits of its size, largest first. A perfect
subtree is named ``(level, index)``: it covers leaves ``index·2^level … (index+1)·2^level - 1``
and never changes once complete. A store keeps exactly those hashes; :class:`ProofPlan` says
which of them a proof needs, so the store fetches them in one query and :meth:`ProofPlan.assemble`
folds them into the proof.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from tanzuji.errors import LedgerInconsistent

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "MerkleTree",
    "ProofPlan",
    "Subtree",
    "consistency_plan",
    "fold",
    "inclusion_plan",
    "leaf_hash",
    "node_hash",
    "perfect_subtrees",
    "root_plan",
    "verify_consistency",
    "verify_inclusion",
]

HASH_SIZE = 32
"""Bytes of a SHA-256 hash: every leaf, node, root and proof element."""
EMPTY_ROOT = hashlib.sha256(b"").digest()
"""MTH of the empty tree (RFC 9162 §2.1.1): the SHA-256 of no bytes."""

Subtree = tuple[int, int]
"""A perfect subtree ``(level, index)``: leaves ``index·2^level`` up to ``(index+1)·2^level``."""
Range = tuple[int, int]
"""Leaves ``[start, end)`` of the log."""


def leaf_hash(data: bytes) -> bytes:
    """The hash of one leaf: SHA-256 of 0x00 followed by the leaf data (RFC 9162 §2.1.1)."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """The hash of an interior node: SHA-256 of 0x01, the left and the right child's hash."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(size: int) -> int:
    """The largest power of two smaller than ``size`` (``size`` ≥ 2)."""
    return 1 << ((size - 1).bit_length() - 1)


def perfect_subtrees(start: int, end: int) -> list[Subtree]:
    """The perfect subtrees that make up the leaves ``[start, end)``, left to right.

    >>> perfect_subtrees(0, 7)
    [(2, 0), (1, 2), (0, 6)]
    >>> perfect_subtrees(4, 6)
    [(1, 2)]
    """
    if not 0 <= start < end:
        raise ValueError(f"no leaves in [{start}, {end})")
    subtrees = []
    while start < end:
        level = (end - start).bit_length() - 1
        if start % (1 << level):
            raise ValueError(f"[{start}, {end}) is not a range of the tree (not aligned)")
        subtrees.append((level, start >> level))
        start += 1 << level
    return subtrees


def fold(hashes: Sequence[bytes]) -> bytes:
    """The MTH of a range from its perfect subtrees' hashes, left to right: each subtree is
    the left child of the node over the ones to its right (they are smaller)."""
    result = hashes[-1]
    for left in reversed(hashes[:-1]):
        result = node_hash(left, result)
    return result


@dataclass(frozen=True)
class ProofPlan:
    """The ranges whose hashes form a proof, in the order of the RFC's proof."""

    ranges: tuple[Range, ...]

    @property
    def subtrees(self) -> list[Subtree]:
        """Every perfect subtree the proof needs, once each (what a store fetches)."""
        needed = dict.fromkeys(s for a, b in self.ranges for s in perfect_subtrees(a, b))
        return list(needed)

    def assemble(self, hashes: Mapping[Subtree, bytes]) -> list[bytes]:
        """The proof, given the hash of every subtree in :attr:`subtrees`."""
        return [fold([hashes[s] for s in perfect_subtrees(a, b)]) for a, b in self.ranges]


def root_plan(tree_size: int) -> ProofPlan:
    """The one range of the tree head: ``[0, tree_size)`` (nothing for the empty tree)."""
    _check_size(tree_size, "tree_size")
    return ProofPlan(((0, tree_size),) if tree_size else ())


def inclusion_plan(index: int, tree_size: int) -> ProofPlan:
    """The audit path of leaf ``index`` in the tree of ``tree_size`` leaves (RFC 9162
    §2.1.3.1, PATH(m, D[n])): the sibling ranges from the leaf up to the root."""
    _check_size(tree_size, "tree_size")
    if not 0 <= index < tree_size:
        raise ValueError(f"index {index} is not in a tree of {tree_size} entries")
    siblings: list[Range] = []
    start, end = 0, tree_size
    while end - start > 1:
        k = _split(end - start)
        if index < start + k:
            siblings.append((start + k, end))
            end = start + k
        else:
            siblings.append((start, start + k))
            start += k
    return ProofPlan(tuple(reversed(siblings)))


def consistency_plan(first: int, second: int) -> ProofPlan:
    """The consistency proof between the trees of ``first`` and ``second`` leaves (RFC 9162
    §2.1.4.1, PROOF(m, D[n]) = SUBPROOF(m, D[n], true)); empty when ``first`` is 0 or equal."""
    _check_size(first, "first")
    _check_size(second, "second")
    if first > second:
        raise ValueError(f"first ({first}) is larger than second ({second})")
    if first in (0, second):
        return ProofPlan(())
    siblings: list[Range] = []
    start, end, whole = 0, second, True
    while first != end:
        k = _split(end - start)
        if first <= start + k:
            siblings.append((start + k, end))
            end = start + k
        else:
            siblings.append((start, start + k))
            start += k
            whole = False
    head: list[Range] = [] if whole else [(start, end)]
    return ProofPlan(tuple(head + siblings[::-1]))


def _check_size(size: int, name: str) -> None:
    if size < 0:
        raise ValueError(f"{name} must be 0 or more, not {size}")


def _check_hash(value: bytes, what: str) -> None:
    if len(value) != HASH_SIZE:
        raise LedgerInconsistent(f"{what} has {len(value)} bytes, not {HASH_SIZE}")


def verify_inclusion(
    index: int, tree_size: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> None:
    """Check that the leaf hash ``leaf`` is entry ``index`` of the tree of ``tree_size``
    entries whose root is ``root`` (RFC 9162 §2.1.3.2); :class:`LedgerInconsistent` says
    what failed."""
    _check_hash(leaf, "the leaf hash")
    _check_hash(root, "the root hash")
    for position, element in enumerate(proof):
        _check_hash(element, f"proof element {position}")
    if not 0 <= index < tree_size:
        raise LedgerInconsistent(f"index {index} is not in a tree of {tree_size} entries")
    fn, sn, result = index, tree_size - 1, leaf
    for element in proof:
        if sn == 0:
            raise LedgerInconsistent(
                f"the inclusion proof is too long for entry {index} of {tree_size}"
            )
        if fn & 1 or fn == sn:
            result = node_hash(element, result)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            result = node_hash(result, element)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise LedgerInconsistent(
            f"the inclusion proof is too short for entry {index} of {tree_size}"
        )
    if result != root:
        raise LedgerInconsistent(
            f"entry {index} is not in the tree of {tree_size} entries with root "
            f"{root.hex()}: the proof leads to {result.hex()}"
        )


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
) -> None:
    """Check that the tree of ``first`` entries with root ``first_root`` is a prefix of the
    tree of ``second`` entries with root ``second_root`` (RFC 9162 §2.1.4.2);
    :class:`LedgerInconsistent` says what failed."""
    _check_hash(first_root, "the first root hash")
    _check_hash(second_root, "the second root hash")
    for position, element in enumerate(proof):
        _check_hash(element, f"proof element {position}")
    if not 0 <= first <= second:
        raise LedgerInconsistent(f"a tree of {first} entries cannot grow into {second}")
    if first == second or first == 0:
        if proof:
            raise LedgerInconsistent(f"the proof from {first} to {second} entries must be empty")
        if first == second and first_root != second_root:
            raise LedgerInconsistent(
                f"two different roots for the same tree of {first} entries: "
                f"{first_root.hex()} and {second_root.hex()}"
            )
        return
    if not proof:
        raise LedgerInconsistent(f"the consistency proof from {first} to {second} is empty")
    path = [first_root, *proof] if first & (first - 1) == 0 else list(proof)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    first_result = second_result = path[0]
    for element in path[1:]:
        if sn == 0:
            raise LedgerInconsistent(f"the consistency proof from {first} to {second} is too long")
        if fn & 1 or fn == sn:
            first_result = node_hash(element, first_result)
            second_result = node_hash(element, second_result)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            second_result = node_hash(second_result, element)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise LedgerInconsistent(f"the consistency proof from {first} to {second} is too short")
    if first_result != first_root:
        raise LedgerInconsistent(
            f"the proof does not lead to the root of the tree of {first} entries "
            f"({first_root.hex()}): it leads to {first_result.hex()}"
        )
    if second_result != second_root:
        raise LedgerInconsistent(
            f"the proof does not lead to the root of the tree of {second} entries "
            f"({second_root.hex()}): it leads to {second_result.hex()}"
        )


class MerkleTree:
    """A whole tree in memory: the leaf hashes and every complete perfect subtree's hash.

    For tests and the offline verifier; the database keeps the same hashes (see
    :mod:`tanzuji.store.ledger`). Appending costs one hash per completed subtree.
    """

    def __init__(self, leaf_hashes: Iterable[bytes] = ()) -> None:
        self._levels: list[list[bytes]] = [[]]
        for leaf in leaf_hashes:
            self.append_hash(leaf)

    @property
    def size(self) -> int:
        """Entries in the tree."""
        return len(self._levels[0])

    def append(self, data: bytes) -> int:
        """Add a leaf with ``data``; its index."""
        return self.append_hash(leaf_hash(data))

    def append_hash(self, leaf: bytes) -> int:
        """Add a leaf by its hash; its index."""
        _check_hash(leaf, "a leaf hash")
        index = self.size
        self._levels[0].append(leaf)
        level, position = 0, index
        while position & 1:
            if len(self._levels) == level + 1:
                self._levels.append([])
            below = self._levels[level]
            self._levels[level + 1].append(node_hash(below[position - 1], below[position]))
            level, position = level + 1, position >> 1
        return index

    def subtree(self, level: int, index: int) -> bytes:
        """The hash of the complete perfect subtree ``(level, index)``."""
        return self._levels[level][index]

    def _hashes(self, plan: ProofPlan) -> dict[Subtree, bytes]:
        return {s: self.subtree(*s) for s in plan.subtrees}

    def root(self, tree_size: int | None = None) -> bytes:
        """MTH of the first ``tree_size`` entries (default: all)."""
        size = self.size if tree_size is None else tree_size
        self._check_within(size, "tree_size")
        plan = root_plan(size)
        return plan.assemble(self._hashes(plan))[0] if size else EMPTY_ROOT

    def inclusion_proof(self, index: int, tree_size: int | None = None) -> list[bytes]:
        """The audit path of entry ``index`` in the tree of ``tree_size`` entries."""
        size = self.size if tree_size is None else tree_size
        self._check_within(size, "tree_size")
        plan = inclusion_plan(index, size)
        return plan.assemble(self._hashes(plan))

    def consistency_proof(self, first: int, second: int | None = None) -> list[bytes]:
        """The consistency proof from the tree of ``first`` entries to ``second``."""
        size = self.size if second is None else second
        self._check_within(size, "second")
        plan = consistency_plan(first, size)
        return plan.assemble(self._hashes(plan))

    def _check_within(self, size: int, name: str) -> None:
        if not 0 <= size <= self.size:
            raise ValueError(f"{name} {size} is not between 0 and {self.size}")
