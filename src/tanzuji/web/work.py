"""One request's unit of work: a transaction, and the acting user resolved inside it.

The acting user comes from ``Authorization: Bearer <API token>``, or from the session cookie
set at sign-in; a request that changes something with a cookie must carry the session's CSRF
token in ``X-CSRF-Token``, so another site cannot make a browser act for its user.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass

from fastapi import Request
from sqlalchemy.orm import Session

from tanzuji.errors import NotAuthenticated, PermissionDenied
from tanzuji.services.accounts import AccountService
from tanzuji.services.context import Context
from tanzuji.services.keys import DeploymentKeys
from tanzuji.services.ledger import LedgerService
from tanzuji.settings import Settings

__all__ = ["SESSION_COOKIE", "Sessions", "Work", "keys_of", "settings_of", "unit_of_work"]

SESSION_COOKIE = "tanzuji_session"
Sessions = Callable[[], AbstractContextManager[Session]]
"""Where units of work get their transaction: ``Database.transaction`` (tests pass their own)."""
_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Work:
    """The session and the context of one request, and the CSRF token of its browser session
    (for the forms a page renders)."""

    session: Session
    context: Context
    csrf_token: str | None = None


def _context(
    request: Request, session: Session, form_csrf: str | None
) -> tuple[Context, str | None]:
    clock = request.app.state.clock
    accounts = AccountService(session, Context(None, clock))
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthenticated("use 'Authorization: Bearer <token>'")
        return Context(accounts.token_actor(token.strip()), clock), None
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return Context(None, clock), None
    actor, csrf = accounts.session_actor(cookie)
    if request.method not in _SAFE:
        sent = request.headers.get("x-csrf-token") or form_csrf or ""
        if not hmac.compare_digest(sent.encode(), csrf.encode()):
            raise PermissionDenied("missing or wrong CSRF token (send X-CSRF-Token)")
    return Context(actor, clock), csrf


@contextmanager
def unit_of_work(request: Request, form_csrf: str | None = None) -> Iterator[Work]:
    """A transaction with the acting user: committed when the block ends, rolled back if it
    raises. A page's form posts its CSRF token as ``form_csrf``; programs send the header.
    If the work appended to the ledger, a tree head is signed before the commit."""
    sessions: Sessions = request.app.state.sessions
    with sessions() as session:
        context, csrf = _context(request, session, form_csrf)
        yield Work(session, context, csrf)
        LedgerService(session, context).sign_tree_head(keys_of(request).log)


def settings_of(request: Request) -> Settings:
    """The deployment's settings."""
    settings: Settings = request.app.state.settings
    return settings


def keys_of(request: Request) -> DeploymentKeys:
    """The deployment's signing keys (the ledger's log key, the certificates' issuer key)."""
    keys: DeploymentKeys = request.app.state.keys
    return keys
