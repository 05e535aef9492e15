"""Structured logs: one JSON object a line, and one access line per request.

Every line carries ``time`` (UTC, ISO 8601), ``level``, ``logger`` and ``message``; access
lines add ``method``, ``path``, ``status``, ``ms`` and a ``request_id`` that is also sent back
in the ``X-Request-ID`` header, so a user's report can be found in the log.
"""

from __future__ import annotations

import datetime
import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request, Response

__all__ = ["JsonFormatter", "configure_logging", "log_requests"]

access = logging.getLogger("tanzuji.access")
_FIELDS = ("method", "path", "status", "ms", "request_id")


class JsonFormatter(logging.Formatter):
    """A log record as one line of JSON."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({key: getattr(record, key) for key in _FIELDS if hasattr(record, key)})
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def configure_logging(level: int = logging.INFO) -> None:
    """Send every log line, uvicorn's included, to standard error as JSON."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True


def log_requests(app: FastAPI) -> None:
    """Log one access line per request and tag the response with its request id."""

    @app.middleware("http")
    async def _access(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        request_id = request.headers.get("x-request-id") or uuid.uuid4().hex[:16]
        started = time.perf_counter()
        response = await call_next(request)
        elapsed = round((time.perf_counter() - started) * 1000, 1)
        response.headers["X-Request-ID"] = request_id
        fields = {
            "method": request.method,
            "path": request.url.path,
            "status": response.status_code,
            "ms": elapsed,
            "request_id": request_id,
        }
        access.info(
            "%s %s %s", request.method, request.url.path, response.status_code, extra=fields
        )
        return response
