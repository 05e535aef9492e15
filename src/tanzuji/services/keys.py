"""The deployment's Ed25519 signing keys, kept as PEM files in the data directory.

Two keys with one job each: the **log key** signs the ledger's tree heads, the **issuer key**
signs certificates (verifiable credentials) on behalf of the certification bodies. A key is
created on first use, written with mode 0600, and never leaves the machine; its public half
is published (``/.well-known/did.json``, ``/api/v1/ledger/public-key``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tanzuji.errors import TanzujiError
from tanzuji.settings import Settings

__all__ = ["DeploymentKeys", "load_or_create_key"]


def load_or_create_key(path: Path) -> Ed25519PrivateKey:
    """The Ed25519 private key in the PEM file ``path``, created (mode 0600) if missing."""
    if path.exists():
        try:
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except (ValueError, TypeError) as exc:
            raise TanzujiError(f"{path}: not an unencrypted PEM private key ({exc})") from exc
        if not isinstance(key, Ed25519PrivateKey):
            raise TanzujiError(f"{path}: not an Ed25519 key")
        return key
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(pem)
    return key


@dataclass(frozen=True)
class DeploymentKeys:
    """The log key and the issuer key of one deployment."""

    log: Ed25519PrivateKey
    issuer: Ed25519PrivateKey

    @classmethod
    def of(cls, settings: Settings) -> DeploymentKeys:
        """The keys in ``settings.keys_dir`` (``ledger-ed25519.pem``, ``issuer-ed25519.pem``)."""
        return cls(
            log=load_or_create_key(settings.keys_dir / "ledger-ed25519.pem"),
            issuer=load_or_create_key(settings.keys_dir / "issuer-ed25519.pem"),
        )
