"""Check (c) for a third party, from what is public: the registry of certificates and their
signed credentials against the certificate entries of the downloaded log.

For every certificate the registry lists, its credential (as served) must hash, as RFC 8785
canonical JSON, to the ``credential_sha256`` of the ``certificate.issued`` entry at the
credential's ``ledgerIndex``; the entry, the credential and the registry must name the same
certificate and the same footprint value; and the registry's standing must be the one the
ledger gives: the latest ``certificate.status_changed`` entry's status (``issued`` if none),
and, for an issued certificate, valid or expired by the ``valid_until`` the issue recorded.
Every certificate the log says was issued must be in the registry. Footprints that are not
certified are confidential: the log holds only commitments to them, which only a holder of
the database (``tanzuji ledger verify --database``) or of the salt can check.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tanzuji.canonical import canonical_json, sha256_hex
from tanzuji.certification import CertificateStatus, standing
from tanzuji.credentials.timestamps import parse_xsd_datetime
from tanzuji.errors import TanzujiError
from tanzuji.ledger.entries import LedgerEntry
from tanzuji.ledger.events import EventKind
from tanzuji.ledger.offline import Check

__all__ = ["CertificateEntries", "check_certificates"]


@dataclass
class CertificateEntries:
    """The certificate entries of a log, gathered while it streams past (:meth:`watch`): each
    issue by its index, and the latest status change of each certificate number."""

    issued: dict[int, LedgerEntry] = field(default_factory=dict)
    latest_status: dict[str, LedgerEntry] = field(default_factory=dict)

    def watch(self, entries: Iterable[LedgerEntry]) -> Iterator[LedgerEntry]:
        """Pass ``entries`` on unchanged, keeping the certificate entries among them."""
        for entry in entries:
            if entry.kind is EventKind.CERTIFICATE_ISSUED:
                self.issued[entry.index] = entry
            elif entry.kind is EventKind.CERTIFICATE_STATUS_CHANGED:
                self.latest_status[str(entry.body.get("certificate"))] = entry
            yield entry


def _recorded_value(entry: LedgerEntry) -> Any:
    value = entry.body.get("value")
    return value.get("value") if isinstance(value, dict) else None


def _standing_problem(
    number: str,
    listed: Any,
    issue: LedgerEntry,
    recorded: CertificateEntries,
    at: datetime.datetime,
) -> str | None:
    """What is wrong with the registry's standing of a certificate, or ``None``."""
    change = recorded.latest_status.get(number)
    status_text = change.body.get("status") if change is not None else "issued"
    where = (
        f"entry {change.index}" if change is not None else f"no status change since {issue.index}"
    )
    try:
        status = CertificateStatus(str(status_text))
        until = parse_xsd_datetime(issue.body.get("valid_until"), "valid_until")
    except (ValueError, TanzujiError) as exc:
        return f"the ledger's status or validity of it cannot be read ({exc})"
    expected = standing(status, until, at).value
    if listed == expected:
        return None
    return (
        f"the registry says {listed}, the ledger says {expected} (status {status.value}, "
        f"{where}; valid until {issue.body.get('valid_until')})"
    )


def _problems(
    number: str,
    item: Mapping[str, Any],
    credential: Any,
    recorded: CertificateEntries,
    at: datetime.datetime,
) -> list[str]:
    """Every difference between a registry item, its credential and the log."""
    subject = credential.get("credentialSubject") if isinstance(credential, dict) else None
    if not isinstance(subject, dict):
        return ["the credential has no credentialSubject"]
    index = subject.get("ledgerIndex")
    issue = recorded.issued.get(index) if isinstance(index, int) else None
    if issue is None:
        return [f"the credential's ledgerIndex {index!r} is not a certificate.issued entry"]
    problems = []
    if subject.get("certificateNumber") != number:
        problems.append(f"the credential is for certificate {subject.get('certificateNumber')}")
    if issue.body.get("certificate") != number:
        problems.append(f"entry {index} records the issue of {issue.body.get('certificate')}")
    digest = sha256_hex(canonical_json(credential))
    if digest != issue.body.get("credential_sha256"):
        problems.append(
            f"the credential hashes to {digest}, entry {index} recorded "
            f"{issue.body.get('credential_sha256')}: it was changed after it was issued"
        )
    value = _recorded_value(issue)
    footprint = subject.get("carbonFootprint")
    stated = footprint.get("value") if isinstance(footprint, dict) else None
    if stated != value:
        problems.append(f"the credential states {stated} kg CO2e, entry {index} recorded {value}")
    shown = item.get("footprint")
    listed_value = shown.get("value") if isinstance(shown, dict) else None
    if listed_value != value:
        problems.append(
            f"the registry shows {listed_value} kg CO2e, entry {index} recorded {value}"
        )
    standing_problem = _standing_problem(number, item.get("standing"), issue, recorded, at)
    if standing_problem is not None:
        problems.append(standing_problem)
    return problems


def check_certificates(
    registry: Sequence[Mapping[str, Any]],
    credential_of: Callable[[str], Any],
    recorded: CertificateEntries,
    tree_size: int,
    at: datetime.datetime,
) -> list[Check]:
    """Check every registry item (with its credential from ``credential_of(number)``, which
    may raise :class:`TanzujiError`) against the certificate entries of the first
    ``tree_size`` entries, standings at ``at``: one failed check per certificate that differs,
    naming each difference, then a summary. A certificate whose number the log already
    records as issued is checked against that entry, whatever ``ledgerIndex`` its credential
    claims; only a number the log has never recorded, with a ``ledgerIndex`` at or past
    ``tree_size``, is left for a later run (and named in the summary)."""
    checks = []
    listed: set[str] = set()
    later: list[str] = []
    issues_of: dict[str, list[int]] = {}
    for position, issue in sorted(recorded.issued.items()):
        if position < tree_size:
            issues_of.setdefault(str(issue.body.get("certificate")), []).append(position)
    for item in registry:
        number = str(item.get("number"))
        listed.add(number)
        try:
            credential = credential_of(number)
        except TanzujiError as exc:
            checks.append(Check(f"certificate {number}", False, f"no credential: {exc}"))
            continue
        subject = credential.get("credentialSubject") if isinstance(credential, dict) else None
        index = subject.get("ledgerIndex") if isinstance(subject, dict) else None
        logged = issues_of.get(number, [])
        if not logged and isinstance(index, int) and index >= tree_size:
            later.append(number)  # never recorded yet: issued after the head just checked
            continue
        problems = _problems(number, item, credential, recorded, at)
        if logged and index not in logged:
            where = ", ".join(str(entry) for entry in logged)
            problems.insert(
                0, f"the log records its issue in entry {where}, the credential says {index!r}"
            )
        if problems:
            checks.append(Check(f"certificate {number}", False, "; ".join(problems)))
    for index, issue in sorted(recorded.issued.items()):
        number = str(issue.body.get("certificate"))
        if index < tree_size and number not in listed:
            checks.append(
                Check(
                    f"certificate {number}",
                    False,
                    f"issued in entry {index}, missing from the registry",
                )
            )
    failed = len(checks)
    summary = (
        f"{len(listed) - len(later)} certificates in the registry: each credential hashes to its "
        "certificate.issued entry, with the same number and footprint value, and each standing "
        "is the ledger's"
        if not failed
        else f"{failed} certificate(s) differ from the ledger"
    )
    if later:
        summary += (
            f" ({len(later)} not checked: {', '.join(later)}, whose issue the log does not "
            "record yet, issued after the checked head: run again later)"
        )
    checks.append(Check("certificates", not failed, summary))
    return checks
