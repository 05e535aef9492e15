"""``tanzuji cert verify``: check a certificate (any ``eddsa-jcs-2022`` credential) offline.

Needs only the credential's JSON, and, for a complete check, the issuer's public key and the
status list credentials the credential names (given as files, or downloaded with
``--fetch-status``). Exit status:

- 0 ``VALID``: every check was made and passed;
- 1 ``NOT VALID``: a check failed;
- 2 a file, option or download could not be read;
- 3 valid as far as checked: every check made passed, but the issuer key or a status list
  was not given, so the headline names what was not checked.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from rich.console import Console

from tanzuji.credentials import Check, CredentialReport, verify_credential
from tanzuji.credentials.multikey import public_key_from_verification_method
from tanzuji.credentials.status_list import STATUS_PURPOSES
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
EXIT_VALID, EXIT_INVALID, EXIT_INCOMPLETE = 0, 1, 3
"""Exit statuses (2, bad input, is the CLI's for every :class:`TanzujiError`)."""
FETCH_TIMEOUT = 30
"""Seconds to wait for a status list server (``--fetch-status``)."""
MAX_STATUS_LIST_BYTES = 32 * 1024 * 1024
"""The largest status list credential downloaded: room for the largest list tanzuji reads
(16 MiB of bits: gzip and base64 make at most about 22 MB of incompressible bits)."""
HOW_TO_CHECK = {
    Check.PUBLIC_KEY: "give --public-key",
    Check.REVOCATION: "give --status-list FILE or --fetch-status",
    Check.SUSPENSION: "give --status-list FILE or --fetch-status",
}
"""What to give to make each check that was not made."""
UNCHECKED_LABELS = {Check.PUBLIC_KEY: "issuer key"}
"""What an unmade check is called in the headline, where it differs from :data:`LABELS`."""


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


def _fetch_status_lists(document: Any) -> dict[str, dict[str, Any]]:
    """The status list credentials the credential names, downloaded from their URLs."""
    entries = document.get("credentialStatus", []) if isinstance(document, dict) else []
    urls = {
        entry.get("statusListCredential")
        for entry in (entries if isinstance(entries, list) else [entries])
        if isinstance(entry, dict) and entry.get("statusPurpose") in STATUS_PURPOSES
    }
    lists = {}
    for url in sorted(urls, key=str):
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise TanzujiError(
                f"--fetch-status: the statusListCredential {url!r} is not an http:// or "
                "https:// address"
            )
        lists[url] = _download(url)
    return lists


def _download(url: str) -> dict[str, Any]:
    """One status list credential, at most :data:`MAX_STATUS_LIST_BYTES`."""
    where = f"--fetch-status: the status list {url}"
    request = urllib.request.Request(url, headers={"Accept": "application/vc+ld+json, */*"})
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:
            body = response.read(MAX_STATUS_LIST_BYTES + 1)
    except urllib.error.HTTPError as exc:
        exc.close()
        raise TanzujiError(f"{where} could not be downloaded: HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise TanzujiError(f"{where} could not be downloaded: {exc}") from exc
    if len(body) > MAX_STATUS_LIST_BYTES:
        raise TanzujiError(f"{where} is larger than {MAX_STATUS_LIST_BYTES:,} bytes")
    try:
        list_credential = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise TanzujiError(f"{where} is not JSON ({exc})") from exc
    if not isinstance(list_credential, dict):
        raise TanzujiError(f"{where} is not a JSON object")
    return list_credential


def _headline(report: CredentialReport) -> str:
    if not report.valid:
        failed = ", ".join(LABELS[check.name] for check in report.checks if not check.passed)
        return f"NOT VALID: {failed}"
    if report.complete:
        return "VALID: every check passed"
    status_checked = any(check.name in STATUS_PURPOSES for check in report.checks)
    made = "SIGNATURE, DATES AND STATUS" if status_checked else "SIGNATURE AND DATES"
    missing: dict[str, list[str]] = {}
    for unchecked in report.not_checked:
        label = UNCHECKED_LABELS.get(unchecked.name, unchecked.name.value)
        names = missing.setdefault(HOW_TO_CHECK[unchecked.name], [])
        if label not in names:
            names.append(label)
    what = ", ".join(f"{', '.join(names)} ({how})" for how, names in missing.items())
    return f"{made} VALID, NOT CHECKED: {what}"


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
    for unchecked in report.not_checked:
        out.print(
            f"– {LABELS[unchecked.name]:<{width}}  not checked: {unchecked.detail} "
            f"({HOW_TO_CHECK[unchecked.name]})"
        )
    out.print()
    out.print(_headline(report))


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
    fetch_status: Annotated[
        bool,
        typer.Option(
            "--fetch-status",
            help="download each status list from the credential's statusListCredential URL",
        ),
    ] = False,
    at: Annotated[
        str | None,
        typer.Option("--at", help="check validity at this ISO date or date-time (default: now)"),
    ] = None,
) -> None:
    """Check a credential's eddsa-jcs-2022 signature, issuer, validity period and status.
    Exit status 0 valid, 1 not valid, 2 bad input, 3 valid as far as checked (an issuer key
    or a status list was not given)."""
    document = _json_file(file, "FILE")
    key = _public_key(public_key) if public_key is not None else None
    moment = _moment(at)
    lists = _status_lists(status_list or [])
    if fetch_status:
        lists = {**_fetch_status_lists(document), **lists}
    report = verify_credential(document, public_key=key, at=moment, status_lists=lists)
    _print(report, document, moment)
    if not report.valid:
        raise typer.Exit(EXIT_INVALID)
    raise typer.Exit(EXIT_VALID if report.complete else EXIT_INCOMPLETE)
