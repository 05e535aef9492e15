"""Data-sharing grants to partners, every read made under them, and the audit log."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tanzuji.store.base import Base, uuid_pk
from tanzuji.store.catalog import Product

__all__ = ["AuditEvent", "Grant", "GrantRead", "grant_products"]

grant_products = Table(
    "grant_products",
    Base.metadata,
    Column("grant_id", ForeignKey("grants.id", ondelete="CASCADE"), primary_key=True),
    Column("product_id", ForeignKey("products.id", ondelete="CASCADE"), primary_key=True),
)


class Grant(Base):
    """An enterprise lets a data partner read chosen products' footprints for a period.

    Activity data is included only when ``include_activity_data`` says so.
    """

    __tablename__ = "grants"

    id: Mapped[uuid.UUID] = uuid_pk()
    enterprise_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"))
    partner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"))
    include_activity_data: Mapped[bool] = mapped_column(default=False)
    valid_from: Mapped[datetime.datetime]
    valid_until: Mapped[datetime.datetime]
    revoked_at: Mapped[datetime.datetime | None]
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime.datetime]

    products: Mapped[list[Product]] = relationship(secondary=grant_products)


class GrantRead(Base):
    """One read of shared data: who, when, what; the enterprise sees every one."""

    __tablename__ = "grant_reads"

    id: Mapped[uuid.UUID] = uuid_pk()
    grant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("grants.id"))
    reader_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"))
    what: Mapped[str] = mapped_column(String(32), doc="footprint or activity_data")
    read_at: Mapped[datetime.datetime]


class AuditEvent(Base):
    """Who did what, when, to which thing, and what changed."""

    __tablename__ = "audit_events"

    id: Mapped[uuid.UUID] = uuid_pk()
    at: Mapped[datetime.datetime] = mapped_column(index=True)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    organization_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organizations.id"))
    action: Mapped[str] = mapped_column(String(64), index=True, doc="e.g. submission.submit")
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str] = mapped_column(String(64), index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
