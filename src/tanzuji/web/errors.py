"""Errors become JSON ``{"code", "message", "field"}`` with the right HTTP status, in one place.

No stack trace ever reaches a client: an unexpected error is logged with its trace and
answered with a 500 that says only that something went wrong, and its reference.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from tanzuji.errors import (
    Conflict,
    Gone,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    PlatformError,
    StoreError,
    Tampered,
    TanzujiError,
    TooLarge,
)
from tanzuji.web.pages.render import N_, render

__all__ = ["STATUS", "install"]

log = logging.getLogger("tanzuji.web")

STATUS: dict[type[PlatformError], int] = {
    NotAuthenticated: 401,
    PermissionDenied: 403,
    NotFound: 404,
    Conflict: 409,
    Gone: 410,
    TooLarge: 413,
    InvalidInput: 422,
}
"""HTTP status of each refusal (subclasses take their parent's)."""


def _body(code: str, message: str, field: str | None, **extra: Any) -> dict[str, Any]:
    return {"code": code, "message": message, "field": field, **extra}


def _platform(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, PlatformError)
    status = next(code for kind, code in STATUS.items() if isinstance(exc, kind))
    extra = {"problems": exc.problems} if isinstance(exc, InvalidInput) and exc.problems else {}
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(
        _body(exc.code, exc.message, exc.field, **extra), status_code=status, headers=headers
    )


def _domain(_request: Request, exc: Exception) -> JSONResponse:
    if isinstance(exc, Tampered):
        log.error("tampered data: %s", exc)
        status, code = 500, "tampered"
    elif isinstance(exc, StoreError):
        status, code = 503, "unavailable"
    else:
        status, code = 422, "invalid"
    return JSONResponse(_body(code, str(exc), None), status_code=status)


def _validation(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = []
    for error in exc.errors():
        location = [str(part) for part in error["loc"] if part not in ("body", "query", "path")]
        problems.append({"field": ".".join(location) or "(body)", "message": error["msg"]})
    malformed = any(e["type"] == "json_invalid" for e in exc.errors())
    first = problems[0] if problems else {"field": None, "message": "invalid request"}
    return JSONResponse(
        _body(
            "malformed" if malformed else "invalid",
            f"{first['field']}: {first['message']}",
            first["field"],
            problems=problems,
        ),
        status_code=400 if malformed else 422,
    )


def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if not request.url.path.startswith("/api/") and exc.status_code == 404:
        return render(request, None, "error.html", N_("Not found"), 404, message=request.url.path)
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    return JSONResponse(_body(code, str(exc.detail), None), status_code=exc.status_code)


def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    reference = uuid.uuid4().hex[:12]
    log.error(
        "unexpected error %s on %s %s", reference, request.method, request.url.path, exc_info=exc
    )
    return JSONResponse(
        _body("internal", f"something went wrong (reference {reference})", None),
        status_code=500,
    )


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``."""
    app.add_exception_handler(PlatformError, _platform)
    app.add_exception_handler(TanzujiError, _domain)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)
