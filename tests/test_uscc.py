"""Unified social credit codes (GB 32100-2015)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tanzuji.uscc import CHARACTERS, check_character, validate_uscc

first17 = st.text(alphabet=CHARACTERS, min_size=17, max_size=17)


def test_the_standards_worked_example() -> None:
    # values 9,1,3,5,0,1,0,0,21,0,0,0,1,0,0,30,4 times weights 1,3,9,27,19,26,16,17,20,29,
    # 25,13,8,24,10,30,28 sum to 1,640; 1,640 mod 31 = 28; 31 - 28 = 3
    assert check_character("91350100M000100Y4") == "3"
    with pytest.raises(ValueError, match=r"check character is 'Z' but .* give '3'"):
        validate_uscc("91350100M000100Y4Z")


@given(first17)
def test_a_completed_code_validates(start: str) -> None:
    assert validate_uscc(start + check_character(start)) == start + check_character(start)


@given(first17, st.integers(0, 16), st.sampled_from(CHARACTERS))
def test_any_single_mistyped_character_is_caught(start: str, at: int, typo: str) -> None:
    """Every weight is non-zero modulo the prime 31, so one changed character always shows."""
    code = start + check_character(start)
    changed = code[:at] + typo + code[at + 1 :]
    if changed != code:
        with pytest.raises(ValueError, match="mistyped"):
            validate_uscc(changed)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("9135010", "18 characters, not 7"),
        ("91350100M000100I43", "'I' cannot appear"),
    ],
)
def test_malformed_codes(code: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        validate_uscc(code)


def test_lower_case_and_spaces_are_made_canonical() -> None:
    assert validate_uscc(" 91350100m000100y43 ") == "91350100M000100Y43"
