"""Signing in and out, the acting user, API tokens, organizations and users."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from tanzuji.access import OrganizationKind, Role
from tanzuji.errors import NotAuthenticated
from tanzuji.services.accounts import AccountService
from tanzuji.web.api.render import membership_json, organization_json, token_json, user_json
from tanzuji.web.work import SESSION_COOKIE, settings_of, unit_of_work

router = APIRouter(tags=["accounts"])


class SignInRequest(BaseModel):
    email: str
    password: str
    organization_id: uuid.UUID | None = None


class PasswordChange(BaseModel):
    old_password: str
    new_password: str


class TokenRequest(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    scopes: list[str]
    expires_at: datetime.datetime | None = None


class OrganizationRequest(BaseModel):
    kind: OrganizationKind
    name_zh: str
    name_en: str = ""
    uscc: str | None = None
    county: str = ""
    industry: str = ""
    may_propose_factors: bool = False


class UserRequest(BaseModel):
    email: str
    display_name: str
    password: str
    organization_id: uuid.UUID
    role: Role
    locale: str = "zh"


@router.post("/auth/sign-in")
def sign_in(body: SignInRequest, request: Request, response: Response) -> dict[str, Any]:
    """Open a browser session: sets an HTTP-only cookie and returns the CSRF token."""
    settings = settings_of(request)
    with unit_of_work(request) as work:
        signed = AccountService(work.session, work.context).sign_in(
            body.email,
            body.password,
            hours=settings.session_hours,
            organization_id=body.organization_id,
        )
    response.set_cookie(
        SESSION_COOKIE,
        signed.token,
        max_age=int(settings.session_hours * 3600),
        httponly=True,
        secure=settings.cookie_secure,
        samesite="lax",
        path="/",
    )
    return {
        "user_id": str(signed.actor.user_id),
        "organization_id": str(signed.actor.organization_id),
        "role": signed.actor.role.value,
        "csrf_token": signed.csrf_token,
        "expires_at": signed.expires_at.isoformat(),
    }


@router.post("/auth/sign-out", status_code=204)
def sign_out(request: Request, response: Response) -> None:
    """End the browser session (a request without one is fine)."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        with unit_of_work(request) as work:
            AccountService(work.session, work.context).sign_out(token)
    response.delete_cookie(SESSION_COOKIE, path="/")


@router.get("/auth/me")
def me(request: Request) -> dict[str, Any]:
    """Who is acting, for which organization, with which permissions."""
    with unit_of_work(request) as work:
        actor = work.context.actor
        if actor is None:
            raise NotAuthenticated("nobody is signed in")
        accounts = AccountService(work.session, work.context)
        return {
            "user_id": str(actor.user_id),
            "organization": organization_json(accounts.organization(actor.organization_id)),
            "role": actor.role.value,
            "permissions": sorted(p.value for p in actor.permissions),
            "via_token": actor.via_token,
        }


@router.post("/auth/password", status_code=204)
def change_password(body: PasswordChange, request: Request) -> None:
    """Change the acting user's password; other sessions end."""
    with unit_of_work(request) as work:
        AccountService(work.session, work.context).change_password(
            body.old_password, body.new_password
        )


@router.get("/tokens")
def tokens(request: Request) -> dict[str, Any]:
    """The acting user's API tokens (never the tokens themselves)."""
    with unit_of_work(request) as work:
        return {
            "items": [token_json(t) for t in AccountService(work.session, work.context).tokens()]
        }


@router.post("/tokens", status_code=201)
def create_token(body: TokenRequest, request: Request) -> dict[str, Any]:
    """A new API token; the token is in this response only."""
    with unit_of_work(request) as work:
        issued = AccountService(work.session, work.context).create_token(
            body.name, body.scopes, expires_at=body.expires_at
        )
    return {"id": str(issued.id), "token": issued.token, "scopes": list(issued.scopes)}


@router.delete("/tokens/{token_id}", status_code=204)
def revoke_token(token_id: uuid.UUID, request: Request) -> None:
    """Revoke an API token at once."""
    with unit_of_work(request) as work:
        AccountService(work.session, work.context).revoke_token(token_id)


@router.get("/organizations")
def organizations(request: Request, kind: OrganizationKind | None = None) -> dict[str, Any]:
    """Organizations (their public facts), optionally of one kind."""
    with unit_of_work(request) as work:
        found = AccountService(work.session, work.context).organizations(kind)
        return {"items": [organization_json(o) for o in found]}


@router.post("/organizations", status_code=201)
def create_organization(body: OrganizationRequest, request: Request) -> dict[str, Any]:
    """Register an organization (the regulator)."""
    with unit_of_work(request) as work:
        made = AccountService(work.session, work.context).create_organization(
            body.kind,
            body.name_zh,
            name_en=body.name_en,
            uscc=body.uscc,
            county=body.county,
            industry=body.industry,
            may_propose_factors=body.may_propose_factors,
        )
        return organization_json(made)


@router.get("/organizations/{organization_id}")
def organization(organization_id: uuid.UUID, request: Request) -> dict[str, Any]:
    """One organization's public facts."""
    with unit_of_work(request) as work:
        return organization_json(
            AccountService(work.session, work.context).organization(organization_id)
        )


@router.post("/users", status_code=201)
def create_user(body: UserRequest, request: Request) -> dict[str, Any]:
    """A new account with its role in one organization (an admin for its own, or the
    regulator)."""
    with unit_of_work(request) as work:
        accounts = AccountService(work.session, work.context)
        user = accounts.create_user(
            body.email, body.display_name, body.password, locale=body.locale
        )
        membership = accounts.add_member(user.id, body.organization_id, body.role)
        return {"user": user_json(user), "membership": membership_json(membership)}
