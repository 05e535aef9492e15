"""The ledger audit of certificates: a credential or a status changed directly in the
database, behind tanzuji's back, is found and named, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import delete, update

from tanzuji.certification import CertificateAction
from tanzuji.services.ledger_audit import check_certificates, check_footprints
from tanzuji.store.models import Certificate, CertificateReview, Footprint
from tests.platform.factories import World
from tests.platform.test_certification import Issued, certification, issue, verified


@pytest.fixture
def issued(world: World) -> Issued:
    return issue(world, verified(world))


def test_an_intact_certificate_passes(world: World, issued: Issued) -> None:
    certification(world, "certifier").review(
        issued.certificate.id, CertificateAction.SUSPEND, "监督抽查"
    )
    assert check_certificates(world.session) == []


def test_a_changed_credential_is_named(world: World, issued: Issued) -> None:
    certificate = issued.certificate
    forged = (certificate.credential or "").replace("示例茶业", "另一茶业")
    assert forged != certificate.credential
    world.session.execute(
        update(Certificate).where(Certificate.id == certificate.id).values(credential=forged)
    )
    world.session.expire_all()
    (found,) = check_certificates(world.session)
    assert (found.table, found.row, found.entry) == (
        "certificates",
        certificate.number,
        certificate.ledger_index,
    )
    assert "the credential" in found.problem
    assert "differs from the one the ledger recorded" in found.problem


def test_a_changed_status_is_named(world: World, issued: Issued) -> None:
    certificate = issued.certificate
    certification(world, "certifier").review(certificate.id, CertificateAction.WITHDRAW, "停产")
    world.session.execute(
        update(Certificate).where(Certificate.id == certificate.id).values(status="issued")
    )
    world.session.expire_all()
    (found,) = check_certificates(world.session)
    assert found.row == certificate.number
    assert found.problem == "status issued in the database, the ledger recorded withdrawn"


def test_a_certificate_issued_outside_tanzuji_is_named(world: World, issued: Issued) -> None:
    world.session.execute(
        update(Certificate)
        .where(Certificate.id == issued.certificate.id)
        .values(number="GZ-PCF-2026-000777")
    )
    world.session.expire_all()
    found = sorted(str(d) for d in check_certificates(world.session))
    assert found == [
        f"certificates GZ-PCF-2026-000001: recorded in the ledger, gone from the database "
        f"(entry {issued.certificate.ledger_index})",
        "certificates GZ-PCF-2026-000777: issued, not in the ledger",
    ]


def test_a_changed_review_reason_is_named(world: World, issued: Issued) -> None:
    """The ledger holds only the salted commitment to the reason; the audit recomputes it."""
    review = certification(world, "certifier").review(
        issued.certificate.id, CertificateAction.SUSPEND, "监督抽查"
    )
    world.session.execute(
        update(CertificateReview).where(CertificateReview.id == review.id).values(reason="整改")
    )
    world.session.expire_all()
    (found,) = check_certificates(world.session)
    assert (found.table, found.row, found.entry) == (
        "certificate_reviews",
        str(review.id),
        review.ledger_index,
    )
    assert found.problem == (
        "the reason (or its salt) no longer matches the commitment the ledger recorded"
    )


def test_a_changed_review_action_is_named(world: World, issued: Issued) -> None:
    review = certification(world, "certifier").review(
        issued.certificate.id, CertificateAction.WITHDRAW, "产品停产"
    )
    world.session.execute(
        update(CertificateReview)
        .where(CertificateReview.id == review.id)
        .values(action=CertificateAction.SUSPEND)
    )
    world.session.expire_all()
    (found,) = check_certificates(world.session)
    number = issued.certificate.number
    assert found.problem == (
        f"suspend of {number} in the database, the ledger recorded withdraw of {number}"
    )


def test_a_deleted_review_is_named(world: World, issued: Issued) -> None:
    review = certification(world, "certifier").review(
        issued.certificate.id, CertificateAction.SUSPEND, "监督抽查"
    )
    certification(world, "certifier").review(
        issued.certificate.id, CertificateAction.REINSTATE, "整改完成"
    )
    world.session.execute(delete(CertificateReview).where(CertificateReview.id == review.id))
    world.session.expire_all()
    (found,) = check_certificates(world.session)
    assert str(found) == (
        f"certificate_reviews suspend of {issued.certificate.number}: recorded in the ledger, "
        f"gone from the database (entry {review.ledger_index})"
    )


def test_a_certificate_moved_to_another_footprint_is_named(world: World, issued: Issued) -> None:
    """The issue entry commits to the certified footprint: pointing the certificate at
    another footprint (here, of another verified submission) is found."""
    other = issue(world, verified(world, "gz-black-tea")).certificate
    world.session.execute(
        update(Certificate)
        .where(Certificate.id == issued.certificate.id)
        .values(footprint_id=other.footprint_id)
    )
    world.session.expire_all()
    (found,) = check_certificates(world.session)
    assert (found.row, found.entry) == (issued.certificate.number, issued.certificate.ledger_index)
    assert found.problem == (
        f"the footprint in the database ({other.footprint_id}) is not the one the ledger "
        "committed to when the certificate was issued"
    )


def test_a_certified_footprint_s_changed_value_is_named(world: World, issued: Issued) -> None:
    """The issue entry publishes the certified value; check_footprints finds the entry of a
    footprint by recomputing the commitment, with no footprint id in the entry."""
    certificate = issued.certificate
    credential = json.loads(certificate.credential or "")
    certified = credential["credentialSubject"]["carbonFootprint"]["value"]
    world.session.execute(
        update(Footprint).where(Footprint.id == certificate.footprint_id).values(total_kgco2e=1.0)
    )
    world.session.expire_all()
    found = [d for d in check_footprints(world.session) if d.entry == certificate.ledger_index]
    assert [d.problem for d in found] == [
        f"value in the database 1.0 kg CO2e, the ledger recorded {certified} when certificate "
        f"{certificate.number} was issued"
    ]
