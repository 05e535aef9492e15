"""An HTTP client for the API tests, on the test's own rolled-back transaction."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tanzuji.access import PERMISSIONS
from tanzuji.services.accounts import AccountService
from tanzuji.settings import Settings
from tanzuji.web.app import create_app
from tests.platform.factories import World

DATA_DIR = Path(tempfile.mkdtemp(prefix="tanzuji-test-data-"))
"""The test apps' data directory (evidence files, signing keys), unless a test gives its own."""


def client_for(world: World, **settings: Any) -> TestClient:
    """A client of an app whose every unit of work is a savepoint of the test's session."""
    session: Session = world.session

    @contextmanager
    def sessions() -> Iterator[Session]:
        with session.begin_nested():
            yield session

    settings.setdefault("data_dir", DATA_DIR)
    app = create_app(Settings(**settings), sessions=sessions, clock=world.clock)
    return TestClient(app, base_url="https://testserver", raise_server_exceptions=False)


def bearer(world: World, who: str) -> dict[str, str]:
    """Headers acting as ``who`` through an API token with every permission of its role."""
    context = world.context(who)
    assert context.actor is not None
    scopes = sorted(p.value for p in PERMISSIONS[context.actor.role])
    issued = AccountService(world.session, context).create_token(f"test {who}", scopes)
    return {"Authorization": f"Bearer {issued.token}"}
