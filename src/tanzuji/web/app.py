"""The FastAPI application: ``create_app`` wires settings, database, errors and routes."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

import tanzuji
from tanzuji.services.context import utc_now
from tanzuji.services.keys import DeploymentKeys
from tanzuji.settings import Settings, load_settings
from tanzuji.store import Database
from tanzuji.web import api, errors, pages
from tanzuji.web.api import issuer
from tanzuji.web.logs import log_requests
from tanzuji.web.work import Sessions

__all__ = ["create_app"]


def create_app(
    settings: Settings | None = None,
    *,
    sessions: Sessions | None = None,
    clock: Callable[[], datetime.datetime] = utc_now,
) -> FastAPI:
    """The web application for ``settings`` (default: from the environment). ``sessions``
    replaces the database's transactions (tests run each in a rolled-back savepoint)."""
    settings = settings or load_settings()
    app = FastAPI(
        title="tanzuji 碳足迹",
        version=tanzuji.__version__,
        description="Product carbon footprints for Guizhou: GB/T 24067-2024 accounting, "
        "verification, factor sets.",
        openapi_url="/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.clock = clock
    app.state.keys = DeploymentKeys.of(settings)
    if sessions is None:
        database = Database(settings.url)
        app.state.database = database
        sessions = database.transaction
    app.state.sessions = sessions
    errors.install(app)
    log_requests(app)
    app.include_router(api.router)
    app.include_router(issuer.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    return app
