"""Certificates for verified footprints, and the surveillance reviews that follow them."""

from __future__ import annotations

import datetime
import uuid
from typing import TypeVar

from sqlalchemy import ForeignKey, String, Text, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from tanzuji.certification import CertificateAction, CertificateStatus
from tanzuji.store.base import Base, enum_of, uuid_pk
from tanzuji.store.submissions import Submission

__all__ = ["Certificate", "CertificateReview", "lock_row"]


class Certificate(Base):
    """An application for certification of one verified footprint, and once a certification
    body certifies it, the certificate: its number, validity and signed credential.

    ``credential`` is the W3C verifiable credential exactly as issued (JSON text) and
    ``credential_sha256`` the SHA-256 of its RFC 8785 canonical form, which the ledger records
    (``ledger_index``). ``status_list_index`` is the certificate's bit in the deployment's
    revocation and suspension status lists.
    """

    __tablename__ = "certificates"

    id: Mapped[uuid.UUID] = uuid_pk()
    number: Mapped[str | None] = mapped_column(String(40), unique=True, doc="once issued")
    submission_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("submissions.id"))
    footprint_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("footprints.id"))
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"))
    enterprise_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"))
    body_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id"), doc="the certification body applied to"
    )
    status: Mapped[CertificateStatus] = mapped_column(enum_of(CertificateStatus))
    applied_at: Mapped[datetime.datetime]
    applied_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime.datetime | None]
    decided_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    valid_from: Mapped[datetime.datetime | None]
    valid_until: Mapped[datetime.datetime | None]
    status_list_index: Mapped[int | None] = mapped_column(unique=True)
    grade: Mapped[int | None] = mapped_column(doc="1 (best) to 5, when a benchmark applied")
    benchmark_version: Mapped[str | None] = mapped_column(String(64))
    credential: Mapped[str | None] = mapped_column(Text)
    credential_sha256: Mapped[str | None] = mapped_column(String(64))
    ledger_index: Mapped[int | None] = mapped_column(doc="the certificate.issued ledger entry")


class CertificateReview(Base):
    """A surveillance review's decision on a certificate (suspend, reinstate, withdraw).

    The reason stays in the database; the ledger entry carries only its salted commitment
    (``salt`` and the reason, docs/certification.md), so that a short or templated reason
    cannot be guessed from the public log.
    """

    __tablename__ = "certificate_reviews"

    id: Mapped[uuid.UUID] = uuid_pk()
    certificate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("certificates.id"))
    action: Mapped[CertificateAction] = mapped_column(enum_of(CertificateAction))
    reason: Mapped[str] = mapped_column(Text)
    salt: Mapped[str] = mapped_column(
        String(32), doc="128 random bits (hex) salting the ledger's commitment to the reason"
    )
    decided_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime.datetime]
    ledger_index: Mapped[int] = mapped_column(doc="the certificate.status_changed ledger entry")


_Locked = TypeVar("_Locked", Certificate, Submission)


def lock_row(session: Session, model: type[_Locked], row_id: uuid.UUID) -> _Locked | None:
    """Row ``row_id`` of ``model`` (a certificate, or the submission applied for), locked until
    the transaction ends and read afresh; ``None`` if there is no such row.

    A no-op ``UPDATE`` of the row takes the lock: the row's lock on PostgreSQL, and on SQLite
    (which locks the whole database for a writer, but only at its first write) the write
    transaction, so that what is read next cannot change before the commit on either. The row
    is then read with ``populate_existing``: the session may hold it already, with the values
    it had before the lock was granted."""
    session.execute(
        update(model)
        .where(model.id == row_id)
        .values(status=model.status)
        .execution_options(synchronize_session=False)
    )
    query = select(model).where(model.id == row_id).execution_options(populate_existing=True)
    return session.scalars(query).first()
