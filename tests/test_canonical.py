"""Canonical JSON gives RFC 8785's bytes (those of the ``rfc8785`` package) for every JSON
value, whichever way it takes, and fails where that package fails."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import rfc8785
from hypothesis import given
from hypothesis import strategies as st

from tanzuji.canonical import canonical_json, is_plain
from tanzuji.errors import TanzujiError

texts = st.text(
    alphabet=st.characters(codec="utf-8") | st.sampled_from('\x00\x1f"\\\b\u2028\U0001f600\ue000')
)
"""Text with controls, quotes, backslashes, line separators, and characters on both sides of
the surrogates (where code-point and UTF-16 order differ)."""
numbers = st.integers(-(2**60), 2**60) | st.floats(allow_nan=False, allow_infinity=False)
json_values = st.recursive(
    st.none() | st.booleans() | numbers | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=20,
)


def outcome(function: Callable[[Any], bytes], value: Any) -> bytes | str:
    try:
        return function(value)
    except (TanzujiError, rfc8785.CanonicalizationError, TypeError, ValueError):
        return "refused"


@given(json_values)
def test_the_same_bytes_as_rfc8785_for_any_json_value(value: Any) -> None:
    assert outcome(canonical_json, value) == outcome(rfc8785.dumps, value)


@pytest.mark.parametrize(
    ("value", "plain"),
    [
        ({"a": [1, "x", None, True]}, True),
        ({"a": 1.5}, False),  # ECMAScript's number form is not Python's
        ({"\U0001f600": 1, "\ue000": 2}, False),  # UTF-16 puts the emoji first
        (2**53, False),
        ({1: "x"}, False),
    ],
)
def test_what_takes_the_fast_way(value: Any, plain: bool) -> None:
    assert is_plain(value) is plain


def test_the_orders_differ_beyond_the_bmp_and_the_slow_way_is_taken() -> None:
    assert canonical_json({"\U0001f600": 1, "\ue000": 2}) == (
        b'{"\xf0\x9f\x98\x80":1,"\xee\x80\x80":2}'
    )


def test_a_lone_surrogate_is_refused() -> None:
    with pytest.raises(TanzujiError):
        canonical_json({"a": "\ud800"})
