"""Signing in and out, the password, and the language switch."""

from __future__ import annotations

from urllib.parse import urlparse

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from tanzuji.errors import InvalidInput, NotAuthenticated, PermissionDenied
from tanzuji.services.accounts import AccountService
from tanzuji.web.i18n import LANGUAGE_COOKIE, LANGUAGES, Locale, language_of
from tanzuji.web.pages.render import page, render
from tanzuji.web.work import SESSION_COOKIE, Work, settings_of, unit_of_work

router = APIRouter(include_in_schema=False)


def _local(target: str) -> str:
    """``target`` if it is a path on this site, else ``/`` (no open redirects)."""
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@router.get("/sign-in")
def sign_in_page(request: Request, next: str = "/") -> Response:
    return render(request, None, "sign_in.html", "Sign in", next=_local(next), email="", error="")


@router.post("/sign-in")
def sign_in(
    request: Request,
    email: str = Form(""),
    password: str = Form(""),
    next: str = Form("/"),
) -> Response:
    settings = settings_of(request)
    locale = Locale(language_of(request))
    try:
        with unit_of_work(request) as work:
            signed = AccountService(work.session, work.context).sign_in(
                email, password, hours=settings.session_hours
            )
    except (NotAuthenticated, PermissionDenied, InvalidInput) as exc:
        message = (
            locale.gettext("Wrong e-mail address or password.")
            if isinstance(exc, NotAuthenticated)
            else exc.message
        )
        return render(
            request,
            None,
            "sign_in.html",
            "Sign in",
            401,
            next=_local(next),
            email=email,
            error=message,
        )
    response = RedirectResponse(_local(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        signed.token,
        max_age=int(settings.session_hours * 3600),
        httponly=True,
        secure=settings.cookie_secure,
        samesite="lax",
        path="/",
    )
    return response


@router.post("/sign-out")
def sign_out(request: Request, csrf_token: str = Form("")) -> Response:
    token = request.cookies.get(SESSION_COOKIE)

    def end(work: Work) -> Response:
        if token:
            AccountService(work.session, work.context).sign_out(token)
        response = RedirectResponse("/sign-in", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    return page(request, end, form_csrf=csrf_token)


@router.get("/password")
def password_page(request: Request) -> Response:
    def show(work: Work) -> Response:
        if work.context.actor is None:
            raise NotAuthenticated("sign in")
        return render(request, work, "password.html", "Change password", errors={}, done=False)

    return page(request, show)


@router.post("/password")
def change_password(
    request: Request,
    old_password: str = Form(""),
    new_password: str = Form(""),
    csrf_token: str = Form(""),
) -> Response:
    def change(work: Work) -> Response:
        try:
            with work.session.begin_nested():
                AccountService(work.session, work.context).change_password(
                    old_password, new_password
                )
        except InvalidInput as exc:
            errors = {exc.field or "new_password": exc.message}
            return render(
                request, work, "password.html", "Change password", 422, errors=errors, done=False
            )
        return render(request, work, "password.html", "Change password", errors={}, done=True)

    return page(request, change, form_csrf=csrf_token)


@router.post("/lang")
def switch_language(lang: str = Form("zh"), next: str = Form("/")) -> Response:
    """Remember the chosen language (a year) and go back to the page."""
    response = RedirectResponse(_local(next), status_code=303)
    if lang in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax")
    return response
