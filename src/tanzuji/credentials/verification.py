"""Verify a verifiable credential offline: its proof, issuer, validity period and status.

Follows the checks of W3C *Verifiable Credentials Data Model 2.0* §7.1 (verification) and
§4.6 (validity period), with the proof of *Data Integrity EdDSA Cryptosuites v1.0*
(``eddsa-jcs-2022``) and the status of *Bitstring Status List v1.0* §3.2. Works for any such
credential, not only tanzuji's: nothing is fetched from the network, so the caller hands in
the public key it trusts and the status list credentials it downloaded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from tanzuji.credentials.data_integrity import verify_proof
from tanzuji.credentials.multikey import (
    public_key_from_verification_method,
    public_key_multibase,
)
from tanzuji.credentials.status_list import STATUS_PURPOSES, VC_CONTEXT, status_of
from tanzuji.credentials.timestamps import parse_xsd_datetime, xsd_datetime
from tanzuji.errors import CredentialError

__all__ = ["Check", "CredentialCheck", "CredentialReport", "NotChecked", "verify_credential"]


class Check(StrEnum):
    """The checks :func:`verify_credential` makes, in order."""

    SHAPE = "shape"
    """The document is a JSON object with the members a credential needs."""
    CONTEXT = "context"
    """Its first ``@context`` is VC 2.0 and its ``type`` includes ``VerifiableCredential``."""
    PROOF = "proof"
    """Its ``eddsa-jcs-2022`` signature is valid for the document as it is."""
    ISSUER = "issuer"
    """The issuer is the DID that controls the signing key (or the key the caller trusts)."""
    PUBLIC_KEY = "public_key"
    """The key the proof names is the public key the caller gave (only when one is given)."""
    VALID_FROM = "valid_from"
    """The credential's validity has begun (``validFrom`` ≤ the moment checked)."""
    VALID_UNTIL = "valid_until"
    """The credential has not expired (the moment checked < ``validUntil``)."""
    REVOCATION = "revocation"
    """Its bit in the signed revocation list is clear."""
    SUSPENSION = "suspension"
    """Its bit in the signed suspension list is clear."""


@dataclass(frozen=True)
class CredentialCheck:
    """One check: its name, whether it passed, and what was checked, in plain words."""

    name: Check
    passed: bool
    detail: str


@dataclass(frozen=True)
class NotChecked:
    """A check that could not be made with what the caller gave, and why."""

    name: Check
    """:attr:`Check.PUBLIC_KEY` (no issuer key given), :attr:`Check.REVOCATION` or
    :attr:`Check.SUSPENSION` (the status list was not given)."""
    detail: str


@dataclass(frozen=True)
class CredentialReport:
    """Everything :func:`verify_credential` checked. ``valid``: every check made passed;
    ``complete``: nothing was left unchecked; only both together say the credential holds.

    ``not_checked`` lists what could not be checked offline: the issuer's key when none was
    given (the proof's own ``did:key`` then proves only that the document is intact), and the
    status of each status list not given."""

    checks: tuple[CredentialCheck, ...]
    not_checked: tuple[NotChecked, ...] = ()
    issuer: str | None = None
    verification_method: str | None = None
    created: str | None = None
    valid_from: str | None = None
    valid_until: str | None = None

    @property
    def valid(self) -> bool:
        """Whether the credential passed every check made."""
        return bool(self.checks) and all(check.passed for check in self.checks)

    @property
    def complete(self) -> bool:
        """Whether every check was made (an issuer key and every status list were given)."""
        return not self.not_checked

    def check(self, name: Check) -> CredentialCheck | None:
        """The check called ``name``, if it was made."""
        return next((check for check in self.checks if check.name == name), None)


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _issuer_id(document: dict[str, Any]) -> str | None:
    issuer = document.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) and issuer else None


def _shape_problems(document: Any) -> list[str]:
    if not isinstance(document, dict):
        return ["the credential is not a JSON object"]
    problems = []
    for name in ("@context", "type", "credentialSubject", "proof"):
        if name not in document:
            problems.append(f"{name} is missing")
    if _issuer_id(document) is None:
        problems.append("issuer is missing (a URL, or an object with an id)")
    if not all(isinstance(entry, dict) for entry in _listed(document.get("credentialStatus", []))):
        problems.append("a credentialStatus entry is not an object")
    return problems


def _key_of(verification_method: str | None) -> Ed25519PublicKey | None:
    if verification_method is None:
        return None
    try:
        return public_key_from_verification_method(verification_method)
    except CredentialError:
        return None


def _validity(document: dict[str, Any], at: datetime) -> list[CredentialCheck]:
    checks = []
    moment = xsd_datetime(at, "at")
    if "validFrom" in document:
        try:
            start = parse_xsd_datetime(document["validFrom"], "validFrom")
        except CredentialError as exc:
            checks.append(CredentialCheck(Check.VALID_FROM, False, str(exc)))
        else:
            begun = start <= at
            checks.append(
                CredentialCheck(
                    Check.VALID_FROM,
                    begun,
                    f"valid from {document['validFrom']}"
                    + ("" if begun else f": not yet valid at {moment}"),
                )
            )
    else:
        checks.append(CredentialCheck(Check.VALID_FROM, True, "no validFrom: no start date"))
    if "validUntil" in document:
        try:
            end = parse_xsd_datetime(document["validUntil"], "validUntil")
        except CredentialError as exc:
            checks.append(CredentialCheck(Check.VALID_UNTIL, False, str(exc)))
        else:
            current = at < end
            checks.append(
                CredentialCheck(
                    Check.VALID_UNTIL,
                    current,
                    f"valid until {document['validUntil']}"
                    + ("" if current else f": expired at {moment}"),
                )
            )
    else:
        checks.append(CredentialCheck(Check.VALID_UNTIL, True, "no validUntil: no end date"))
    return checks


def _status(
    document: dict[str, Any],
    signer: Ed25519PublicKey | None,
    at: datetime,
    status_lists: Mapping[str, dict[str, Any]],
) -> tuple[list[CredentialCheck], list[NotChecked]]:
    checks: list[CredentialCheck] = []
    not_checked: list[NotChecked] = []
    for entry in _listed(document.get("credentialStatus", [])):
        purpose = entry.get("statusPurpose")
        if purpose not in STATUS_PURPOSES:
            continue
        name = Check(purpose)
        url = entry.get("statusListCredential")
        list_credential = status_lists.get(url) if isinstance(url, str) else None
        if list_credential is None:
            not_checked.append(NotChecked(name, f"the status list {url} was not given"))
            continue
        checks.append(_status_check(name, entry, list_credential, signer, at))
    return checks, not_checked


def _status_check(
    name: Check,
    entry: dict[str, Any],
    list_credential: dict[str, Any],
    signer: Ed25519PublicKey | None,
    at: datetime,
) -> CredentialCheck:
    url = entry.get("statusListCredential")
    if signer is None:
        return CredentialCheck(
            name, False, f"the signer of {url} cannot be told: give the issuer's public key"
        )
    proof = verify_proof(list_credential, signer)
    if not proof.passed:
        return CredentialCheck(
            name,
            False,
            f"the status list {url} is not signed by the credential's key "
            f"{public_key_multibase(signer)}: {proof.reason}",
        )
    if "validUntil" in list_credential:
        try:
            if parse_xsd_datetime(list_credential["validUntil"], "validUntil") <= at:
                return CredentialCheck(name, False, f"the status list {url} has expired")
        except CredentialError as exc:
            return CredentialCheck(name, False, f"the status list {url}: {exc}")
    try:
        is_set = status_of(entry, list_credential)
    except CredentialError as exc:
        return CredentialCheck(name, False, f"the status list {url}: {exc}")
    where = f"bit {entry['statusListIndex']} of {url} (list of {list_credential.get('validFrom')})"
    if is_set:
        state = "revoked" if name == Check.REVOCATION else "suspended"
        return CredentialCheck(name, False, f"{state}: {where} is set")
    state = "not revoked" if name == Check.REVOCATION else "not suspended"
    return CredentialCheck(name, True, f"{state}: {where} is clear")


def verify_credential(
    document: dict[str, Any],
    *,
    public_key: Ed25519PublicKey | None = None,
    at: datetime,
    status_lists: Mapping[str, dict[str, Any]] | None = None,
) -> CredentialReport:
    """Check ``document`` at the moment ``at`` (aware); never raises for a bad document.

    ``public_key`` is the issuer key the caller trusts; without it the key named by the proof's
    ``did:key`` is used, which proves only that the document is intact. ``status_lists`` maps
    status list URLs (``statusListCredential``) to the list credentials downloaded from them;
    each list must be signed by the same key as the credential."""
    xsd_datetime(at, "at")
    problems = _shape_problems(document)
    if problems:
        return CredentialReport(checks=(CredentialCheck(Check.SHAPE, False, "; ".join(problems)),))
    issuer = _issuer_id(document)
    checks = [CredentialCheck(Check.SHAPE, True, "a JSON object with the members of a credential")]
    contexts, types = _listed(document["@context"]), _listed(document["type"])
    is_vc2 = contexts[0] == VC_CONTEXT
    checks.append(
        CredentialCheck(
            Check.CONTEXT,
            is_vc2 and "VerifiableCredential" in types,
            (
                "VC 2.0 context"
                if is_vc2
                else f"@context starts with {contexts[0]!r}, not {VC_CONTEXT}"
            )
            + f"; type {', '.join(map(str, types))}",
        )
    )
    proof = verify_proof(document, public_key)
    checks.append(CredentialCheck(Check.PROOF, proof.passed, proof.reason))
    method = proof.verification_method
    named_key = _key_of(method)
    controller = method.partition("#")[0] if method else None
    if issuer == controller:
        checks.append(
            CredentialCheck(Check.ISSUER, True, f"issuer {issuer} controls the key {method}")
        )
    elif public_key is not None and proof.passed:
        checks.append(
            CredentialCheck(
                Check.ISSUER,
                True,
                f"issuer {issuer} signed with the key you gave (verification method {method})",
            )
        )
    else:
        checks.append(
            CredentialCheck(
                Check.ISSUER,
                False,
                f"issuer {issuer} is not the controller of the verification method {method}: "
                "give the issuer's public key to accept the key as theirs",
            )
        )
    if public_key is not None:
        given = public_key_multibase(public_key)
        if named_key is None:
            matches, detail = proof.passed, f"{method} checked with the key you gave, {given}"
        else:
            matches = public_key_multibase(named_key) == given
            detail = (
                f"the proof's key is the key you gave, {given}"
                if matches
                else f"the proof names {public_key_multibase(named_key)}, not the key you gave, "
                f"{given}"
            )
        checks.append(CredentialCheck(Check.PUBLIC_KEY, matches, detail))
    checks += _validity(document, at)
    status_checks, not_checked = _status(document, public_key or named_key, at, status_lists or {})
    checks += status_checks
    if public_key is None:
        not_checked.insert(
            0,
            NotChecked(
                Check.PUBLIC_KEY,
                "no issuer key given: the key came from the credential itself, which proves "
                "only that the document is intact",
            ),
        )
    return CredentialReport(
        checks=tuple(checks),
        not_checked=tuple(not_checked),
        issuer=issuer,
        verification_method=method,
        created=proof.created,
        valid_from=document.get("validFrom")
        if isinstance(document.get("validFrom"), str)
        else None,
        valid_until=(
            document.get("validUntil") if isinstance(document.get("validUntil"), str) else None
        ),
    )
