"""Check (c) from what is public, on a made-up log: the registry and the credentials against
the certificate entries (the CLI tests run it against a served deployment)."""

from __future__ import annotations

import datetime
from typing import Any

from tanzuji.canonical import canonical_json, sha256_hex
from tanzuji.errors import TanzujiError
from tanzuji.ledger import EventKind, LedgerEntry
from tanzuji.ledger.registry import CertificateEntries, check_certificates

AT = datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC)
NUMBER = "GZ-PCF-2026-000001"


def credential(index: int, value: float = 0.92, number: str = NUMBER) -> dict[str, Any]:
    return {
        "credentialSubject": {
            "certificateNumber": number,
            "carbonFootprint": {"value": value, "unit": "kg CO2e"},
            "ledgerIndex": index,
        }
    }


def recorded(*extra: LedgerEntry) -> CertificateEntries:
    issue = LedgerEntry(
        1,
        EventKind.CERTIFICATE_ISSUED,
        AT,
        {
            "certificate": NUMBER,
            "value": {"value": 0.92, "unit": "kg CO2e per 1 kg"},
            "valid_until": "2028-03-01T09:00:00Z",
            "credential_sha256": sha256_hex(canonical_json(credential(1))),
        },
    )
    entries = CertificateEntries()
    list(entries.watch([LedgerEntry(0, EventKind.FACTOR_SET_PUBLISHED, AT, {}), issue, *extra]))
    return entries


def item(standing: str = "valid", value: float = 0.92, number: str = NUMBER) -> dict[str, Any]:
    return {"number": number, "standing": standing, "footprint": {"value": value}}


def test_a_matching_certificate_passes() -> None:
    (check,) = check_certificates([item()], lambda _: credential(1), recorded(), 3, AT)
    assert check.passed, check.detail
    assert check.detail.startswith("1 certificates in the registry: each credential hashes")


def test_expiry_is_by_the_recorded_date_and_withdrawal_by_the_latest_entry() -> None:
    later = AT.replace(year=2029)
    (check,) = check_certificates([item("expired")], lambda _: credential(1), recorded(), 3, later)
    assert check.passed, check.detail
    withdrawn = LedgerEntry(
        2, EventKind.CERTIFICATE_STATUS_CHANGED, AT, {"certificate": NUMBER, "status": "withdrawn"}
    )
    found = check_certificates([item()], lambda _: credential(1), recorded(withdrawn), 3, AT)
    assert found[0].detail == (
        "the registry says valid, the ledger says withdrawn (status withdrawn, entry 2; valid "
        "until 2028-03-01T09:00:00Z)"
    )


def test_a_missing_certificate_a_missing_credential_and_a_later_one_are_told() -> None:
    (missing, summary) = check_certificates([], lambda _: credential(1), recorded(), 3, AT)
    assert missing.detail == "issued in entry 1, missing from the registry"
    assert not summary.passed

    def gone(_: str) -> Any:
        raise TanzujiError("404")

    (unreadable, _) = check_certificates([item()], gone, recorded(), 3, AT)
    assert unreadable.detail == "no credential: 404"
    newer = "GZ-PCF-2026-000002"
    (later,) = check_certificates(
        [item(), item(number=newer)],
        lambda number: credential(1) if number == NUMBER else credential(7, number=newer),
        recorded(),
        3,
        AT,
    )
    assert later.passed
    assert later.detail == (
        "1 certificates in the registry: each credential hashes to its certificate.issued "
        "entry, with the same number and footprint value, and each standing is the ledger's "
        "(1 not checked: GZ-PCF-2026-000002, whose issue the log does not record yet, issued "
        "after the checked head: run again later)"
    )


def test_a_logged_certificate_resigned_with_a_later_index_is_not_deferred() -> None:
    """The operator holds the issuer key: it could re-sign a changed credential pointing past
    the head. The log already records the issue of that number, so it is checked."""
    changed = credential(2**53, value=0.5)
    (forged, summary) = check_certificates([item(value=0.5)], lambda _: changed, recorded(), 3, AT)
    assert not forged.passed
    assert not summary.passed
    assert forged.detail.startswith(
        "the log records its issue in entry 1, the credential says 9007199254740992; "
        "the credential's ledgerIndex 9007199254740992 is not a certificate.issued entry"
    )


def test_a_credential_pointing_at_another_entry_is_named() -> None:
    (wrong, _) = check_certificates([item()], lambda _: credential(0), recorded(), 3, AT)
    assert wrong.detail == (
        "the log records its issue in entry 1, the credential says 0; "
        "the credential's ledgerIndex 0 is not a certificate.issued entry"
    )
