"""Migrations: from nothing to the newest schema and back, and never adrift from the models."""

from __future__ import annotations

from sqlalchemy import inspect

from tanzuji.store import Database, current_revision, downgrade, drift, head_revision, upgrade
from tanzuji.store.models import Base


def test_up_from_empty_down_to_nothing_and_up_again(empty_database: Database) -> None:
    downgrade(empty_database, "base")
    assert current_revision(empty_database) is None
    upgrade(empty_database)
    assert current_revision(empty_database) == head_revision()
    tables = set(inspect(empty_database.engine).get_table_names())
    assert tables >= set(Base.metadata.tables)
    downgrade(empty_database, "base")
    assert set(inspect(empty_database.engine).get_table_names()) <= {"alembic_version"}
    upgrade(empty_database)


def test_the_models_and_the_migrations_agree(database: Database) -> None:
    assert drift(database) == []
