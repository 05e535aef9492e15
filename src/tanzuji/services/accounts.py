"""Organizations, users, memberships, sign-in sessions and API tokens."""

from __future__ import annotations

import datetime
import re
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tanzuji.access import ORGANIZATION_ROLES, PERMISSIONS, OrganizationKind, Permission, Role
from tanzuji.errors import InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from tanzuji.services.audit import record
from tanzuji.services.context import Actor, Context
from tanzuji.services.rows import add_unique
from tanzuji.services.secrets import (
    check_password_rules,
    hash_password,
    hash_token,
    new_token,
    password_matches,
)
from tanzuji.store.models import ApiToken, LoginSession, Membership, Organization, User
from tanzuji.uscc import validate_uscc

__all__ = ["AccountService", "IssuedToken", "SignIn", "actor_for"]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DUMMY_HASH = hash_password("a password nobody has")  # equal work for unknown e-mail addresses


@dataclass(frozen=True)
class SignIn:
    """A new browser session: the cookie token and the CSRF token (both shown once)."""

    token: str
    csrf_token: str
    expires_at: datetime.datetime
    actor: Actor


@dataclass(frozen=True)
class IssuedToken:
    """A new API token: ``token`` is shown once and never stored."""

    id: uuid.UUID
    token: str
    scopes: tuple[str, ...]


def actor_for(membership: Membership, scopes: Iterable[str] | None = None) -> Actor:
    """The actor a membership makes, narrowed to ``scopes`` when it acts through a token."""
    allowed = PERMISSIONS[membership.role]
    if scopes is not None:
        allowed = allowed & {Permission(scope) for scope in scopes}
    return Actor(
        user_id=membership.user_id,
        organization_id=membership.organization_id,
        organization_kind=membership.organization.kind,
        role=membership.role,
        permissions=frozenset(allowed),
        via_token=scopes is not None,
    )


class AccountService:
    """Use cases of organizations and accounts, for the acting user of ``context``."""

    def __init__(self, session: Session, context: Context) -> None:
        self.session = session
        self.context = context

    # organizations -----------------------------------------------------------------------

    def create_organization(
        self,
        kind: OrganizationKind,
        name_zh: str,
        *,
        name_en: str = "",
        uscc: str | None = None,
        county: str = "",
        industry: str = "",
        may_propose_factors: bool = False,
    ) -> Organization:
        """Register an organization (the regulator, or the operator at the command line)."""
        if not self.context.operator:
            self.context.require(Permission.ORGANIZATION_MANAGE)
        if not name_zh.strip():
            raise InvalidInput("an organization needs a Chinese name", field="name_zh")
        code = None
        if uscc:
            try:
                code = validate_uscc(uscc)
            except ValueError as exc:
                raise InvalidInput(f"unified social credit code: {exc}", field="uscc") from exc
        elif kind is OrganizationKind.ENTERPRISE:
            raise InvalidInput(
                "an enterprise is identified by its unified social credit code", field="uscc"
            )
        if may_propose_factors and kind is not OrganizationKind.RESEARCH_INSTITUTE:
            raise InvalidInput(
                "only a research institute may be authorized to propose factors",
                field="may_propose_factors",
            )
        organization = Organization(
            kind=kind,
            name_zh=name_zh.strip(),
            name_en=name_en.strip(),
            uscc=code,
            county=county,
            industry=industry,
            may_propose_factors=may_propose_factors,
            created_at=self.context.now(),
        )
        add_unique(
            self.session, organization, "uscc", f"an organization with code {code} exists already"
        )
        record(
            self.session,
            self.context,
            "organization.create",
            "organization",
            organization.id,
            kind=kind.value,
            name=organization.name_zh,
        )
        return organization

    def organization(self, organization_id: uuid.UUID) -> Organization:
        """An organization by id (its public facts; anyone may look it up)."""
        found = self.session.get(Organization, organization_id)
        if found is None:
            raise NotFound(f"no organization {organization_id}", field="organization_id")
        return found

    def organizations(self, kind: OrganizationKind | None = None) -> list[Organization]:
        """All organizations, or those of one kind, by name."""
        query = select(Organization).order_by(Organization.name_zh)
        if kind is not None:
            query = query.where(Organization.kind == kind)
        return list(self.session.scalars(query))

    # users and memberships -----------------------------------------------------------------

    def create_user(
        self, email: str, display_name: str, password: str, *, locale: str = "zh"
    ) -> User:
        """A new account (the regulator, an organization's admin, or the operator)."""
        if not self.context.operator:
            self.context.require(Permission.MEMBER_MANAGE)
        address = email.strip().lower()
        if not _EMAIL.match(address):
            raise InvalidInput(f"{email!r} is not an e-mail address", field="email")
        if problem := check_password_rules(password):
            raise InvalidInput(problem, field="password")
        if locale not in ("zh", "en"):
            raise InvalidInput("locale is zh or en", field="locale")
        user = User(
            email=address,
            display_name=display_name.strip() or address,
            password_hash=hash_password(password),
            locale=locale,
            active=True,
            created_at=self.context.now(),
        )
        add_unique(self.session, user, "email", f"an account for {address} exists already")
        record(self.session, self.context, "user.create", "user", user.id, email=address)
        return user

    def add_member(self, user_id: uuid.UUID, organization_id: uuid.UUID, role: Role) -> Membership:
        """Give a user a role in an organization. An enterprise admin adds to its own
        organization; the regulator to any; the operator to any."""
        organization = self.organization(organization_id)
        if not self.context.operator:
            actor = self.context.require(Permission.MEMBER_MANAGE)
            if actor.role is not Role.REGULATOR and actor.organization_id != organization_id:
                raise PermissionDenied("an admin adds members to its own organization only")
        if role not in ORGANIZATION_ROLES[organization.kind]:
            allowed = ", ".join(sorted(r.value for r in ORGANIZATION_ROLES[organization.kind]))
            raise InvalidInput(
                f"a member of a {organization.kind.value} may be {allowed}, not {role.value}",
                field="role",
            )
        if self.session.get(User, user_id) is None:
            raise NotFound(f"no user {user_id}", field="user_id")
        membership = Membership(user_id=user_id, organization_id=organization_id, role=role)
        add_unique(
            self.session, membership, "user_id", "the user is a member of this organization already"
        )
        record(
            self.session,
            self.context,
            "membership.create",
            "membership",
            membership.id,
            user_id=str(user_id),
            organization_id=str(organization_id),
            role=role.value,
        )
        return membership

    def memberships(self, user_id: uuid.UUID) -> list[Membership]:
        """The organizations a user belongs to, with the role in each."""
        query = select(Membership).where(Membership.user_id == user_id)
        return list(self.session.scalars(query))

    # sessions ---------------------------------------------------------------------------

    def sign_in(
        self,
        email: str,
        password: str,
        *,
        hours: float,
        organization_id: uuid.UUID | None = None,
    ) -> SignIn:
        """Check the password and open a browser session acting for one membership."""
        user = self.session.scalar(select(User).where(User.email == email.strip().lower()))
        if user is None:
            password_matches(_DUMMY_HASH, password)
            raise NotAuthenticated("wrong e-mail address or password")
        if not password_matches(user.password_hash, password) or not user.active:
            raise NotAuthenticated("wrong e-mail address or password")
        membership = self._membership_of(user, organization_id)
        token, csrf = new_token("tzs"), secrets.token_urlsafe(32)
        now = self.context.now()
        login = LoginSession(
            token_hash=hash_token(token),
            csrf_token=csrf,
            user_id=user.id,
            membership_id=membership.id,
            created_at=now,
            expires_at=now + datetime.timedelta(hours=hours),
            ended_at=None,
        )
        self.session.add(login)
        self.session.flush()
        actor = actor_for(membership)
        record(self.session, Context(actor, self.context.clock), "session.start", "user", user.id)
        return SignIn(token, csrf, login.expires_at, actor)

    def _membership_of(self, user: User, organization_id: uuid.UUID | None) -> Membership:
        memberships = self.memberships(user.id)
        if organization_id is not None:
            memberships = [m for m in memberships if m.organization_id == organization_id]
        if not memberships:
            raise PermissionDenied("this account belongs to no organization (ask its admin)")
        if len(memberships) > 1:
            names = ", ".join(str(m.organization_id) for m in memberships)
            raise InvalidInput(
                f"the account belongs to several organizations; choose one of {names}",
                field="organization_id",
            )
        return memberships[0]

    def session_actor(self, token: str) -> tuple[Actor, str]:
        """The actor of a browser session and its CSRF token; :class:`NotAuthenticated`
        if the session is unknown, ended or expired."""
        login = self.session.scalar(
            select(LoginSession).where(LoginSession.token_hash == hash_token(token))
        )
        if login is None or login.ended_at is not None or login.expires_at <= self.context.now():
            raise NotAuthenticated("the session has ended; sign in again")
        membership = self.session.get(Membership, login.membership_id)
        user = self.session.get(User, login.user_id)
        if membership is None or user is None or not user.active:
            raise NotAuthenticated("the session has ended; sign in again")
        return actor_for(membership), login.csrf_token

    def sign_out(self, token: str) -> None:
        """End a browser session (ending an unknown one is not an error)."""
        login = self.session.scalar(
            select(LoginSession).where(LoginSession.token_hash == hash_token(token))
        )
        if login is not None and login.ended_at is None:
            login.ended_at = self.context.now()
            record(self.session, self.context, "session.end", "user", login.user_id)

    def change_password(self, old: str, new: str) -> None:
        """The acting user's new password; every other session of the user ends."""
        if self.context.actor is None:
            raise NotAuthenticated("sign in to change your password")
        user = self.session.get(User, self.context.actor.user_id)
        assert user is not None
        if not password_matches(user.password_hash, old):
            raise InvalidInput("the current password is wrong", field="old_password")
        if problem := check_password_rules(new):
            raise InvalidInput(problem, field="new_password")
        user.password_hash = hash_password(new)
        for login in self.session.scalars(
            select(LoginSession).where(
                LoginSession.user_id == user.id, LoginSession.ended_at.is_(None)
            )
        ):
            login.ended_at = self.context.now()
        record(self.session, self.context, "user.password", "user", user.id)

    # API tokens ---------------------------------------------------------------------------

    def create_token(
        self,
        name: str,
        scopes: Iterable[str],
        *,
        expires_at: datetime.datetime | None = None,
    ) -> IssuedToken:
        """A token for programs, acting as the current membership with at most its permissions."""
        actor = self.context.require(Permission.TOKEN_MANAGE)
        if actor.via_token:
            raise PermissionDenied("a token cannot make tokens; sign in")
        wanted = sorted(set(scopes))
        unknown = [s for s in wanted if s not in {p.value for p in Permission}]
        if unknown:
            raise InvalidInput(f"unknown scopes: {', '.join(unknown)}", field="scopes")
        beyond = [s for s in wanted if Permission(s) not in actor.permissions]
        if beyond:
            raise InvalidInput(
                f"a {actor.role.value} cannot grant {', '.join(beyond)}", field="scopes"
            )
        if not wanted:
            raise InvalidInput("give at least one scope", field="scopes")
        if expires_at is not None and expires_at <= self.context.now():
            raise InvalidInput("the expiry is in the past", field="expires_at")
        membership = self._acting_membership(actor)
        token = new_token("tzj")
        stored = ApiToken(
            token_hash=hash_token(token),
            name=name.strip() or "token",
            membership_id=membership.id,
            scopes=wanted,
            created_at=self.context.now(),
            expires_at=expires_at,
            revoked_at=None,
            last_used_at=None,
        )
        self.session.add(stored)
        self.session.flush()
        record(self.session, self.context, "token.create", "api_token", stored.id, scopes=wanted)
        return IssuedToken(stored.id, token, tuple(wanted))

    def tokens(self) -> list[ApiToken]:
        """The acting user's tokens in the current organization (hashes never leave)."""
        actor = self.context.require(Permission.TOKEN_MANAGE)
        membership = self._acting_membership(actor)
        query = select(ApiToken).where(ApiToken.membership_id == membership.id)
        return list(self.session.scalars(query.order_by(ApiToken.created_at, ApiToken.name)))

    def revoke_token(self, token_id: uuid.UUID) -> None:
        """Revoke one of the acting user's tokens at once."""
        actor = self.context.require(Permission.TOKEN_MANAGE)
        stored = self.session.get(ApiToken, token_id)
        if stored is None or stored.membership_id != self._acting_membership(actor).id:
            raise NotFound(f"no token {token_id}", field="token_id")
        if stored.revoked_at is None:
            stored.revoked_at = self.context.now()
            record(self.session, self.context, "token.revoke", "api_token", stored.id)

    def token_actor(self, token: str) -> Actor:
        """The actor a program acts as with ``token``; :class:`NotAuthenticated` if unknown,
        revoked or expired."""
        stored = self.session.scalar(
            select(ApiToken).where(ApiToken.token_hash == hash_token(token))
        )
        now = self.context.now()
        if (
            stored is None
            or stored.revoked_at is not None
            or (stored.expires_at is not None and stored.expires_at <= now)
        ):
            raise NotAuthenticated("the API token is unknown, revoked or expired")
        membership = self.session.get(Membership, stored.membership_id)
        assert membership is not None
        stored.last_used_at = now
        return actor_for(membership, stored.scopes)

    # helpers ------------------------------------------------------------------------------

    def _acting_membership(self, actor: Actor) -> Membership:
        membership = self.session.scalar(
            select(Membership).where(
                Membership.user_id == actor.user_id,
                Membership.organization_id == actor.organization_id,
            )
        )
        if membership is None:
            raise NotAuthenticated("the membership behind this session no longer exists")
        return membership
