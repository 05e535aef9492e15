"""The ledger audit of certificates: a credential or a status changed directly in the
database, behind tanzuji's back, is found and named, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from tanzuji.certification import CertificateAction
from tanzuji.services.ledger_audit import check_certificates
from tanzuji.store.models import Certificate
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
