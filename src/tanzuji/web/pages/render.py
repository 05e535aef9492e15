"""Rendering pages: the template, the language, the acting user and the navigation of its role.

A page handler builds its context inside one unit of work through :func:`page`; a refusal
becomes a page of its own (sign-in for nobody signed in, 403 and 404 pages otherwise), in the
visitor's language, never a stack trace.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from tanzuji.access import Permission, Role
from tanzuji.errors import (
    Conflict,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    PlatformError,
)
from tanzuji.services.accounts import AccountService
from tanzuji.services.context import Actor
from tanzuji.web.i18n import Locale, language_of
from tanzuji.web.work import Work, unit_of_work
from tanzuji.workflow import Status

__all__ = ["N_", "NavItem", "navigation", "page", "render", "status_label", "templates"]

templates = Jinja2Templates(directory=Path(__file__).parents[1] / "templates")


def N_(message: str) -> str:  # noqa: N802 (gettext's name for "translate later")
    """Mark ``message`` for the catalogue; it is translated where it is shown."""
    return message


ROLE_LABELS = {
    Role.ENTERPRISE_ADMIN: N_("Enterprise administrator"),
    Role.ENTERPRISE_USER: N_("Enterprise user"),
    Role.VERIFIER: N_("Verifier"),
    Role.CERTIFIER: N_("Certifier"),
    Role.REGULATOR: N_("Regulator"),
    Role.DATA_PARTNER: N_("Data partner"),
    Role.BUYER: N_("Buyer"),
}


STATUS_LABELS = {
    Status.DRAFT: N_("Draft"),
    Status.CALCULATED: N_("Calculated"),
    Status.SUBMITTED: N_("Submitted"),
    Status.UNDER_VERIFICATION: N_("Under verification"),
    Status.VERIFIED: N_("Verified"),
    Status.RETURNED: N_("Returned"),
}


def status_label(status: Status | str, locale: Locale) -> str:
    """A workflow status in the visitor's language."""
    return locale.gettext(STATUS_LABELS[Status(status)])


@dataclass(frozen=True)
class NavItem:
    href: str
    label: str
    current: bool


def _may(permission: Permission) -> Callable[[Actor], bool]:
    return lambda actor: permission in actor.permissions


_NAV: tuple[tuple[str, str, Callable[[Actor], bool]], ...] = (
    ("/", N_("Dashboard"), _may(Permission.PUBLIC_READ)),
    ("/submissions", N_("Submissions"), _may(Permission.SUBMISSION_READ)),
    ("/sharing", N_("Data sharing"), _may(Permission.GRANT_MANAGE)),
    ("/cases", N_("Verification cases"), _may(Permission.CASE_REVIEW)),
    ("/certification", N_("Certification applications"), _may(Permission.CERTIFICATE_DECIDE)),
    ("/certificates", N_("Issued certificates"), _may(Permission.CERTIFICATE_DECIDE)),
    ("/overview", N_("Province overview"), _may(Permission.OVERSIGHT_READ)),
    ("/grading", N_("Graded management"), _may(Permission.OVERSIGHT_READ)),
    ("/factor-sets", N_("Factor sets"), _may(Permission.FACTOR_PUBLISH)),
    ("/audit", N_("Audit log"), _may(Permission.AUDIT_READ)),
    ("/shared", N_("Shared footprints"), _may(Permission.SHARED_READ)),
    ("/registry", N_("Public registry"), _may(Permission.PUBLIC_READ)),
    ("/password", N_("Password"), _may(Permission.TOKEN_MANAGE)),
)
"""Every page in the navigation, with who sees it (buyers screen over public data: the public
registry, which the header links for visitors who are signed out)."""


def navigation(actor: Actor | None, locale: Locale, path: str) -> list[NavItem]:
    """The pages the actor's role may open, in the visitor's language."""
    if actor is None:
        return []
    return [
        NavItem(href, locale.gettext(label), path == href)
        for href, label, shown in _NAV
        if shown(actor)
    ]


def render(
    request: Request,
    work: Work | None,
    template: str,
    title: str,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """``template`` with the common context: translation, formatting, actor, navigation."""
    locale = Locale(language_of(request))
    actor = work.context.actor if work else None
    organization_name = ""
    if work is not None and actor is not None:
        organization = AccountService(work.session, work.context).organization(
            actor.organization_id
        )
        organization_name = (
            organization.name_zh
            if locale.language == "zh"
            else (organization.name_en or organization.name_zh)
        )
    return templates.TemplateResponse(
        request,
        template,
        {
            "_": locale.gettext,
            "locale": locale,
            "lang": locale.language,
            "title": locale.gettext(title),
            "actor": actor,
            "organization_name": organization_name,
            "role_label": locale.gettext(ROLE_LABELS[actor.role]) if actor else "",
            "nav": navigation(actor, locale, request.url.path),
            "csrf_token": work.csrf_token if work else "",
            **context,
        },
        status_code=status_code,
    )


def page(
    request: Request,
    build: Callable[[Work], Response],
    *,
    form_csrf: str | None = None,
) -> Response:
    """Run ``build`` in one unit of work; a refusal becomes the page that says so."""
    try:
        with unit_of_work(request, form_csrf) as work:
            return build(work)
    except NotAuthenticated:
        return RedirectResponse(f"/sign-in?next={request.url.path}", status_code=303)
    except (PermissionDenied, NotFound, Conflict, InvalidInput, PlatformError) as exc:
        status = {PermissionDenied: 403, NotFound: 404, Conflict: 409}.get(type(exc), 422)
        title = {403: N_("Not allowed"), 404: N_("Not found"), 409: N_("Changed meanwhile")}.get(
            status, N_("Cannot do this")
        )
        return _error_page(request, status, title, exc.message)


def _error_page(request: Request, status: int, title: str, message: str) -> HTMLResponse:
    try:
        with unit_of_work(request) as work:
            return render(request, work, "error.html", title, status, message=message)
    except PlatformError:
        return render(request, None, "error.html", title, status, message=message)
