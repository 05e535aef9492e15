"""Activity data submissions, their revisions and evidence, footprints and verification."""

from __future__ import annotations

import datetime
import secrets
import uuid
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tanzuji.store.base import Base, enum_of, uuid_pk
from tanzuji.workflow import Status

__all__ = ["Comment", "Evidence", "Footprint", "Revision", "Submission", "VerificationCase"]


class Submission(Base):
    """A year (or other period) of activity data for one product under one rule version.

    ``version`` counts changes; an update made from a stale copy fails (optimistic
    locking), so two people editing at once cannot overwrite each other.
    """

    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("product_id", "period_start", "period_end"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"))
    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"))
    rule_key: Mapped[str] = mapped_column(ForeignKey("rule_versions.key"))
    period_start: Mapped[datetime.date] = mapped_column(Date)
    period_end: Mapped[datetime.date] = mapped_column(Date)
    status: Mapped[Status] = mapped_column(enum_of(Status))
    revision: Mapped[int] = mapped_column(Integer, default=1, doc="the current revision")
    verifier_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organizations.id"))
    created_at: Mapped[datetime.datetime]
    updated_at: Mapped[datetime.datetime]
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy's own convention)


class Revision(Base):
    """The activity data of one revision, exactly as checked; later edits add a revision."""

    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("submission_id", "number"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    submission_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("submissions.id"))
    number: Mapped[int]
    data: Mapped[dict[str, Any]] = mapped_column(JSON, doc="the ActivityData, as JSON")
    monthly: Mapped[list[dict[str, Any]] | None] = mapped_column(
        JSON, doc="the monthly entries the data was summed from, if entered so"
    )
    sha256: Mapped[str] = mapped_column(String(64), doc="of the canonical JSON of data")
    salt: Mapped[str] = mapped_column(
        String(32),
        default=lambda: secrets.token_hex(16),
        doc="128 random bits (hex) salting the ledger's commitments to this revision's data, "
        "evidence, footprints and verification (docs/ledger.md)",
    )
    warnings: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime.datetime]


class Evidence(Base):
    """A file backing the data (invoice, meter reading), stored once under its SHA-256."""

    __tablename__ = "evidence"

    id: Mapped[uuid.UUID] = uuid_pk()
    submission_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("submissions.id"))
    revision: Mapped[int]
    input_name: Mapped[str | None] = mapped_column(String(64), doc="the input it supports")
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime.datetime]


class Footprint(Base):
    """A footprint computed from one revision, with everything needed to recompute it."""

    __tablename__ = "footprints"

    id: Mapped[uuid.UUID] = uuid_pk()
    submission_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("submissions.id"))
    revision: Mapped[int]
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"))
    rule_key: Mapped[str] = mapped_column(ForeignKey("rule_versions.key"))
    factor_set_version: Mapped[str] = mapped_column(ForeignKey("factor_set_versions.version"))
    gwp: Mapped[str] = mapped_column(String(8))
    declared_unit: Mapped[str] = mapped_column(String(100))
    total_kgco2e: Mapped[float] = mapped_column(doc="kg CO2e per declared unit")
    result: Mapped[dict[str, Any]] = mapped_column(JSON, doc="Footprint.to_dict(), with units")
    computed_at: Mapped[datetime.datetime]


class VerificationCase(Base):
    """A verifier's review of one revision, assigned by the regulator."""

    __tablename__ = "verification_cases"

    id: Mapped[uuid.UUID] = uuid_pk()
    submission_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("submissions.id"))
    revision: Mapped[int]
    verifier_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"))
    assigned_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    assigned_at: Mapped[datetime.datetime]
    decision: Mapped[str | None] = mapped_column(String(16), doc="accept or return")
    decided_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime.datetime | None]


class Comment(Base):
    """A remark on a revision, by the verifier or the enterprise, optionally on one input."""

    __tablename__ = "comments"

    id: Mapped[uuid.UUID] = uuid_pk()
    submission_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("submissions.id"))
    revision: Mapped[int]
    input_name: Mapped[str | None] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime.datetime]
