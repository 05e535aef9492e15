"""Who is acting, and when: the context every service is built with."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from tanzuji.access import OrganizationKind, Permission, Role
from tanzuji.errors import NotAuthenticated, PermissionDenied

__all__ = ["Actor", "Context", "utc_now"]


def utc_now() -> datetime.datetime:
    """The current time in UTC, timezone-aware."""
    return datetime.datetime.now(datetime.UTC)


@dataclass(frozen=True)
class Actor:
    """A signed-in user acting for one organization in one role.

    ``permissions`` is what the role allows, narrowed to a token's scopes when the
    user acts through an API token.
    """

    user_id: uuid.UUID
    organization_id: uuid.UUID
    organization_kind: OrganizationKind
    role: Role
    permissions: frozenset[Permission]
    via_token: bool = False


@dataclass(frozen=True)
class Context:
    """The acting user (``None`` for the public) and the clock of one request.

    ``operator`` marks the deployment's own operator at the command line (``tanzuji user
    create``, ``tanzuji demo load``): it may set up organizations and accounts, and nothing
    it does escapes the audit log.
    """

    actor: Actor | None
    clock: Callable[[], datetime.datetime] = field(default=utc_now)
    operator: bool = False

    @classmethod
    def public(cls) -> Context:
        """Nobody signed in."""
        return cls(actor=None)

    @classmethod
    def command_line(cls) -> Context:
        """The operator of the deployment, at the command line."""
        return cls(actor=None, operator=True)

    def now(self) -> datetime.datetime:
        return self.clock()

    def require(self, permission: Permission) -> Actor:
        """The actor, if it holds ``permission``; else :class:`NotAuthenticated` (nobody
        signed in) or :class:`PermissionDenied`."""
        if self.actor is None:
            raise NotAuthenticated(f"sign in to do this ({permission.value})")
        if permission not in self.actor.permissions:
            raise PermissionDenied(
                f"a {self.actor.role.value} may not do this ({permission.value})"
                + (" with this token" if self.actor.via_token else "")
            )
        return self.actor
