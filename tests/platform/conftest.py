"""Databases for the platform tests: every test runs on SQLite and on PostgreSQL.

PostgreSQL is the machine's server (``TANZUJI_TEST_POSTGRES_URL``, default
``postgresql+psycopg://postgres@127.0.0.1:5432/test``). Each test run works in a
schema of its own, dropped at the end. Where the server cannot be reached the
PostgreSQL tests are skipped, except in CI (``CI=true``), where that is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from tanzuji.store import Database, upgrade
from tests.platform.factories import World, make_world

POSTGRES_URL = os.environ.get(
    "TANZUJI_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BACKENDS = ["sqlite", "postgresql"]


def postgres_schema() -> Iterator[str]:
    """A fresh schema on the PostgreSQL server, dropped afterwards."""
    schema = f"tanzuji_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as exc:
        admin.dispose()
        message = f"PostgreSQL at {POSTGRES_URL} cannot be reached: {exc.orig}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; CI requires the PostgreSQL run")
        pytest.skip(message)
    try:
        yield schema
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def new_database(backend: str, folder: Path) -> Iterator[Database]:
    """A database with no tables yet: a SQLite file in ``folder``, or a fresh schema on the
    PostgreSQL server (dropped afterwards); disposed of when the caller is done."""
    if backend == "sqlite":
        database = Database(f"sqlite:///{folder / 'tanzuji.db'}")
        yield database
        database.dispose()
    else:
        for schema in postgres_schema():
            database = Database(POSTGRES_URL, schema=schema)
            yield database
            database.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def empty_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """A database with no tables yet, on each backend."""
    yield from new_database(request.param, tmp_path_factory.mktemp("db"))


@pytest.fixture(scope="session")
def database(empty_database: Database) -> Database:
    """The database migrated to the newest schema, once per test run and backend."""
    upgrade(empty_database)
    return empty_database


@pytest.fixture(params=BACKENDS)
def unmigrated_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A database of the test's own with no tables yet, on each backend, for tests whose
    transactions commit for real."""
    yield from new_database(request.param, tmp_path)


@pytest.fixture
def own_database(unmigrated_database: Database) -> Database:
    """A migrated database of the test's own, on each backend, for tests whose transactions
    commit for real (concurrency)."""
    upgrade(unmigrated_database)
    return unmigrated_database


@pytest.fixture
def session(database: Database) -> Iterator[Session]:
    """A session whose every commit lands in a savepoint, all rolled back after the test."""
    connection = database.engine.connect()
    outer = connection.begin()
    session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()


@pytest.fixture
def world(session: Session) -> World:
    """A small province in the test's own transaction."""
    return make_world(session)
