"""The product carbon footprint certificate: what it says, and every way verifying it fails."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

import pytest

from tanzuji.credentials import (
    Check,
    NotChecked,
    credential_context,
    did_key,
    pcf_credential,
    verify_credential,
)
from tanzuji.credentials.multikey import public_key_multibase
from tanzuji.errors import CredentialError

from .certificates import (
    EXPIRES,
    ISSUED,
    ISSUER_KEY,
    OTHER_KEY,
    PUBLIC_URL,
    STATUS_INDEX,
    claims,
    signed,
    status_lists,
    uscc,
)

LATER = ISSUED + timedelta(days=100)


class TestTheCredential:
    def test_it_is_a_vc_2_with_the_claims_and_their_units(self) -> None:
        credential = pcf_credential(
            claims(), issuer_did=did_key(ISSUER_KEY.public_key()), issuer_name="贵州示范认证中心"
        )
        assert credential["@context"] == [
            "https://www.w3.org/ns/credentials/v2",
            f"{PUBLIC_URL}/credentials/v1",
        ]
        assert credential["type"] == ["VerifiableCredential", "ProductCarbonFootprintCertificate"]
        assert credential["id"] == f"{PUBLIC_URL}/certificates/GZ-PCF-2026-000001"
        assert credential["issuer"] == {
            "id": did_key(ISSUER_KEY.public_key()),
            "name": "贵州示范认证中心",
        }
        assert (credential["validFrom"], credential["validUntil"]) == (
            "2026-03-01T08:00:00Z",
            "2028-03-01T08:00:00Z",
        )
        subject = credential["credentialSubject"]
        assert subject["carbonFootprint"] == {
            "value": 0.92,
            "unit": "kg CO2e",
            "declaredUnit": "1 kg",
        }
        assert subject["product"] == {
            "name": "湄潭翠芽绿茶",
            "nameEn": "Meitan Cuiya green tea",
            "declaredUnit": "1 kg",
        }
        assert subject["standard"] == "GB/T 24067-2024"
        assert subject["productRule"] == {"id": "tea.green", "version": "2026.1"}
        assert subject["grade"] == {"value": 2, "benchmarkVersion": "tea.green-2026.1"}
        assert subject["certificationBody"]["uscc"] == uscc(3)
        assert subject["ledgerIndex"] == 17
        assert [entry["statusPurpose"] for entry in credential["credentialStatus"]] == [
            "revocation",
            "suspension",
        ]
        assert {entry["statusListIndex"] for entry in credential["credentialStatus"]} == {"4242"}

    def test_an_ungraded_footprint_has_no_grade(self) -> None:
        credential = pcf_credential(
            claims(grade=None, benchmark_version=None), issuer_did="did:key:z6Mk", issuer_name="x"
        )
        assert "grade" not in credential["credentialSubject"]

    def test_the_context_defines_every_term_the_subject_uses(self) -> None:
        terms = credential_context(f"{PUBLIC_URL}/credentials/v1")["@context"]
        used: set[str] = set()

        def collect(value: Any) -> None:
            if isinstance(value, dict):
                used.update(value)
                for inner in value.values():
                    collect(inner)

        collect(signed()["credentialSubject"])
        assert used - {"id", "type", "name"} <= set(terms)
        assert terms["carbonFootprint"] == f"{PUBLIC_URL}/credentials/v1#carbonFootprint"


class TestClaimsAreChecked:
    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"number": " "}, "number: must be a non-empty text"),
            ({"enterprise_uscc": "91520000MA0000001X"}, "enterprise_uscc: check character"),
            ({"verifier_uscc": "123"}, "verifier_uscc: a unified social credit code has 18"),
            ({"footprint_value": float("nan")}, "footprint_value: must be a finite number"),
            ({"footprint_value": "0.92"}, "footprint_value: must be a finite number"),
            ({"grade": 6}, "grade: must be 1 .best. to 5"),
            ({"benchmark_version": None}, "grade: a grade and the benchmark version"),
            ({"ledger_index": -1}, "ledger_index: must be a whole number"),
            ({"valid_until": ISSUED}, "valid_until: must be after valid_from"),
            ({"valid_from": ISSUED.replace(tzinfo=None)}, "valid_from: .* has no time zone"),
            ({"status_entries": ()}, "status_entries: a certificate has one revocation"),
        ],
    )
    def test_each_bad_claim_is_named(self, changes: dict[str, Any], message: str) -> None:
        with pytest.raises(CredentialError, match=message) as caught:
            claims(**changes)
        assert caught.value.field == message.split(":")[0]

    def test_the_issuer_must_be_a_did(self) -> None:
        with pytest.raises(CredentialError, match="issuer_did: 'https://x\\.cn' is not a DID"):
            pcf_credential(claims(), issuer_did="https://x.cn", issuer_name="x")


def _failed(document: dict[str, Any], **options: Any) -> list[Check]:
    report = verify_credential(document, at=options.pop("at", LATER), **options)
    return [check.name for check in report.checks if not check.passed]


class TestVerify:
    def test_a_fresh_certificate_is_valid_with_every_check_said(self) -> None:
        report = verify_credential(
            signed(),
            public_key=ISSUER_KEY.public_key(),
            at=LATER,
            status_lists=status_lists(),
        )
        assert report.valid, report.checks
        assert [check.name for check in report.checks] == list(Check)
        assert report.not_checked == ()
        assert report.complete
        assert report.issuer == did_key(ISSUER_KEY.public_key())
        assert report.created == "2026-03-01T08:00:00Z"
        assert "not revoked: bit 4242" in report.checks[-2].detail

    def test_without_status_lists_the_status_is_said_to_be_unchecked(self) -> None:
        report = verify_credential(signed(), at=LATER)
        assert report.valid
        assert report.check(Check.REVOCATION) is None
        assert report.check(Check.PUBLIC_KEY) is None
        assert not report.complete
        assert report.not_checked == (
            NotChecked(
                Check.PUBLIC_KEY,
                "no issuer key given: the key came from the credential itself, which proves "
                "only that the document is intact",
            ),
            NotChecked(
                Check.REVOCATION,
                f"the status list {PUBLIC_URL}/credentials/status/revocation was not given",
            ),
            NotChecked(
                Check.SUSPENSION,
                f"the status list {PUBLIC_URL}/credentials/status/suspension was not given",
            ),
        )

    @pytest.mark.parametrize(
        "path",
        [
            ("credentialSubject", "carbonFootprint", "value"),
            ("credentialSubject", "carbonFootprint", "unit"),
            ("credentialSubject", "carbonFootprint", "declaredUnit"),
            ("credentialSubject", "product", "name"),
            ("credentialSubject", "product", "nameEn"),
            ("credentialSubject", "certificateNumber"),
            ("credentialSubject", "systemBoundary"),
            ("credentialSubject", "standard"),
            ("credentialSubject", "productRule", "version"),
            ("credentialSubject", "factorSetVersion"),
            ("credentialSubject", "gwpVersion"),
            ("credentialSubject", "manufacturer", "name"),
            ("credentialSubject", "manufacturer", "uscc"),
            ("credentialSubject", "verifier", "name"),
            ("credentialSubject", "certificationBody", "name"),
            ("credentialSubject", "grade", "value"),
            ("credentialSubject", "grade", "benchmarkVersion"),
            ("credentialSubject", "ledgerIndex"),
            ("validFrom",),
            ("validUntil",),
            ("id",),
            ("issuer", "name"),
            ("credentialStatus", 0, "statusListIndex"),
            ("proof", "created"),
            ("proof", "verificationMethod"),
            ("proof", "proofValue"),
        ],
        ids=lambda path: ".".join(map(str, path)),
    )
    def test_any_changed_field_fails_the_proof(self, path: tuple[Any, ...]) -> None:
        document = copy.deepcopy(signed())
        target = document
        for name in path[:-1]:
            target = target[name]
        value = target[path[-1]]
        target[path[-1]] = value + 1 if isinstance(value, int | float) else _other(value)
        assert Check.PROOF in _failed(document)

    def test_a_changed_issuer_fails_the_proof_and_the_issuer(self) -> None:
        document = signed()
        document["issuer"] = {**document["issuer"], "id": did_key(OTHER_KEY.public_key())}
        assert _failed(document) == [Check.PROOF, Check.ISSUER]

    def test_a_wrong_public_key_fails(self) -> None:
        report = verify_credential(signed(), public_key=OTHER_KEY.public_key(), at=LATER)
        assert [check.name for check in report.checks if not check.passed] == [
            Check.PROOF,
            Check.PUBLIC_KEY,
        ]
        named = public_key_multibase(ISSUER_KEY.public_key())
        assert f"the proof names {named}, not the key you gave" in (
            report.check(Check.PUBLIC_KEY).detail  # type: ignore[union-attr]
        )

    def test_a_credential_signed_by_another_key_in_the_issuers_name(self) -> None:
        forged = signed(OTHER_KEY)
        forged["issuer"]["id"] = did_key(ISSUER_KEY.public_key())
        assert Check.PUBLIC_KEY in _failed(forged, public_key=ISSUER_KEY.public_key())

    def test_it_expires_at_valid_until(self) -> None:
        assert _failed(signed(), at=EXPIRES - timedelta(seconds=1)) == []
        assert _failed(signed(), at=EXPIRES) == [Check.VALID_UNTIL]
        report = verify_credential(signed(), at=EXPIRES + timedelta(days=1))
        assert "expired at 2028-03-02T08:00:00Z" in report.check(Check.VALID_UNTIL).detail  # type: ignore[union-attr]

    def test_it_is_not_valid_before_valid_from(self) -> None:
        assert _failed(signed(), at=ISSUED - timedelta(seconds=1)) == [Check.VALID_FROM]

    def test_a_revoked_certificate(self) -> None:
        lists = status_lists(revoked=True)
        report = verify_credential(signed(), at=LATER, status_lists=lists)
        assert _failed(signed(), status_lists=lists) == [Check.REVOCATION]
        assert report.check(Check.REVOCATION).detail.startswith(  # type: ignore[union-attr]
            f"revoked: bit {STATUS_INDEX} of {PUBLIC_URL}/credentials/status/revocation"
        )

    def test_a_status_index_of_unicode_digits_fails_the_status_without_raising(self) -> None:
        changed = signed()
        for entry in changed["credentialStatus"]:
            entry["statusListIndex"] = "²"  # str.isdigit() says yes, int() says no
        report = verify_credential(changed, at=LATER, status_lists=status_lists())
        assert _failed(changed, status_lists=status_lists()) == [
            Check.PROOF,
            Check.REVOCATION,
            Check.SUSPENSION,
        ]
        assert "'²' is not a base-10 whole number" in (
            report.check(Check.REVOCATION).detail  # type: ignore[union-attr]
        )

    def test_a_suspended_certificate(self) -> None:
        assert _failed(signed(), status_lists=status_lists(suspended=True)) == [Check.SUSPENSION]

    def test_a_status_list_signed_by_another_key_is_not_believed(self) -> None:
        lists = status_lists(key=OTHER_KEY)
        assert _failed(signed(), status_lists=lists) == [Check.REVOCATION, Check.SUSPENSION]

    def test_a_tampered_status_list_is_not_believed(self) -> None:
        lists = status_lists(revoked=True)
        revocation = lists[f"{PUBLIC_URL}/credentials/status/revocation"]
        revocation["credentialSubject"]["encodedList"] = status_lists()[
            f"{PUBLIC_URL}/credentials/status/revocation"
        ]["credentialSubject"]["encodedList"]
        report = verify_credential(signed(), at=LATER, status_lists=lists)
        assert "is not signed by the credential's key" in report.check(Check.REVOCATION).detail  # type: ignore[union-attr]

    def test_not_a_credential_at_all(self) -> None:
        report = verify_credential({"type": "VerifiableCredential"}, at=LATER)
        assert not report.valid
        assert report.checks[0].detail == (
            "@context is missing; credentialSubject is missing; proof is missing; "
            "issuer is missing (a URL, or an object with an id)"
        )

    def test_a_status_entry_that_is_not_an_object(self) -> None:
        report = verify_credential({**signed(), "credentialStatus": ["revoked?"]}, at=LATER)
        assert report.checks[0].detail == "a credentialStatus entry is not an object"

    def test_the_moment_needs_a_time_zone(self) -> None:
        with pytest.raises(CredentialError, match=r"at: .* has no time zone"):
            verify_credential(signed(), at=LATER.replace(tzinfo=None))


def _other(value: Any) -> Any:
    if isinstance(value, str):
        # keep date-times and proof values well-formed, so that only the signature can object
        if value.endswith("Z"):
            return value.replace("08:00:00Z", "08:00:01Z")
        if value.startswith("z") and len(value) > 80:
            return value[:-2] + ("1" if value[-2] != "1" else "2") + value[-1]
        return value + "x"
    raise AssertionError(f"no change for {value!r}")
