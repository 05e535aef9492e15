"""Products, and the rule and factor set versions that footprints are computed with."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tanzuji.store.base import Base, uuid_pk

__all__ = ["FactorProposal", "FactorSetVersion", "Product", "RuleVersion"]


class Product(Base):
    """A product of an enterprise, accounted under one product rule."""

    __tablename__ = "products"
    __table_args__ = (UniqueConstraint("organization_id", "code"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"))
    code: Mapped[str] = mapped_column(String(100), doc="the enterprise's own product id")
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    rule_id: Mapped[str] = mapped_column(String(64), doc="product category rule, e.g. tea-green")
    public: Mapped[bool] = mapped_column(default=False, doc="its verified footprints are public")
    created_at: Mapped[datetime.datetime]


class RuleVersion(Base):
    """A product rule version footprints were computed with, and the SHA-256 of its file."""

    __tablename__ = "rule_versions"

    key: Mapped[str] = mapped_column(String(80), primary_key=True, doc="id@version")
    rule_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(16))
    sha256: Mapped[str] = mapped_column(String(64))
    registered_at: Mapped[datetime.datetime]


class FactorSetVersion(Base):
    """A published factor set: immutable, its table kept whole so any footprint can be redone.

    ``table`` is the CSV text in the columns of :mod:`tanzuji.factors.tables`.
    """

    __tablename__ = "factor_set_versions"

    version: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    based_on: Mapped[str | None] = mapped_column(String(64))
    table: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    factor_count: Mapped[int]
    published_at: Mapped[datetime.datetime]
    published_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))


class FactorProposal(Base):
    """A proposed change to the factor database, with its source, awaiting the regulator.

    ``factor`` holds one table row (column → text) for an ``add`` or ``replace``;
    ``retire`` names only ``factor_id``.
    """

    __tablename__ = "factor_proposals"

    id: Mapped[uuid.UUID] = uuid_pk()
    change: Mapped[str] = mapped_column(String(16), doc="add, replace or retire")
    factor_id: Mapped[str] = mapped_column(String(64))
    factor: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    proposed_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"))
    proposed_at: Mapped[datetime.datetime]
    status: Mapped[str] = mapped_column(String(16), default="open", doc="open, rejected, published")
    published_in: Mapped[str | None] = mapped_column(ForeignKey("factor_set_versions.version"))
    decided_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime.datetime | None]
    decision_reason: Mapped[str] = mapped_column(Text, default="", doc="why it was rejected")
