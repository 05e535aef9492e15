"""Certification under concurrency, with transactions that commit for real: a decision waits
for an append in progress instead of failing, a second decision on the same application sees
the first, and two applications for the same footprint cannot both be stored; on SQLite and
PostgreSQL.

Each test holds one transaction open while another thread starts a competing one, checks that
the thread waits (for a row lock on PostgreSQL, for the write lock on SQLite), then commits."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tanzuji.certification import CertificateAction, CertificateStatus
from tanzuji.errors import Conflict, IllegalTransition
from tanzuji.ledger.events import EventKind
from tanzuji.services.certification import CertificationService
from tanzuji.services.context import Context
from tanzuji.services.ledger import LedgerService
from tanzuji.services.ledger_audit import audit
from tanzuji.store import Database
from tanzuji.store.models import Certificate
from tests.platform.factories import make_world
from tests.platform.test_certification import ISSUER_KEY, PUBLIC_URL, verified

T = TypeVar("T")
WAITING = 0.5
"""Seconds a competing transaction is given to show that it waits."""


@dataclass
class Setting:
    """A committed world with a verified submission: the ids and contexts the tests use."""

    database: Database
    submission_id: uuid.UUID
    body_id: uuid.UUID
    enterprise: Context
    certifier: Context

    def apply(self) -> uuid.UUID:
        """The enterprise applies, in a transaction of its own; the application's id."""
        with self.database.transaction() as session:
            return self.applying(session)

    def applying(self, session: Session) -> uuid.UUID:
        """The enterprise applies in ``session``'s transaction; the application's id."""
        service = CertificationService(session, self.enterprise)
        return service.apply(self.submission_id, self.body_id).id

    def certify(self, certificate_id: uuid.UUID) -> tuple[int | None, CertificateStatus]:
        """The body certifies, in a transaction of its own: the ledger index and status."""
        with self.database.transaction() as session:
            service = CertificationService(
                session, self.certifier, issuer_key=ISSUER_KEY, public_url=PUBLIC_URL
            )
            decided = service.decide(certificate_id, CertificateAction.CERTIFY, "")
            return decided.ledger_index, decided.status


@pytest.fixture
def setting(own_database: Database) -> Setting:
    with own_database.transaction() as session:
        world = make_world(session)
        submission = verified(world)
        return Setting(
            own_database,
            submission.id,
            world.organizations["body"].id,
            world.context("tea_admin"),
            world.context("certifier"),
        )


@pytest.fixture
def competing() -> Iterator[ThreadPoolExecutor]:
    """A thread of its own for the competing transaction."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        yield pool


def waits(future: Future[T]) -> bool:
    """Whether the competing transaction is still waiting after :data:`WAITING` seconds."""
    try:
        future.exception(timeout=WAITING)
    except TimeoutError:
        return True
    return False


def test_a_certification_waits_for_an_append_in_progress(
    setting: Setting, competing: ThreadPoolExecutor
) -> None:
    """Another service appends (and holds the ledger's lock until it commits) while the body
    certifies: the certification waits, then takes the next index, and names it in its
    credential; before, it read the size outside the lock and failed with a Conflict."""
    applied = setting.apply()
    with setting.database.transaction() as other:
        ledger = LedgerService(other, Context.public())
        ledger.record(EventKind.BENCHMARK_PUBLISHED, {"version": "meanwhile"})
        expected = ledger.next_index()
        certifying = competing.submit(lambda: setting.certify(applied))
        assert waits(certifying)
    assert certifying.result(timeout=10) == (expected, CertificateStatus.ISSUED)
    with setting.database.transaction() as session:
        assert audit(session) == []


def test_a_second_decision_sees_the_first(setting: Setting, competing: ThreadPoolExecutor) -> None:
    """Two certifications of one application: the second waits for the first's lock, then
    reads the certificate afresh and finds it issued."""
    applied = setting.apply()
    with setting.database.transaction() as first:
        CertificationService(
            first, setting.certifier, issuer_key=ISSUER_KEY, public_url=PUBLIC_URL
        ).decide(applied, CertificateAction.CERTIFY, "")
        second = competing.submit(lambda: setting.certify(applied))
        assert waits(second)
    with pytest.raises(IllegalTransition, match="issued cannot be given 'certify'"):
        second.result(timeout=10)
    with setting.database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Certificate)) == 1
        assert audit(session) == []


def test_two_applications_for_one_footprint_cannot_both_be_stored(
    setting: Setting, competing: ThreadPoolExecutor
) -> None:
    """The application checks for an open one under the submission's lock: the second waits
    for the first to commit, then sees it."""
    with setting.database.transaction() as first:
        setting.applying(first)
        second = competing.submit(setting.apply)
        assert waits(second)
    with pytest.raises(Conflict, match="open application or certificate already"):
        second.result(timeout=10)
    with setting.database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Certificate)) == 1
