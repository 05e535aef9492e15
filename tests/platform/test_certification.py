"""Certification: the enterprise applies for its verified footprint, the certification body
certifies (a signed credential, recorded in the ledger) or refuses, surveillance suspends,
reinstates and withdraws; every refusal names its field; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from tanzuji.access import OrganizationKind, Role
from tanzuji.canonical import canonical_json, sha256_hex
from tanzuji.certification import CertificateAction, CertificateStatus, Standing
from tanzuji.credentials.pcf import Check, verify_credential
from tanzuji.credentials.status_list import StatusList
from tanzuji.errors import (
    Conflict,
    IllegalTransition,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
)
from tanzuji.ledger.events import EventKind
from tanzuji.services.certification import CertificationService
from tanzuji.services.context import Context
from tanzuji.services.ledger import LedgerService
from tanzuji.services.submissions import SubmissionService
from tanzuji.store.models import AuditEvent, Certificate, Revision, Submission
from tests.platform.factories import NOW, World, uscc
from tests.platform.test_sharing import verified as verified_product
from tests.platform.test_submissions import tea_data

PUBLIC_URL = "https://pcf.example.cn"
ISSUER_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
"""A fixed issuer key, so that the signatures of a test are the same on every run."""


def verified(world: World, code: str = "gz-green-tea") -> Submission:
    """A tea submission of the tea enterprise, calculated, submitted and accepted."""
    return verified_product(world, world.product("tea", code, "tea-green"))


def certification(world: World, who: str | None) -> CertificationService:
    context = world.context(who) if who else Context(None, world.clock)
    return CertificationService(
        world.session, context, issuer_key=ISSUER_KEY, public_url=PUBLIC_URL
    )


@dataclass
class Issued:
    submission: Submission
    certificate: Certificate


@pytest.fixture
def submission(world: World) -> Submission:
    return verified(world)


def apply(world: World, submission: Submission) -> Certificate:
    """The tea enterprise applies to the certification body for ``submission``."""
    return certification(world, "tea_admin").apply(submission.id, world.organizations["body"].id)


def issue(world: World, submission: Submission) -> Issued:
    """The tea enterprise applies to the certification body, which certifies."""
    applied = apply(world, submission)
    certificate = certification(world, "certifier").decide(
        applied.id, CertificateAction.CERTIFY, ""
    )
    return Issued(submission, certificate)


@pytest.fixture
def issued(world: World, submission: Submission) -> Issued:
    return issue(world, submission)


class TestApplying:
    def test_the_enterprise_applies_for_its_verified_footprint(
        self, world: World, submission: Submission
    ) -> None:
        applied = apply(world, submission)
        assert applied.status is CertificateStatus.APPLIED
        assert applied.number is None
        assert applied.credential is None
        footprint = SubmissionService(world.session, world.context("tea_user")).latest_footprint(
            submission
        )
        assert footprint is not None
        assert applied.footprint_id == footprint.id
        assert certification(world, "certifier").applications() == [applied]
        audit = world.session.scalars(
            select(AuditEvent.action).where(AuditEvent.subject_id == str(applied.id))
        ).all()
        assert audit == ["certificate.apply"]

    def test_only_a_verified_submission(self, world: World) -> None:
        product = world.product("tea", "draft-tea", "tea-green")
        submissions = SubmissionService(world.session, world.context("tea_user"))
        draft = submissions.create(product.id, tea_data())
        submissions.calculate(draft.id)
        with pytest.raises(Conflict, match=r"only a verified submission.*calculated") as caught:
            certification(world, "tea_admin").apply(draft.id, world.organizations["body"].id)
        assert caught.value.field == "submission_id"

    def test_only_to_a_certification_body(self, world: World, submission: Submission) -> None:
        with pytest.raises(NotFound, match="no certification body") as caught:
            certification(world, "tea_admin").apply(
                submission.id, world.organizations["verifier"].id
            )
        assert caught.value.field == "body_id"

    def test_one_open_application_per_footprint(self, world: World, submission: Submission) -> None:
        body = world.organizations["body"].id
        certification(world, "tea_admin").apply(submission.id, body)
        with pytest.raises(Conflict, match="open application or certificate already"):
            certification(world, "tea_admin").apply(submission.id, body)

    def test_after_a_refusal_the_enterprise_may_apply_again(
        self, world: World, submission: Submission
    ) -> None:
        body = world.organizations["body"].id
        first = certification(world, "tea_admin").apply(submission.id, body)
        certification(world, "certifier").decide(first.id, CertificateAction.REFUSE, "缺少证据")
        second = certification(world, "tea_admin").apply(submission.id, body)
        assert second.status is CertificateStatus.APPLIED

    def test_only_the_enterprise_admin_of_the_submission(
        self, world: World, submission: Submission
    ) -> None:
        body = world.organizations["body"].id
        with pytest.raises(PermissionDenied, match="certificate:apply"):
            certification(world, "tea_user").apply(submission.id, body)
        with pytest.raises(NotFound, match="no submission"):
            certification(world, "coal_admin").apply(submission.id, body)
        with pytest.raises(NotAuthenticated):
            certification(world, None).apply(submission.id, body)


class TestDeciding:
    def test_certifying_issues_a_numbered_signed_certificate_in_the_ledger(
        self, world: World, issued: Issued
    ) -> None:
        certificate = issued.certificate
        assert certificate.status is CertificateStatus.ISSUED
        assert certificate.number == "GZ-PCF-2026-000001"
        assert certificate.valid_from == NOW
        assert certificate.valid_until == datetime.datetime(2028, 3, 1, 9, tzinfo=datetime.UTC)
        assert certificate.status_list_index == 0
        assert (certificate.grade, certificate.benchmark_version) == (None, None)  # no benchmark

        credential = json.loads(certificate.credential or "")
        assert certificate.credential_sha256 == sha256_hex(canonical_json(credential))
        assert credential["id"] == f"{PUBLIC_URL}/v/GZ-PCF-2026-000001"
        assert credential["issuer"]["name"] == "示例认证中心"
        subject = credential["credentialSubject"]
        assert subject["certificateNumber"] == certificate.number
        assert subject["ledgerIndex"] == certificate.ledger_index
        assert subject["verifier"]["name"] == "示例核查机构"
        assert subject["productRule"] == {"id": "tea-green", "version": "2026.1"}

        entry = LedgerService(world.session, world.context("certifier")).entry(
            certificate.ledger_index or 0
        )
        assert entry.kind is EventKind.CERTIFICATE_ISSUED
        assert entry.body["certificate"] == certificate.number
        assert entry.body["credential_sha256"] == certificate.credential_sha256
        assert entry.body["value"]["unit"].startswith("kg CO2e per ")
        assert entry.body["status_list_index"] == 0
        assert (entry.body["valid_from"], entry.body["valid_until"]) == (
            credential["validFrom"],
            credential["validUntil"],
        )
        report = verify_credential(credential, public_key=ISSUER_KEY.public_key(), at=NOW)
        assert report.valid, report.checks

    def test_the_issue_entry_does_not_link_to_the_submission_s_entries(
        self, world: World, issued: Issued
    ) -> None:
        """The ids of the footprint and submission would lead to the revisions and the
        verification decisions of the same submission: the entry commits to the footprint
        instead, under a name of its own, with the salt of the footprint's revision."""
        certificate = issued.certificate
        ledger = LedgerService(world.session, world.context("certifier"))
        entry = ledger.entry(certificate.ledger_index or 0)
        text = json.dumps(entry.body)
        assert str(certificate.footprint_id) not in text
        assert str(certificate.submission_id) not in text
        salt = world.session.scalars(
            select(Revision.salt).where(
                Revision.submission_id == issued.submission.id,
                Revision.number == issued.submission.revision,
            )
        ).one()
        committed = {"certified_footprint": str(certificate.footprint_id), "salt": salt}
        assert entry.body["footprint_commitment"] == sha256_hex(canonical_json(committed))
        earlier = {
            value
            for earlier in ledger.entries(0, certificate.ledger_index or 0)
            for value in earlier.body.values()
            if isinstance(value, str)
        }
        assert entry.body["footprint_commitment"] not in earlier

    def test_the_credential_names_its_entry_though_others_append_meanwhile(
        self, world: World, submission: Submission
    ) -> None:
        """Another service appending between the application and the decision moves the
        index the issue takes: the credential names the index the entry really got."""
        applied = apply(world, submission)
        ledger = LedgerService(world.session, world.context("certifier"))
        ledger.record(EventKind.FACTOR_SET_PUBLISHED, {"version": "meanwhile"})
        expected = ledger.next_index()
        decided = certification(world, "certifier").decide(
            applied.id, CertificateAction.CERTIFY, ""
        )
        assert decided.ledger_index == expected
        credential = json.loads(decided.credential or "")
        assert credential["credentialSubject"]["ledgerIndex"] == expected
        report = verify_credential(credential, public_key=ISSUER_KEY.public_key(), at=NOW)
        assert report.valid, report.checks

    def test_numbers_count_up_within_a_year_and_restart_the_next(self, world: World) -> None:
        body = world.organizations["body"].id
        numbers = []
        for code, year in (("a", 2026), ("b", 2026), ("c", 2027)):
            world.clock.now = datetime.datetime(year, 3, 1, 9, tzinfo=datetime.UTC)
            applied = certification(world, "tea_admin").apply(verified(world, code).id, body)
            decided = certification(world, "certifier").decide(
                applied.id, CertificateAction.CERTIFY, ""
            )
            numbers.append((decided.number, decided.status_list_index))
        assert numbers == [
            ("GZ-PCF-2026-000001", 0),
            ("GZ-PCF-2026-000002", 1),
            ("GZ-PCF-2027-000001", 2),
        ]

    def test_the_year_of_the_number_is_china_s(self, world: World, submission: Submission) -> None:
        """17:30 UTC on 31 December 2026 is 01:30 on 1 January 2027 in Guizhou."""
        world.clock.now = datetime.datetime(2026, 12, 31, 17, 30, tzinfo=datetime.UTC)
        decided = certification(world, "certifier").decide(
            apply(world, submission).id, CertificateAction.CERTIFY, ""
        )
        assert decided.number == "GZ-PCF-2027-000001"

    def test_refusing_needs_a_reason(self, world: World, submission: Submission) -> None:
        applied = apply(world, submission)
        with pytest.raises(InvalidInput, match="reason") as caught:
            certification(world, "certifier").decide(applied.id, CertificateAction.REFUSE, " ")
        assert caught.value.field == "reason"
        refused = certification(world, "certifier").decide(
            applied.id, CertificateAction.REFUSE, "现场检查发现计量器具未检定"
        )
        assert refused.status is CertificateStatus.REFUSED
        assert refused.number is None
        assert refused.decision_reason.startswith("现场检查")

    def test_a_decision_is_made_once(self, world: World, issued: Issued) -> None:
        with pytest.raises(IllegalTransition, match="issued cannot be given 'certify'"):
            certification(world, "certifier").decide(
                issued.certificate.id, CertificateAction.CERTIFY, ""
            )

    def test_a_decision_is_certify_or_refuse(self, world: World, submission: Submission) -> None:
        applied = apply(world, submission)
        with pytest.raises(InvalidInput, match="decide certify or refuse") as caught:
            certification(world, "certifier").decide(applied.id, CertificateAction.SUSPEND, "原因")
        assert caught.value.field == "action"

    def test_only_the_body_applied_to_decides(self, world: World, submission: Submission) -> None:
        applied = apply(world, submission)
        with pytest.raises(PermissionDenied, match="certificate:decide"):
            certification(world, "auditor").decide(applied.id, CertificateAction.CERTIFY, "")
        world.organization(
            "body2", OrganizationKind.CERTIFICATION_BODY, "另一认证机构", uscc=uscc(7)
        )
        world.member("certifier2", "body2", Role.CERTIFIER)
        with pytest.raises(NotFound, match="no certificate"):
            certification(world, "certifier2").decide(applied.id, CertificateAction.CERTIFY, "")


class TestSurveillance:
    def test_suspend_reinstate_withdraw(self, world: World, issued: Issued) -> None:
        certifier = certification(world, "certifier")
        number = issued.certificate.number or ""
        world.clock.advance(days=30)
        suspended = certifier.review(issued.certificate.id, CertificateAction.SUSPEND, "监督抽查")
        assert issued.certificate.status is CertificateStatus.SUSPENDED
        assert certification(world, None).certificate(number).standing is Standing.SUSPENDED
        certifier.review(issued.certificate.id, CertificateAction.REINSTATE, "整改完成")
        assert certification(world, None).certificate(number).standing is Standing.VALID
        world.clock.advance(days=30)
        certifier.review(issued.certificate.id, CertificateAction.WITHDRAW, "产品停产")
        view = certification(world, None).certificate(number)
        assert view.standing is Standing.WITHDRAWN
        assert view.status_changed_at == NOW + datetime.timedelta(days=60)

        entry = LedgerService(world.session, world.context("certifier")).entry(
            suspended.ledger_index
        )
        assert entry.kind is EventKind.CERTIFICATE_STATUS_CHANGED
        assert len(suspended.salt) == 32
        assert entry.body == {
            "certificate": number,
            "action": "suspend",
            "status": "suspended",
            # {"reason":"监督抽查","salt":"<the review's salt>"}: the text alone confirms nothing
            "reason_commitment": sha256_hex(
                canonical_json({"salt": suspended.salt, "reason": "监督抽查"})
            ),
        }
        assert entry.body["reason_commitment"] != sha256_hex("监督抽查".encode())
        reviews = certification(world, "tea_admin").reviews(issued.certificate.id)
        assert [r.action for r in reviews] == [
            CertificateAction.SUSPEND,
            CertificateAction.REINSTATE,
            CertificateAction.WITHDRAW,
        ]
        with pytest.raises(IllegalTransition, match="withdrawn cannot be given 'reinstate'"):
            certifier.review(issued.certificate.id, CertificateAction.REINSTATE, "再议")

    def test_a_review_needs_a_reason_and_a_surveillance_action(
        self, world: World, issued: Issued
    ) -> None:
        certifier = certification(world, "certifier")
        with pytest.raises(InvalidInput, match="give the reason") as caught:
            certifier.review(issued.certificate.id, CertificateAction.SUSPEND, "")
        assert caught.value.field == "reason"
        with pytest.raises(InvalidInput, match="suspends, reinstates or withdraws") as caught:
            certifier.review(issued.certificate.id, CertificateAction.CERTIFY, "理由")
        assert caught.value.field == "action"
        with pytest.raises(PermissionDenied):
            certification(world, "officer").review(
                issued.certificate.id, CertificateAction.WITHDRAW, "理由"
            )

    def test_the_certificate_expires_after_two_years(self, world: World, issued: Issued) -> None:
        number = issued.certificate.number or ""
        world.clock.now = datetime.datetime(2028, 3, 1, 8, 59, 59, tzinfo=datetime.UTC)
        assert certification(world, None).certificate(number).standing is Standing.VALID
        world.clock.advance(seconds=1)
        assert certification(world, None).certificate(number).standing is Standing.EXPIRED


class TestReading:
    def test_who_sees_which(self, world: World, issued: Issued) -> None:
        mine = [issued.certificate]
        assert certification(world, "tea_admin").certificates() == mine
        assert certification(world, "tea_user").certificates() == mine
        assert certification(world, "certifier").certificates() == mine
        assert certification(world, "officer").certificates() == mine
        assert certification(world, "coal_admin").certificates() == []
        with pytest.raises(PermissionDenied):
            certification(world, "banker").certificates()
        with pytest.raises(NotFound):
            certification(world, "coal_admin").get(issued.certificate.id)

    def test_every_signed_in_read_checks_its_permission(self, world: World, issued: Issued) -> None:
        certificate_id = issued.certificate.id
        with pytest.raises(PermissionDenied, match="certificate:decide"):
            certification(world, "tea_admin").applications()
        with pytest.raises(PermissionDenied, match="certificate:apply"):
            certification(world, "certifier").bodies()
        for read in ("certificates", "applications", "bodies"):
            with pytest.raises(NotAuthenticated):
                getattr(certification(world, None), read)()
        for read_one in ("get", "subject", "reviews"):
            with pytest.raises(NotAuthenticated):
                getattr(certification(world, None), read_one)(certificate_id)
            with pytest.raises(NotFound):
                getattr(certification(world, "coal_admin"), read_one)(certificate_id)

    def test_the_public_read_model(self, world: World, issued: Issued) -> None:
        view = certification(world, None).certificate(issued.certificate.number or "")
        assert (view.product_code, view.rule_id, view.boundary) == (
            "gz-green-tea",
            "tea-green",
            "cradle-to-gate",
        )
        assert view.unit == f"kg CO2e per {view.declared_unit}"
        assert view.enterprise.name("zh") == "示例茶业"
        assert view.verifier is not None
        assert view.verifier.name("en") == "示例核查机构"
        assert view.body.name_zh == "示例认证中心"
        assert view.credential["credentialSubject"]["carbonFootprint"]["value"] == (
            view.value_kgco2e
        )
        assert view.ledger_index == issued.certificate.ledger_index
        with pytest.raises(NotFound, match="no certificate numbered GZ-PCF-2026-999999"):
            certification(world, None).certificate("GZ-PCF-2026-999999")


class TestStatusLists:
    def _bit(self, world: World, purpose: str, index: int) -> bool:
        listed = certification(world, None).status_list(purpose)
        encoded = listed["credentialSubject"]["encodedList"]
        return StatusList.from_encoded(encoded).get(index)

    def test_suspension_and_revocation_round_trip(self, world: World, issued: Issued) -> None:
        certificate = issued.certificate
        credential = json.loads(certificate.credential or "")
        key = ISSUER_KEY.public_key()

        def report_at(moment: datetime.datetime) -> dict[Check, bool]:
            lists = {
                f"{PUBLIC_URL}/credentials/status/{purpose}": certification(
                    world, None
                ).status_list(purpose)
                for purpose in ("revocation", "suspension")
            }
            report = verify_credential(credential, public_key=key, at=moment, status_lists=lists)
            return {check.name: check.passed for check in report.checks}

        assert all(report_at(world.clock.now).values())
        world.clock.advance(days=1)
        certification(world, "certifier").review(certificate.id, CertificateAction.SUSPEND, "抽查")
        assert self._bit(world, "suspension", 0)
        assert not self._bit(world, "revocation", 0)
        checks = report_at(world.clock.now)
        assert not checks[Check.SUSPENSION]
        assert checks[Check.REVOCATION]
        assert checks[Check.PROOF]
        world.clock.advance(days=1)
        certification(world, "certifier").review(certificate.id, CertificateAction.WITHDRAW, "停产")
        assert self._bit(world, "revocation", 0)
        assert not self._bit(world, "suspension", 0)
        checks = report_at(world.clock.now)
        assert not checks[Check.REVOCATION]
        assert checks[Check.SUSPENSION]

    def test_the_list_is_the_same_until_a_status_changes(
        self, world: World, issued: Issued
    ) -> None:
        first = certification(world, None).status_list("revocation")
        world.clock.advance(hours=5)
        assert certification(world, None).status_list("revocation") == first
        assert first["validFrom"] == "2026-03-01T09:00:00Z"
        certification(world, "certifier").review(
            issued.certificate.id, CertificateAction.WITHDRAW, "停产"
        )
        assert certification(world, None).status_list("revocation")["validFrom"] == (
            "2026-03-01T14:00:00Z"
        )

    def test_no_list_before_the_first_certificate_and_no_other_purpose(self, world: World) -> None:
        with pytest.raises(NotFound, match="no certificate has been issued yet"):
            certification(world, None).status_list("revocation")
        with pytest.raises(NotFound, match="no status list 'refresh'") as caught:
            certification(world, None).status_list("refresh")
        assert caught.value.field == "purpose"
