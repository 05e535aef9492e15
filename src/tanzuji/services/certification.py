"""Certification of verified footprints (CNCA general implementation rules for product carbon
footprint label certification, 2025): the enterprise applies to a certification body, the body
certifies or refuses, and surveillance reviews suspend, reinstate or withdraw the certificate.

Certifying issues a W3C verifiable credential signed with the deployment's issuer key on behalf
of the body, numbered ``GZ-PCF-{year}-{serial}`` (the year of issue, the serial counting from
000001 each year) and valid two years. The issue and every surveillance decision are appended
to the ledger in the same transaction as the change, with an audit record; the application and
a refusal are audited only (no certificate exists yet). What the entries hold, and what they
keep out, is in :mod:`tanzuji.services.certificate_events`.

Concurrency: every decision locks its certificate's row first (:func:`lock_row`), then, if it
appends, the ledger; the ledger's lock serializes issues, so numbers, status list indexes and
the ledger index a credential names cannot be taken twice. An application locks its
submission's row while it checks that the footprint has no open application: a partial unique
index (one open application per footprint) is not portable between SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime
import json
import secrets
import uuid
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from tanzuji.access import OrganizationKind, Permission
from tanzuji.canonical import canonical_json, sha256_hex
from tanzuji.certification import (
    CertificateAction,
    CertificateStatus,
    next_certificate_status,
    valid_until,
)
from tanzuji.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, TanzujiError
from tanzuji.labels.content import CHINA
from tanzuji.ledger.events import EventKind
from tanzuji.services.audit import record
from tanzuji.services.certificate_credential import signed_credential
from tanzuji.services.certificate_events import certificate_issued, certificate_status_changed
from tanzuji.services.certificate_view import (
    CertificateView,
    Subject,
    certificate_view,
    subject_of,
)
from tanzuji.services.context import Actor, Context
from tanzuji.services.grading import GradingService
from tanzuji.services.ledger import LedgerService
from tanzuji.services.ledger_events import revision_salt
from tanzuji.services.status_lists import signed_status_list
from tanzuji.services.submissions import SubmissionService
from tanzuji.store.certification import lock_row
from tanzuji.store.models import (
    Certificate,
    CertificateReview,
    Organization,
    Submission,
)
from tanzuji.workflow import Status

__all__ = [
    "DECISIONS",
    "NUMBER_PREFIX",
    "OPEN_STATUSES",
    "SURVEILLANCE",
    "CertificationService",
    "certificate_number",
]

NUMBER_PREFIX = "GZ-PCF"
"""Certificate numbers read ``GZ-PCF-2026-000001``: Guizhou, product carbon footprint, the
year of issue (in China Standard Time), and a six-digit serial that starts at 000001 each
year."""
DECISIONS = (CertificateAction.CERTIFY, CertificateAction.REFUSE)
"""What a certification body decides on an application."""
SURVEILLANCE = (CertificateAction.SUSPEND, CertificateAction.REINSTATE, CertificateAction.WITHDRAW)
"""What a surveillance review decides on an issued certificate."""
OPEN_STATUSES = (CertificateStatus.APPLIED, CertificateStatus.ISSUED, CertificateStatus.SUSPENDED)
"""An application in these states blocks another one for the same footprint."""
MAX_REASON = 5000


def certificate_number(year: int, serial: int) -> str:
    """The number of the ``serial``-th certificate issued in ``year``.

    >>> certificate_number(2026, 1)
    'GZ-PCF-2026-000001'
    """
    if not 1 <= serial <= 999_999:
        raise Conflict(f"the serials of {year} are used up (999,999 certificates)", field="number")
    return f"{NUMBER_PREFIX}-{year:04d}-{serial:06d}"


def _reason(reason: str, required: bool) -> str:
    text = reason.strip()
    if required and not text:
        raise InvalidInput("give the reason for this decision", field="reason")
    if len(text) > MAX_REASON:
        raise InvalidInput(f"a reason holds at most {MAX_REASON:,} characters", field="reason")
    return text


class CertificationService:
    """Applications, decisions, surveillance and the public reads of certificates.

    ``issuer_key`` (the deployment's issuer key) and ``public_url`` are needed to certify and
    to publish the status lists; the other use cases do without them.
    """

    def __init__(
        self,
        session: Session,
        context: Context,
        *,
        issuer_key: Ed25519PrivateKey | None = None,
        public_url: str = "",
    ) -> None:
        self.session = session
        self.context = context
        self.issuer_key = issuer_key
        self.public_url = public_url

    # the enterprise applies ----------------------------------------------------------------

    def apply(self, submission_id: uuid.UUID, body_id: uuid.UUID) -> Certificate:
        """The enterprise applies to certification body ``body_id`` for the latest footprint
        of its verified submission ``submission_id``. The submission stays locked until the
        transaction ends, so that two applications for its footprint cannot both be stored."""
        actor = self.context.require(Permission.CERTIFICATE_APPLY)
        submissions = SubmissionService(self.session, self.context)
        if submissions.get(submission_id).organization_id != actor.organization_id:
            raise NotFound(f"no submission {submission_id}", field="submission_id")
        submission = lock_row(self.session, Submission, submission_id)
        assert submission is not None  # it was there a moment ago, and rows are not deleted
        if submission.status is not Status.VERIFIED:
            raise Conflict(
                f"only a verified submission can be certified; this one is "
                f"{submission.status.value}",
                field="submission_id",
            )
        footprint = submissions.latest_footprint(submission)
        if footprint is None:
            raise Conflict("the submission has no footprint to certify", field="submission_id")
        body = self.session.get(Organization, body_id)
        if body is None or body.kind is not OrganizationKind.CERTIFICATION_BODY:
            raise NotFound(f"no certification body {body_id}", field="body_id")
        pending = self.session.scalars(
            select(Certificate).where(
                Certificate.footprint_id == footprint.id, Certificate.status.in_(OPEN_STATUSES)
            )
        ).first()
        if pending is not None:
            raise Conflict(
                f"this footprint has an open application or certificate already "
                f"({pending.number or pending.status.value})",
                field="submission_id",
            )
        certificate = Certificate(
            submission_id=submission.id,
            footprint_id=footprint.id,
            product_id=submission.product_id,
            enterprise_id=submission.organization_id,
            body_id=body.id,
            status=CertificateStatus.APPLIED,
            applied_at=self.context.now(),
            applied_by=actor.user_id,
            decision_reason="",
        )
        self.session.add(certificate)
        self.session.flush()
        self._audit(
            certificate,
            "apply",
            submission=str(submission.id),
            footprint=str(footprint.id),
            body=str(body.id),
        )
        return certificate

    # the certification body decides -------------------------------------------------------

    def decide(
        self, certificate_id: uuid.UUID, action: CertificateAction, reason: str
    ) -> Certificate:
        """The body the application was made to certifies it (issuing the signed certificate)
        or refuses it (a reason required)."""
        actor, certificate = self._deciding(
            certificate_id,
            action,
            DECISIONS,
            "decide certify or refuse; suspend, reinstate and withdraw are surveillance "
            "reviews of an issued certificate",
        )
        new_status = next_certificate_status(certificate.status, action)
        text = _reason(reason, required=action is CertificateAction.REFUSE)
        now = self.context.now().replace(microsecond=0)
        if action is CertificateAction.CERTIFY:
            self._issue(subject_of(self.session, certificate), now)
        certificate.status = new_status
        certificate.decided_at = now
        certificate.decided_by = actor.user_id
        certificate.decision_reason = text
        self.session.flush()
        self._audit(certificate, action.value, status_after=new_status.value, reason=text)
        return certificate

    def _issue(self, subject: Subject, now: datetime.datetime) -> None:
        """Number, validity, status list index, grade, the signed credential and its ledger
        entry; the credential names the index of that very entry."""
        if self.issuer_key is None:
            raise TanzujiError("certifying needs the deployment's issuer key: none was given")
        certificate, footprint, submission = (
            subject.certificate,
            subject.footprint,
            subject.submission,
        )
        if submission.status is not Status.VERIFIED or footprint.revision != submission.revision:
            raise Conflict(
                "the submission changed since the application: the footprint applied for is "
                "no longer its verified one",
                field="certificate_id",
            )
        ledger = LedgerService(self.session, self.context)
        index = ledger.next_index()  # the ledger's lock: from here on no other issue runs
        grade = GradingService(self.session, self.context).grade_of(footprint)
        certificate.number = self._next_number(now.astimezone(CHINA).year)
        certificate.valid_from = now
        certificate.valid_until = valid_until(now)
        certificate.status_list_index = self._next_status_list_index()
        certificate.grade = grade.grade if grade is not None else None
        certificate.benchmark_version = grade.benchmark_version if grade is not None else None
        credential = signed_credential(
            self.session,
            subject,
            ledger_index=index,
            key=self.issuer_key,
            public_url=self.public_url,
        )
        digest = sha256_hex(canonical_json(credential))
        salt = revision_salt(self.session, submission.id, footprint.revision)
        recorded = ledger.record(
            EventKind.CERTIFICATE_ISSUED,
            certificate_issued(certificate, footprint, salt, credential, digest),
        )
        assert recorded == index  # the ledger has been locked since next_index()
        certificate.credential = json.dumps(credential, ensure_ascii=False)
        certificate.credential_sha256 = digest
        certificate.ledger_index = index

    def _next_number(self, year: int) -> str:
        prefix = f"{NUMBER_PREFIX}-{year:04d}-"
        last = self.session.scalar(
            select(func.max(Certificate.number)).where(Certificate.number.startswith(prefix))
        )
        return certificate_number(year, int(last.removeprefix(prefix)) + 1 if last else 1)

    def _next_status_list_index(self) -> int:
        last = self.session.scalar(select(func.max(Certificate.status_list_index)))
        return 0 if last is None else last + 1

    # surveillance ------------------------------------------------------------------------

    def review(
        self, certificate_id: uuid.UUID, action: CertificateAction, reason: str
    ) -> CertificateReview:
        """A surveillance decision of the issuing body: suspend, reinstate or withdraw, with
        its reason (the ledger records a salted commitment to the reason, not its text)."""
        actor, certificate = self._deciding(
            certificate_id,
            action,
            SURVEILLANCE,
            "a surveillance review suspends, reinstates or withdraws; applications are "
            "certified or refused with a decision",
        )
        before = certificate.status
        new_status = next_certificate_status(before, action)
        text = _reason(reason, required=True)
        decision = CertificateReview(
            certificate_id=certificate.id,
            action=action,
            reason=text,
            salt=secrets.token_hex(16),
            decided_by=actor.user_id,
            decided_at=self.context.now().replace(microsecond=0),
        )
        decision.ledger_index = LedgerService(self.session, self.context).record(
            EventKind.CERTIFICATE_STATUS_CHANGED,
            certificate_status_changed(certificate, decision, new_status.value),
        )
        certificate.status = new_status
        self.session.add(decision)
        self.session.flush()
        self._audit(
            certificate,
            action.value,
            status_before=before.value,
            status_after=new_status.value,
            reason=text,
            ledger_index=decision.ledger_index,
        )
        return decision

    def _deciding(
        self,
        certificate_id: uuid.UUID,
        action: CertificateAction,
        allowed: tuple[CertificateAction, ...],
        otherwise: str,
    ) -> tuple[Actor, Certificate]:
        """The certifier making a decision of kind ``allowed`` and the certificate, locked and
        read afresh, addressed to its body; an ``action`` of the other kind is refused with
        ``otherwise``."""
        actor = self.context.require(Permission.CERTIFICATE_DECIDE)
        certificate = lock_row(self.session, Certificate, certificate_id)
        if certificate is None or certificate.body_id != actor.organization_id:
            raise NotFound(f"no certificate {certificate_id}", field="certificate_id")
        if action not in allowed:
            raise InvalidInput(otherwise, field="action")
        return actor, certificate

    def _audit(self, certificate: Certificate, action: str, **details: Any) -> None:
        """The audit record ``certificate.{action}`` of ``certificate``, naming its number."""
        record(
            self.session,
            self.context,
            f"certificate.{action}",
            "certificate",
            certificate.id,
            number=certificate.number,
            **details,
        )

    # reading, signed in ------------------------------------------------------------------

    def applications(self) -> list[Certificate]:
        """The applications waiting for the acting body's decision, oldest first."""
        actor = self.context.require(Permission.CERTIFICATE_DECIDE)
        query = select(Certificate).where(
            Certificate.body_id == actor.organization_id,
            Certificate.status == CertificateStatus.APPLIED,
        )
        return list(self.session.scalars(query.order_by(Certificate.applied_at, Certificate.id)))

    def certificates(
        self,
        *,
        status: CertificateStatus | None = None,
        submission_id: uuid.UUID | None = None,
    ) -> list[Certificate]:
        """The applications and certificates the acting user may see, newest first: an
        enterprise its own, a certification body those addressed to it, the regulator all."""
        query = self._visible()
        if status is not None:
            query = query.where(Certificate.status == status)
        if submission_id is not None:
            query = query.where(Certificate.submission_id == submission_id)
        order = (Certificate.applied_at.desc(), Certificate.id)
        return list(self.session.scalars(query.order_by(*order)))

    def get(self, certificate_id: uuid.UUID) -> Certificate:
        """One application or certificate the acting user may see; else :class:`NotFound`."""
        found = self.session.scalars(
            self._visible().where(Certificate.id == certificate_id)
        ).first()
        if found is None:
            raise NotFound(f"no certificate {certificate_id}", field="certificate_id")
        return found

    def subject(self, certificate_id: uuid.UUID) -> Subject:
        """What an application or certificate the acting user may see is about: the footprint,
        its submission and product (for the certification body's review of the application)."""
        return subject_of(self.session, self.get(certificate_id))

    def reviews(self, certificate_id: uuid.UUID) -> list[CertificateReview]:
        """The surveillance decisions on a certificate the acting user may see, oldest first."""
        certificate = self.get(certificate_id)
        query = select(CertificateReview).where(CertificateReview.certificate_id == certificate.id)
        return list(self.session.scalars(query.order_by(CertificateReview.decided_at)))

    def bodies(self) -> list[Organization]:
        """The certification bodies an enterprise may apply to, by name."""
        self.context.require(Permission.CERTIFICATE_APPLY)
        query = select(Organization).where(Organization.kind == OrganizationKind.CERTIFICATION_BODY)
        return list(self.session.scalars(query.order_by(Organization.name_zh)))

    def _visible(self) -> Select[Certificate]:
        actor = self.context.actor
        if actor is None:
            raise NotAuthenticated("sign in to see applications and certificates")
        query = select(Certificate)
        if Permission.OVERSIGHT_READ in actor.permissions:
            return query
        if Permission.CERTIFICATE_DECIDE in actor.permissions:
            return query.where(Certificate.body_id == actor.organization_id)
        self.context.require(Permission.SUBMISSION_READ)
        return query.where(Certificate.enterprise_id == actor.organization_id)

    # reading, public ---------------------------------------------------------------------

    def certificate(self, number: str) -> CertificateView:
        """The public read model of an issued certificate (no sign-in needed)."""
        found = self.session.scalars(
            select(Certificate).where(
                Certificate.number == number, Certificate.credential.is_not(None)
            )
        ).first()
        if found is None:
            raise NotFound(f"no certificate numbered {number}", field="number")
        return certificate_view(self.session, found, self.context.now())

    def status_list(self, purpose: str) -> dict[str, Any]:
        """The signed status list credential of ``purpose`` (``revocation`` or
        ``suspension``), public."""
        if self.issuer_key is None:
            raise TanzujiError("the status lists need the deployment's issuer key: none was given")
        return signed_status_list(self.session, purpose, self.issuer_key, self.public_url)
