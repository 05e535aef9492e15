"""``tanzuji cert verify``: check a certificate (any ``eddsa-jcs-2022`` credential) offline.

Needs only the credential's JSON, and optionally the issuer's public key and the status list
credentials downloaded from the URLs the credential names. Exit status 0 when every check
passes, 1 when one fails, 2 when a file or option cannot be read.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from rich.console import Console

from tanzuji.credentials import Check, CredentialReport, verify_credential
from tanzuji.credentials.multikey import public_key_from_verification_method
from tanzuji.credentials.timestamps import xsd_datetime
from tanzuji.errors import TanzujiError

__all__ = ["cert_app"]

out = Console(soft_wrap=True, markup=False, highlight=False, emoji=False)

cert_app = typer.Typer(
    help="Certificates (verifiable credentials): verify them offline.", no_args_is_help=True
)

LABELS = {
    Check.SHAPE: "shape",
    Check.CONTEXT: "@context and type",
    Check.PROOF: "signature",
    Check.ISSUER: "issuer",
    Check.PUBLIC_KEY: "public key",
    Check.VALID_FROM: "valid from",
    Check.VALID_UNTIL: "not expired",
    Check.REVOCATION: "not revoked",
    Check.SUSPENSION: "not suspended",
}
"""What each check is called on screen."""


def _json_file(path: Path, option: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise TanzujiError(f"{option} {path}: not a readable JSON file ({exc})") from exc


def _public_key(value: str) -> Ed25519PublicKey:
    """A key given as a PEM file (public or private), a ``z6Mk…`` Multikey or a did:key."""
    path = Path(value)
    if value.startswith(("z", "did:key:")) and not path.is_file():
        return public_key_from_verification_method(value, "--public-key")
    if not path.is_file():
        raise TanzujiError(
            f"--public-key {value}: no such file, and not a z6Mk… Multikey or a did:key"
        )
    pem = path.read_bytes()
    try:
        key: object = serialization.load_pem_public_key(pem)
    except ValueError:
        try:
            key = serialization.load_pem_private_key(pem, password=None)
        except (ValueError, TypeError) as exc:
            raise TanzujiError(f"--public-key {path}: not an unencrypted PEM key ({exc})") from exc
    if isinstance(key, Ed25519PrivateKey):
        key = key.public_key()
    if not isinstance(key, Ed25519PublicKey):
        raise TanzujiError(f"--public-key {path}: not an Ed25519 key")
    return key


def _moment(value: str | None) -> datetime:
    """``--at`` as an aware date-time: a date means its start in UTC, no zone means UTC."""
    if value is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise TanzujiError(
            f"--at {value!r}: not an ISO date or date-time (e.g. 2027-01-31 or "
            "2027-01-31T12:00:00+08:00)"
        ) from exc
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _status_lists(paths: list[Path]) -> dict[str, dict[str, Any]]:
    lists = {}
    for path in paths:
        document = _json_file(path, "--status-list")
        if not isinstance(document, dict) or not isinstance(document.get("id"), str):
            raise TanzujiError(
                f"--status-list {path}: a status list credential is a JSON object with the "
                "URL it was published at as its id"
            )
        lists[document["id"]] = document
    return lists


def _print(report: CredentialReport, document: Any, at: datetime) -> None:
    issuer = document.get("issuer") if isinstance(document, dict) else None
    name = issuer.get("name") if isinstance(issuer, dict) else None
    out.print(f"issuer:              {report.issuer or '?'}" + (f" ({name})" if name else ""))
    out.print(f"verification method: {report.verification_method or '?'}")
    out.print(f"signed (created):    {report.created or '?'}")
    out.print(
        f"validity period:     {report.valid_from or 'no start'} – {report.valid_until or 'no end'}"
    )
    out.print(f"checked at:          {xsd_datetime(at, '--at')}")
    out.print()
    width = max(len(label) for label in LABELS.values())
    for check in report.checks:
        mark = "✓" if check.passed else "✗"
        out.print(f"{mark} {LABELS[check.name]:<{width}}  {check.detail}")
    for note in report.not_checked:
        out.print(f"– {'not checked':<{width}}  {note} (give it with --status-list FILE)")
    if not any(check.name == Check.PUBLIC_KEY for check in report.checks):
        out.print(
            f"– {'public key':<{width}}  none given: the key came from the credential itself; "
            "compare it with the issuer's published key (--public-key)"
        )
    out.print()
    if report.valid:
        out.print("VALID: every check passed")
    else:
        failed = ", ".join(LABELS[check.name] for check in report.checks if not check.passed)
        out.print(f"NOT VALID: {failed}")


@cert_app.command("verify")
def verify(
    file: Annotated[Path, typer.Argument(help="the credential, a JSON file")],
    public_key: Annotated[
        str | None,
        typer.Option(
            "--public-key",
            help="the issuer's public key: a z6Mk… Multikey, a did:key or a PEM file",
        ),
    ] = None,
    status_list: Annotated[
        list[Path] | None,
        typer.Option(
            "--status-list",
            help="a status list credential (JSON) downloaded from the credential's "
            "statusListCredential URL; repeat for each list",
        ),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option("--at", help="check validity at this ISO date or date-time (default: now)"),
    ] = None,
) -> None:
    """Check a credential's eddsa-jcs-2022 signature, issuer, validity period and status."""
    document = _json_file(file, "FILE")
    key = _public_key(public_key) if public_key is not None else None
    moment = _moment(at)
    report = verify_credential(
        document, public_key=key, at=moment, status_lists=_status_lists(status_list or [])
    )
    _print(report, document, moment)
    raise typer.Exit(0 if report.valid else 1)
