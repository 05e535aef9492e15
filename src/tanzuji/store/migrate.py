"""Schema migrations with Alembic: upgrade, downgrade, and a check that models and
migrations agree (``make test`` runs it through the tests)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from tanzuji.store.database import Database
from tanzuji.store.models import Base

__all__ = ["current_revision", "downgrade", "drift", "head_revision", "upgrade"]

_SCRIPTS = Path(__file__).parent / "migrations"


def _config(connection: Any = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_SCRIPTS))
    config.attributes["connection"] = connection
    return config


def upgrade(database: Database, revision: str = "head") -> None:
    """Migrate ``database`` up to ``revision`` (default: the newest)."""
    with database.engine.begin() as connection:
        command.upgrade(_config(connection), revision)


def downgrade(database: Database, revision: str) -> None:
    """Migrate ``database`` down to ``revision`` (``base`` removes every table)."""
    with database.engine.begin() as connection:
        command.downgrade(_config(connection), revision)


def head_revision() -> str:
    """The newest migration's id."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None, "no migrations"
    return head


def current_revision(database: Database) -> str | None:
    """The revision ``database`` stands at, or ``None`` if it was never migrated."""
    with database.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def drift(database: Database) -> list[Any]:
    """What autogenerate would change to make ``database`` match the models (empty: none)."""
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def revise(database: Database, message: str) -> None:
    """Write a new migration for what the models changed (for developers: ``make migration``)."""
    with database.engine.begin() as connection:
        command.revision(_config(connection), message=message, autogenerate=True)
