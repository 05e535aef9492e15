"""The deployment's signing keys: created once, kept private, read back unchanged."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from tanzuji.errors import TanzujiError
from tanzuji.services.keys import DeploymentKeys, load_or_create_key
from tanzuji.settings import Settings


def _public(key: object) -> bytes:
    return key.public_key().public_bytes(  # type: ignore[attr-defined,no-any-return]
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )


def test_a_key_is_created_once_with_owner_only_permissions(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "ledger-ed25519.pem"
    first = load_or_create_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert _public(load_or_create_key(path)) == _public(first)


def test_the_log_and_issuer_keys_differ(tmp_path: Path) -> None:
    keys = DeploymentKeys.of(Settings(data_dir=tmp_path))
    assert _public(keys.log) != _public(keys.issuer)
    assert sorted(p.name for p in (tmp_path / "keys").iterdir()) == [
        "issuer-ed25519.pem",
        "ledger-ed25519.pem",
    ]


def test_a_file_that_is_not_a_key_is_named(tmp_path: Path) -> None:
    path = tmp_path / "ledger-ed25519.pem"
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(TanzujiError, match=r"ledger-ed25519\.pem: not an unencrypted PEM"):
        load_or_create_key(path)
