"""Passwords (argon2id) and random tokens (stored only as their SHA-256)."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = ["check_password_rules", "hash_password", "hash_token", "new_token", "password_matches"]

_HASHER = PasswordHasher()  # argon2id with the library's current recommended parameters
MIN_PASSWORD_LENGTH = 10


def check_password_rules(password: str) -> str | None:
    """Why ``password`` is not acceptable, or ``None``."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"a password needs at least {MIN_PASSWORD_LENGTH} characters"
    if password.strip() != password:
        return "a password may not start or end with spaces"
    return None


def hash_password(password: str) -> str:
    """The argon2id hash of ``password``, salt and parameters included."""
    return _HASHER.hash(password)


def password_matches(stored_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``stored_hash`` (never raises for a wrong password)."""
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_token(prefix: str) -> str:
    """A fresh token with 256 bits of randomness, e.g. ``tzj_…`` for API tokens."""
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def hash_token(token: str) -> str:
    """The SHA-256 of a token, hex: what the database keeps."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
