"""Passwords and tokens."""

from __future__ import annotations

from tanzuji.services.secrets import (
    check_password_rules,
    hash_password,
    hash_token,
    new_token,
    password_matches,
)


def test_a_password_round_trip() -> None:
    stored = hash_password("correct horse battery")
    assert stored.startswith("$argon2id$")
    assert password_matches(stored, "correct horse battery")
    assert not password_matches(stored, "correct horse batterY")
    assert not password_matches("not a hash", "anything")


def test_password_rules() -> None:
    assert check_password_rules("short") == "a password needs at least 10 characters"
    assert check_password_rules(" spaces around ") is not None
    assert check_password_rules("long enough pass") is None


def test_tokens_are_random_and_kept_as_hashes() -> None:
    first, second = new_token("tzj"), new_token("tzj")
    assert first != second
    assert first.startswith("tzj_")
    assert len(hash_token(first)) == 64
    assert hash_token(first) == hash_token(first)
