"""The public checks of a certificate (on SQLite and PostgreSQL): the ledger entry, the
credential's digest, the inclusion proof in the signed tree head, the credential's proof and
status; and the label, only while the certificate is valid."""

from __future__ import annotations

import datetime
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import update

from tanzuji.certification import CertificateAction, Standing
from tanzuji.credentials import Check
from tanzuji.errors import Gone, NotFound
from tanzuji.model.stages import Boundary
from tanzuji.services.context import Context
from tanzuji.services.keys import DeploymentKeys
from tanzuji.services.ledger import LedgerService
from tanzuji.services.public_certificates import LedgerProblemKind, PublicCertificateService
from tanzuji.store.models import Certificate
from tests.platform.factories import World
from tests.platform.test_certification import (
    ISSUER_KEY,
    PUBLIC_URL,
    apply,
    certification,
    verified,
)
from tests.platform.test_certification import issue as issue_to_tea

LOG_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32, 64)))
KEYS = DeploymentKeys(log=LOG_KEY, issuer=ISSUER_KEY)


def issue(world: World, code: str = "gz-green-tea") -> Certificate:
    """A certified tea footprint, its issue in a signed tree head."""
    certificate = issue_to_tea(world, verified(world, code)).certificate
    sign(world)
    return certificate


def sign(world: World) -> None:
    LedgerService(world.session, Context(None, world.clock)).sign_tree_head(LOG_KEY)


def public(world: World) -> PublicCertificateService:
    return PublicCertificateService(
        world.session, Context(None, world.clock), keys=KEYS, public_url=PUBLIC_URL
    )


@pytest.fixture
def certificate(world: World) -> Certificate:
    return issue(world)


class TestVerification:
    def test_a_fresh_certificate_passes_every_check(
        self, world: World, certificate: Certificate
    ) -> None:
        assert certificate.number is not None
        found = public(world).verification(certificate.number)
        assert found.view.standing is Standing.VALID
        assert found.verification_url == f"{PUBLIC_URL}/v/{certificate.number}"
        ledger = found.ledger
        assert ledger.entry_index == certificate.ledger_index
        assert ledger.entry_is_the_issue
        assert ledger.recorded_sha256 == ledger.stored_sha256 == certificate.credential_sha256
        assert ledger.tree_head is not None
        assert ledger.tree_head.tree_size > certificate.ledger_index
        assert ledger.tree_head_signed
        assert ledger.included
        assert ledger.proof_length is not None
        assert ledger.problems == ()
        assert ledger.passed
        assert found.credential.valid, found.credential.checks

    def test_a_withdrawn_certificate_fails_its_revocation_check(
        self, world: World, certificate: Certificate
    ) -> None:
        world.clock.advance(days=30)
        certification(world, "certifier").review(
            certificate.id, CertificateAction.WITHDRAW, "the plant closed"
        )
        sign(world)
        assert certificate.number is not None
        found = public(world).verification(certificate.number)
        assert found.view.standing is Standing.WITHDRAWN
        assert found.ledger.passed  # the issue is still in the ledger, unchanged
        failed = [check.name for check in found.credential.checks if not check.passed]
        assert failed == [Check.REVOCATION]

    def test_an_entry_not_yet_under_a_signed_head_is_said_so(self, world: World) -> None:
        sign(world)  # a head before the certificate
        submission = verified(world)
        applied = apply(world, submission)
        issued = certification(world, "certifier").decide(applied.id, CertificateAction.CERTIFY, "")
        assert issued.number is not None
        ledger = public(world).verification(issued.number).ledger
        assert not ledger.included
        assert not ledger.passed
        assert [problem.kind for problem in ledger.problems] == [LedgerProblemKind.NOT_COVERED]
        assert "does not cover entry" in ledger.problems[0].detail

    def test_a_credential_changed_in_the_database_is_caught(
        self, world: World, certificate: Certificate
    ) -> None:
        credential = json.loads(certificate.credential or "{}")
        credential["validUntil"] = "2099-12-31T00:00:00Z"  # a longer validity, say
        changed = json.dumps(credential)
        world.session.execute(
            update(Certificate).where(Certificate.id == certificate.id).values(credential=changed)
        )
        world.session.expire_all()
        assert certificate.number is not None
        found = public(world).verification(certificate.number)
        assert not found.ledger.digest_matches
        assert found.ledger.problems[0].kind is LedgerProblemKind.DIGEST_DIFFERS
        assert "the ledger recorded" in found.ledger.problems[0].detail
        failed = [check.name for check in found.credential.checks if not check.passed]
        assert Check.PROOF in failed

    def test_an_unknown_number(self, world: World) -> None:
        with pytest.raises(NotFound, match="no certificate numbered GZ-PCF-1999-000001"):
            public(world).verification("GZ-PCF-1999-000001")


class TestLabel:
    def test_a_valid_certificate_has_its_label(
        self, world: World, certificate: Certificate
    ) -> None:
        assert certificate.number is not None
        label = public(world).label(certificate.number)
        assert label.certificate_number == certificate.number
        assert label.verification_url == f"{PUBLIC_URL}/v/{certificate.number}"
        assert label.boundary is Boundary.CRADLE_TO_GATE
        assert label.unit == "kg CO2e"
        assert label.valid_until == certificate.valid_until

    @pytest.mark.parametrize(
        ("action", "standing"),
        [(CertificateAction.SUSPEND, "suspended"), (CertificateAction.WITHDRAW, "withdrawn")],
    )
    def test_no_label_once_suspended_or_withdrawn(
        self, world: World, certificate: Certificate, action: CertificateAction, standing: str
    ) -> None:
        certification(world, "certifier").review(certificate.id, action, "surveillance")
        assert certificate.number is not None
        with pytest.raises(Gone, match=f"is {standing}: its label may no longer") as caught:
            public(world).label(certificate.number)
        assert caught.value.field == "number"

    def test_no_label_once_expired(self, world: World, certificate: Certificate) -> None:
        world.clock.advance(days=2 * 366)
        assert certificate.number is not None
        with pytest.raises(Gone, match="is expired"):
            public(world).label(certificate.number)


def test_the_clock_of_the_checks_is_the_context_s(world: World, certificate: Certificate) -> None:
    assert certificate.number is not None
    found = public(world).verification(certificate.number)
    assert found.view.checked_at == world.clock.now
    assert isinstance(found.view.checked_at, datetime.datetime)
