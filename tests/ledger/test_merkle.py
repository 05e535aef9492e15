"""The Merkle tree against the RFC 6962 test vectors, and proofs under random change.

The vectors are those of the reference Certificate Transparency implementation
(google/certificate-transparency ``merkletree/merkle_tree_test.cc``), as carried on in
transparency-dev/merkle ``testonly/constants.go`` (leaves, node and root hashes) and
``proof/verify_test.go`` (inclusion paths and consistency proofs). There the leaf numbers of
the paths count from 1; here indexes count from 0.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tanzuji.errors import LedgerInconsistent
from tanzuji.ledger.merkle import (
    EMPTY_ROOT,
    MerkleTree,
    consistency_plan,
    inclusion_plan,
    leaf_hash,
    node_hash,
    perfect_subtrees,
    verify_consistency,
    verify_inclusion,
)

LEAVES = [
    bytes.fromhex(h)
    for h in ("", "00", "10", "2021", "3031", "40414243", "5051525354555657",
              "606162636465666768696a6b6c6d6e6f")
]  # fmt: skip
ROOTS = [
    bytes.fromhex(h)
    for h in (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    )
]
"""The root of the tree of the first n leaves, n = 0 … 8."""


def h(text: str) -> bytes:
    return bytes.fromhex(text)


INCLUSION = [
    (0, 8, [h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")]),
    (5, 8, [h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
            h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
            h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")]),
    (2, 3, [h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")]),
    (1, 5, [h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")]),
    (0, 1, []),
]  # fmt: skip
"""(index, tree size, audit path)."""

CONSISTENCY = [
    (1, 1, []),
    (1, 8, [h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")]),
    (6, 8, [h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
            h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
            h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")]),
    (2, 5, [h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")]),
    (6, 7, [h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
            h("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
            h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")]),
]  # fmt: skip
"""(first size, second size, consistency proof)."""


def vector_tree(size: int = 8) -> MerkleTree:
    tree = MerkleTree()
    for data in LEAVES[:size]:
        tree.append(data)
    return tree


class TestHashes:
    def test_the_empty_tree_is_the_hash_of_nothing(self) -> None:
        assert MerkleTree().root() == EMPTY_ROOT == ROOTS[0]

    def test_a_leaf_and_a_node_are_hashed_with_their_prefix(self) -> None:
        # The first leaf is the empty string: SHA-256(0x00).
        assert leaf_hash(b"") == ROOTS[1]
        assert node_hash(leaf_hash(LEAVES[0]), leaf_hash(LEAVES[1])) == ROOTS[2]

    @pytest.mark.parametrize("size", range(9))
    def test_the_root_of_every_prefix_of_the_test_leaves(self, size: int) -> None:
        assert vector_tree().root(size) == ROOTS[size]
        assert vector_tree(size).root() == ROOTS[size]

    def test_ranges_split_into_perfect_subtrees_largest_first(self) -> None:
        assert perfect_subtrees(0, 8) == [(3, 0)]
        assert perfect_subtrees(0, 6) == [(2, 0), (1, 2)]
        assert perfect_subtrees(6, 7) == [(0, 6)]
        with pytest.raises(ValueError, match="not aligned"):
            perfect_subtrees(1, 3)

    def test_a_proof_needs_only_perfect_subtrees(self) -> None:
        # Entry 5 of 7: siblings are leaf 4, leaf 6, and the perfect subtree of leaves 0–3.
        assert inclusion_plan(5, 7).subtrees == [(0, 4), (0, 6), (2, 0)]
        # From 6 to 8: leaves 4–5, leaves 6–7 and leaves 0–3.
        assert consistency_plan(6, 8).subtrees == [(1, 2), (1, 3), (2, 0)]


class TestInclusion:
    @pytest.mark.parametrize(("index", "size", "path"), INCLUSION)
    def test_the_reference_audit_paths(self, index: int, size: int, path: list[bytes]) -> None:
        assert vector_tree().inclusion_proof(index, size) == path
        verify_inclusion(index, size, leaf_hash(LEAVES[index]), path, ROOTS[size])

    @pytest.mark.parametrize(("index", "size", "path"), INCLUSION[:4])
    def test_a_wrong_index_size_leaf_or_root_fails(
        self, index: int, size: int, path: list[bytes]
    ) -> None:
        leaf, root = leaf_hash(LEAVES[index]), ROOTS[size]
        for wrong_index, wrong_size in ((index + 1, size), (index ^ 2, size), (index, size * 2)):
            with pytest.raises(LedgerInconsistent):
                verify_inclusion(wrong_index, wrong_size, leaf, path, root)
        with pytest.raises(LedgerInconsistent, match="is not in the tree"):
            verify_inclusion(index, size, leaf_hash(b"wrong"), path, root)
        with pytest.raises(LedgerInconsistent, match="too long"):
            verify_inclusion(index, size, leaf, [*path, root], root)
        with pytest.raises(LedgerInconsistent, match="too short"):
            verify_inclusion(index, size, leaf, path[:-1], root)

    def test_an_index_outside_the_tree_fails(self) -> None:
        with pytest.raises(LedgerInconsistent, match="index 3 is not in a tree of 3 entries"):
            verify_inclusion(3, 3, ROOTS[1], [], ROOTS[3])
        with pytest.raises(ValueError, match="index 8 is not in a tree of 8"):
            inclusion_plan(8, 8)

    def test_a_hash_of_the_wrong_length_is_named(self) -> None:
        with pytest.raises(LedgerInconsistent, match="proof element 0 has 9 bytes, not 32"):
            verify_inclusion(0, 2, ROOTS[1], [b"WrongLeaf"], ROOTS[2])


class TestConsistency:
    @pytest.mark.parametrize(("first", "second", "proof"), CONSISTENCY)
    def test_the_reference_proofs(self, first: int, second: int, proof: list[bytes]) -> None:
        assert vector_tree().consistency_proof(first, second) == proof
        verify_consistency(first, second, ROOTS[first], ROOTS[second], proof)

    @pytest.mark.parametrize(("first", "second", "proof"), CONSISTENCY[1:])
    def test_wrong_sizes_roots_or_proofs_fail(
        self, first: int, second: int, proof: list[bytes]
    ) -> None:
        roots = ROOTS[first], ROOTS[second]
        for wrong in ((first - 1, second), (first + 1, second), (first, second * 2)):
            with pytest.raises(LedgerInconsistent):
                verify_consistency(*wrong, *roots, proof)
        with pytest.raises(LedgerInconsistent):
            verify_consistency(first, second, roots[1], roots[0], proof)
        with pytest.raises(LedgerInconsistent, match="is empty"):
            verify_consistency(first, second, *roots, [])
        with pytest.raises(LedgerInconsistent):
            verify_consistency(first, second, *roots, [*proof, roots[1]])
        with pytest.raises(LedgerInconsistent):
            verify_consistency(first, second, *roots, [proof[0], *proof])

    def test_a_tree_cannot_shrink(self) -> None:
        with pytest.raises(LedgerInconsistent, match="a tree of 2 entries cannot grow into 1"):
            verify_consistency(2, 1, ROOTS[2], ROOTS[1], [])

    def test_one_size_with_two_roots_is_named(self) -> None:
        with pytest.raises(LedgerInconsistent, match="two different roots for the same tree"):
            verify_consistency(3, 3, ROOTS[3], ROOTS[4], [])


def flip(value: bytes, bit: int) -> bytes:
    """``value`` with one bit (counted over the whole string) inverted."""
    changed = bytearray(value)
    changed[bit // 8] ^= 1 << (bit % 8)
    return bytes(changed)


@st.composite
def sizes_and_index(draw: st.DrawFn) -> tuple[int, int]:
    size = draw(st.integers(1, 300))
    return size, draw(st.integers(0, size - 1))


@st.composite
def two_sizes(draw: st.DrawFn) -> tuple[int, int]:
    second = draw(st.integers(2, 300))
    return draw(st.integers(1, second - 1)), second


BIG = MerkleTree(leaf_hash(i.to_bytes(4, "big")) for i in range(300))


class TestProperties:
    @given(sizes_and_index(), st.data())
    @settings(max_examples=200)
    def test_every_inclusion_proof_verifies_and_no_flipped_bit_does(
        self, case: tuple[int, int], data: st.DataObject
    ) -> None:
        size, index = case
        proof, root, leaf = BIG.inclusion_proof(index, size), BIG.root(size), BIG.subtree(0, index)
        verify_inclusion(index, size, leaf, proof, root)
        bit = data.draw(st.integers(0, 256 - 1))
        with pytest.raises(LedgerInconsistent):
            verify_inclusion(index, size, flip(leaf, bit), proof, root)
        with pytest.raises(LedgerInconsistent):
            verify_inclusion(index, size, leaf, proof, flip(root, bit))
        if proof:
            element = data.draw(st.integers(0, len(proof) - 1))
            changed = [*proof]
            changed[element] = flip(changed[element], bit)
            with pytest.raises(LedgerInconsistent):
                verify_inclusion(index, size, leaf, changed, root)

    @given(two_sizes(), st.data())
    @settings(max_examples=200)
    def test_every_consistency_proof_verifies_and_no_flipped_bit_does(
        self, sizes: tuple[int, int], data: st.DataObject
    ) -> None:
        first, second = sizes
        proof = BIG.consistency_proof(first, second)
        roots = BIG.root(first), BIG.root(second)
        verify_consistency(first, second, *roots, proof)
        bit = data.draw(st.integers(0, 256 - 1))
        with pytest.raises(LedgerInconsistent):
            verify_consistency(first, second, flip(roots[0], bit), roots[1], proof)
        with pytest.raises(LedgerInconsistent):
            verify_consistency(first, second, roots[0], flip(roots[1], bit), proof)
        element = data.draw(st.integers(0, len(proof) - 1))
        changed = [*proof]
        changed[element] = flip(changed[element], bit)
        with pytest.raises(LedgerInconsistent):
            verify_consistency(first, second, *roots, changed)

    @given(st.integers(1, 300))
    def test_the_tree_built_leaf_by_leaf_has_the_recursive_root(self, size: int) -> None:
        def mth(start: int, end: int) -> bytes:
            if end - start == 1:
                return BIG.subtree(0, start)
            k = 1 << ((end - start - 1).bit_length() - 1)
            return node_hash(mth(start, start + k), mth(start + k, end))

        assert BIG.root(size) == mth(0, size)
