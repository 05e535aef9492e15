"""Ledger entries: the exact bytes a third party hashes, and signed tree heads."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from tanzuji.canonical import canonical_json
from tanzuji.errors import LedgerInconsistent
from tanzuji.ledger import EventKind, LedgerEntry, SignedTreeHead, sign_tree_head, verify_tree_head
from tanzuji.ledger.tree_heads import key_id, raw_public_key, signed_bytes

AT = datetime.datetime(2026, 3, 1, 9, 0, 0, 123456, tzinfo=datetime.UTC)


class TestLedgerEntry:
    def test_the_leaf_data_is_the_canonical_json_of_the_entry(self) -> None:
        entry = LedgerEntry(41, EventKind.FACTOR_SET_PUBLISHED, AT, {"version": "GZ-2026.1"})
        expected = (
            b'{"body":{"version":"GZ-2026.1"},"index":41,"kind":"factor_set.published",'
            b'"recorded_at":"2026-03-01T09:00:00.123Z"}'
        )
        assert entry.leaf_data() == expected
        assert entry.leaf_hash() == hashlib.sha256(b"\x00" + expected).digest()

    def test_it_reads_back_from_its_json(self) -> None:
        entry = LedgerEntry(3, EventKind.VERIFICATION_DECIDED, AT, {"decision": "accept"})
        again = LedgerEntry.from_json(entry.to_json())
        assert again.leaf_hash() == entry.leaf_hash()

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            ({"kind": "footprint.deleted"}, r"entries\[7\]\.kind: 'footprint.deleted' is not"),
            ({"index": -1}, r"entries\[7\]\.index: -1 is not an entry index"),
            ({"body": []}, r"entries\[7\]\.body: not a JSON object"),
            ({"recorded_at": "yesterday"}, r"entries\[7\]\.recorded_at: 'yesterday' is not a"),
        ],
    )
    def test_a_bad_field_is_named(self, change: dict[str, object], message: str) -> None:
        good = LedgerEntry(7, EventKind.FOOTPRINT_COMPUTED, AT, {}).to_json()
        with pytest.raises(LedgerInconsistent, match=message):
            LedgerEntry.from_json({**good, **change}, "entries[7]")


class TestSignedTreeHead:
    def test_the_signature_covers_size_time_and_root(self) -> None:
        key = Ed25519PrivateKey.generate()
        head = sign_tree_head(key, 8, AT, b"\x07" * 32)
        assert head.timestamp == 1772355600123
        assert head.key_id == hashlib.sha256(raw_public_key(key.public_key())).hexdigest()
        assert signed_bytes(8, head.timestamp, head.root_hash) == (
            b'{"sha256_root_hash":"BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=",'
            b'"timestamp":1772355600123,"tree_size":8}'
        )
        verify_tree_head(key.public_key(), head)
        verify_tree_head(key.public_key(), SignedTreeHead.from_json(head.to_json()))

    @pytest.mark.parametrize(
        "change",
        [{"tree_size": 9}, {"timestamp": 1772355600124}, {"root_hash": b"\x08" * 32}],
    )
    def test_any_changed_field_breaks_the_signature(self, change: dict[str, object]) -> None:
        key = Ed25519PrivateKey.generate()
        head = sign_tree_head(key, 8, AT, b"\x07" * 32)
        fields = {**head.__dict__, **change}
        with pytest.raises(LedgerInconsistent, match=r"signature of the tree head .* not match"):
            verify_tree_head(key.public_key(), SignedTreeHead(**fields))  # type: ignore[arg-type]

    def test_another_keys_head_is_named(self) -> None:
        head = sign_tree_head(Ed25519PrivateKey.generate(), 8, AT, b"\x07" * 32)
        other = Ed25519PrivateKey.generate().public_key()
        with pytest.raises(LedgerInconsistent, match=f"not the given key {key_id(other)}"):
            verify_tree_head(other, head)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | st.text()
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)  # fmt: skip


@given(st.dictionaries(st.text(), JSON, max_size=5), st.integers(0, 2**40))
def test_the_leaf_data_written_around_the_body_is_the_canonical_json(
    body: dict[str, object], index: int
) -> None:
    entry = LedgerEntry(index, EventKind.CERTIFICATE_ISSUED, AT, body)
    assert entry.leaf_data() == canonical_json(entry.to_json())
