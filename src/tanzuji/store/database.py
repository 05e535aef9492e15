"""The connection to the database: SQLite (embedded default) or PostgreSQL.

SQLite runs in WAL mode with foreign keys enforced and a busy timeout, so that
one machine can serve a province's readers while a writer commits. PostgreSQL is
reached with psycopg 3 (``postgresql+psycopg://``). Nothing outside ``store``
speaks SQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from tanzuji.errors import StoreError

__all__ = ["Database"]


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA busy_timeout = 5000")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


class Database:
    """An engine and its sessions for one database URL.

    ``schema`` (PostgreSQL only) puts every table in that schema, e.g. one per test run.
    """

    def __init__(self, url: str, schema: str | None = None) -> None:
        self.url = url
        self.schema = schema
        parsed = make_url(url)
        options: dict[str, Any] = {}
        if parsed.get_backend_name() == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        elif schema is not None:
            options["connect_args"] = {"options": f"-csearch_path={schema}"}
        try:
            self.engine: Engine = create_engine(url, **options)
        except (SQLAlchemyError, ImportError) as exc:
            raise StoreError(f"cannot use database {parsed.render_as_string()}: {exc}") from exc
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session in one transaction: committed if the block succeeds, else rolled back."""
        with self.sessions.begin() as session:
            yield session

    def ping(self) -> None:
        """Raise :class:`StoreError` unless the database answers."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError as exc:
            raise StoreError(
                f"database {self.engine.url.render_as_string()} does not answer: {exc}"
            ) from exc

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
