"""Bitstring Status List v1.0: the Recommendation's example list, bit order, and bad input."""

from __future__ import annotations

import base64
import gzip

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tanzuji.credentials import StatusList, status_entry, status_list_credential
from tanzuji.credentials.status_list import MIN_BITS, status_of
from tanzuji.errors import CredentialError

from .certificates import ISSUED

# W3C, Bitstring Status List v1.0, Recommendation 15 May 2025, §2.2 example 3
# ("Example BitstringStatusListCredential"): https://www.w3.org/TR/vc-bitstring-status-list/
SPEC_ENCODED_LIST = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"
URL = "https://tan.example.cn/credentials/status/revocation"
NO_BITS = {"type": "BitstringStatusList", "statusPurpose": "revocation"}


def _encode(raw: bytes) -> str:
    return "u" + base64.urlsafe_b64encode(gzip.compress(raw)).decode().rstrip("=")


class TestTheSpecificationExample:
    def test_it_holds_131072_clear_bits(self) -> None:
        bits = StatusList.from_encoded(SPEC_ENCODED_LIST)
        assert bits.size == 131_072 == MIN_BITS
        assert not any(bits.get(index) for index in range(bits.size))

    def test_an_empty_list_round_trips_through_our_encoding(self) -> None:
        encoded = StatusList().encoded()
        assert encoded.startswith("uH4sI")  # "u" + base64url of the GZIP magic 1f 8b 08
        assert "=" not in encoded
        assert StatusList.from_encoded(encoded).size == MIN_BITS
        assert encoded == StatusList().encoded()  # no time stamp: same bits, same text


class TestBits:
    def test_index_0_is_the_leftmost_bit_of_the_first_byte(self) -> None:
        bits = StatusList()
        bits.set(0, True)
        bits.set(9, True)
        raw = gzip.decompress(base64.urlsafe_b64decode(bits.encoded()[1:] + "=="))
        assert raw[:2] == bytes([0b1000_0000, 0b0100_0000])

    def test_a_set_bit_reads_back_and_clears(self) -> None:
        bits = StatusList.from_encoded(SPEC_ENCODED_LIST)
        bits.set(94_567, True)
        again = StatusList.from_encoded(bits.encoded())
        assert again.get(94_567)
        assert not again.get(94_566)
        assert not again.get(94_568)
        again.set(94_567, False)
        assert not again.get(94_567)

    @given(
        indexes=st.sets(st.integers(0, MIN_BITS - 1), max_size=50),
        probes=st.lists(st.integers(0, MIN_BITS - 1), max_size=50),
    )
    def test_any_set_of_indexes_round_trips(self, indexes: set[int], probes: list[int]) -> None:
        bits = StatusList()
        for index in indexes:
            bits.set(index, True)
        decoded = StatusList.from_encoded(bits.encoded())
        for index in [*indexes, *probes]:
            assert decoded.get(index) == (index in indexes)

    @pytest.mark.parametrize("index", [-1, MIN_BITS, True])
    def test_an_index_outside_the_list_is_named(self, index: int) -> None:
        with pytest.raises(CredentialError, match=r"statusListIndex: .* outside the list"):
            StatusList().get(index)

    @pytest.mark.parametrize("size", [8, MIN_BITS + 1])
    def test_a_list_too_small_or_not_whole_bytes_is_refused(self, size: int) -> None:
        with pytest.raises(CredentialError, match="size: a status list holds a multiple of 8"):
            StatusList(size)


class TestBadEncodings:
    @pytest.mark.parametrize(
        ("encoded", "message"),
        [
            ("zH4sI", "starting with 'u'"),
            ("u*&^", "not base64url"),
            ("u" + base64.urlsafe_b64encode(b"not gzip").decode().rstrip("="), "not GZIP data"),
            (_encode(bytes(100)), "holds 800 entries; a status list has at least 131,072"),
            (_encode(bytes(MIN_BITS // 8))[:-8], "cut short"),
        ],
    )
    def test_each_fault_is_named(self, encoded: str, message: str) -> None:
        with pytest.raises(CredentialError, match=message) as caught:
            StatusList.from_encoded(encoded)
        assert caught.value.field == "encodedList"

    def test_a_decompression_bomb_is_refused(self) -> None:
        with pytest.raises(CredentialError, match="expands beyond"):
            StatusList.from_encoded(_encode(bytes(16 * 1024 * 1024 + 1)))


class TestCredentials:
    def test_an_entry_points_at_one_bit_of_one_list(self) -> None:
        assert status_entry(list_url=URL, purpose="revocation", index=7) == {
            "id": f"{URL}#7",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "7",
            "statusListCredential": URL,
        }

    def test_the_list_credential_carries_the_bits(self) -> None:
        bits = StatusList()
        bits.set(7, True)
        credential = status_list_credential(
            list_url=URL,
            purpose="revocation",
            status_list=bits,
            issuer="did:key:z6Mk",
            valid_from=ISSUED,
        )
        assert credential["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
        assert credential["validFrom"] == "2026-03-01T08:00:00Z"
        assert credential["credentialSubject"]["type"] == "BitstringStatusList"
        entry = status_entry(list_url=URL, purpose="revocation", index=7)
        assert status_of(entry, credential)
        assert not status_of({**entry, "statusListIndex": "8"}, credential)

    @pytest.mark.parametrize("purpose", ["message", "Revocation"])
    def test_only_revocation_and_suspension_lists_are_made(self, purpose: str) -> None:
        with pytest.raises(CredentialError, match=r"statusPurpose: .* is not one of revocation"):
            status_entry(list_url=URL, purpose=purpose, index=1)

    def test_a_negative_index_is_refused(self) -> None:
        with pytest.raises(CredentialError, match="statusListIndex: -1 is not a whole number"):
            status_entry(list_url=URL, purpose="suspension", index=-1)

    @pytest.mark.parametrize(
        ("entry_change", "list_change", "message"),
        [
            ({"type": "StatusList2021Entry"}, {}, "is not BitstringStatusListEntry"),
            ({"statusSize": 2}, {}, "one-bit entries only"),
            ({"statusListIndex": 7}, {}, "not a base-10 whole number in a string"),
            ({"statusListIndex": "²"}, {}, "'²' is not a base-10 whole number in a string"),
            ({"statusListIndex": "٧"}, {}, "'٧' is not a base-10 whole number in a string"),
            ({"statusPurpose": "suspension"}, {}, "the list is for 'revocation'"),
            ({}, {"type": ["VerifiableCredential"]}, "not a BitstringStatusListCredential"),
            ({}, {"credentialSubject": {"type": "List"}}, "holds no BitstringStatusList"),
            ({}, {"credentialSubject": NO_BITS}, "no encoded bits"),
        ],
    )  # fmt: skip
    def test_an_entry_and_list_that_do_not_fit_are_named(
        self, entry_change: dict[str, object], list_change: dict[str, object], message: str
    ) -> None:
        credential = status_list_credential(
            list_url=URL,
            purpose="revocation",
            status_list=StatusList(),
            issuer="did:key:z6Mk",
            valid_from=ISSUED,
        )
        entry = status_entry(list_url=URL, purpose="revocation", index=7)
        with pytest.raises(CredentialError, match=message):
            status_of({**entry, **entry_change}, {**credential, **list_change})
