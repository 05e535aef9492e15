"""Organizations, their users, and how users prove who they are (sessions, API tokens)."""

from __future__ import annotations

import datetime
import uuid

from sqlalchemy import JSON, Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tanzuji.access import OrganizationKind, Role
from tanzuji.store.base import Base, enum_of, uuid_pk

__all__ = ["ApiToken", "Conflict", "LoginSession", "Membership", "Organization", "User"]


class Organization(Base):
    """An enterprise, verifier, regulator, data partner or buyer.

    ``uscc`` is the unified social credit code (GB 32100-2015), required of
    enterprises and unique where given.
    """

    __tablename__ = "organizations"

    id: Mapped[uuid.UUID] = uuid_pk()
    kind: Mapped[OrganizationKind] = mapped_column(enum_of(OrganizationKind))
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    uscc: Mapped[str | None] = mapped_column(String(18), unique=True)
    county: Mapped[str] = mapped_column(String(100), default="", doc="县/区, e.g. 仁怀市")
    industry: Mapped[str] = mapped_column(String(100), default="")
    may_propose_factors: Mapped[bool] = mapped_column(
        Boolean, default=False, doc="a research institute the regulator authorized"
    )
    created_at: Mapped[datetime.datetime]

    members: Mapped[list[Membership]] = relationship(back_populates="organization")


class User(Base):
    """A person who signs in; what they may do comes from their memberships."""

    __tablename__ = "users"

    id: Mapped[uuid.UUID] = uuid_pk()
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    locale: Mapped[str] = mapped_column(String(8), default="zh")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime.datetime]

    memberships: Mapped[list[Membership]] = relationship(back_populates="user")


class Membership(Base):
    """A user's role in one organization."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "organization_id"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    role: Mapped[Role] = mapped_column(enum_of(Role))

    user: Mapped[User] = relationship(back_populates="memberships")
    organization: Mapped[Organization] = relationship(back_populates="members")


class LoginSession(Base):
    """A browser sign-in: the cookie holds a random token, the table only its SHA-256."""

    __tablename__ = "login_sessions"

    id: Mapped[uuid.UUID] = uuid_pk()
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    membership_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime.datetime]
    expires_at: Mapped[datetime.datetime]
    ended_at: Mapped[datetime.datetime | None]


class ApiToken(Base):
    """A token for programs, acting as one membership with a subset of its permissions.

    Only the SHA-256 of the token is stored; the token itself is shown once.
    """

    __tablename__ = "api_tokens"

    id: Mapped[uuid.UUID] = uuid_pk()
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    membership_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE")
    )
    scopes: Mapped[list[str]] = mapped_column(JSON, doc="permissions, e.g. ['footprint:read']")
    created_at: Mapped[datetime.datetime]
    expires_at: Mapped[datetime.datetime | None]
    revoked_at: Mapped[datetime.datetime | None]
    last_used_at: Mapped[datetime.datetime | None]


class Conflict(Base):
    """A verifier's declared conflict of interest with an enterprise: never assigned to it."""

    __tablename__ = "conflicts"
    __table_args__ = (UniqueConstraint("verifier_id", "enterprise_id"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    verifier_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"))
    enterprise_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"))
    reason: Mapped[str] = mapped_column(String(500))
    declared_at: Mapped[datetime.datetime]
