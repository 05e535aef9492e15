"""The declarative base of every table, and the column types they share.

Identifiers are random UUIDs, so a guessed id finds nothing. Times are stored in
UTC and always come back timezone-aware, on SQLite as on PostgreSQL. Constraint
names follow one convention so that migrations can name what they alter.
"""

from __future__ import annotations

import datetime
import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, Enum, MetaData, TypeDecorator, Uuid
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["Base", "UTCDateTime", "enum_of", "new_id", "uuid_pk"]

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime.datetime]):
    """A point in time, stored in UTC, read back timezone-aware; naive times are refused."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(
        self,
        value: datetime.datetime | None,
        dialect: Dialect,  # noqa: ARG002 (SQLAlchemy's signature)
    ) -> datetime.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"a naive time {value} cannot be stored: give it a timezone")
        return value.astimezone(datetime.UTC)

    def process_result_value(
        self,
        value: datetime.datetime | None,
        dialect: Dialect,  # noqa: ARG002 (SQLAlchemy's signature)
    ) -> datetime.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=datetime.UTC) if value.tzinfo is None else value


class Base(DeclarativeBase):
    """Every tanzuji table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: dict[Any, Any] = {  # noqa: RUF012 (SQLAlchemy reads it as a class attribute)
        datetime.datetime: UTCDateTime(),
        uuid.UUID: Uuid(),
    }


def new_id() -> uuid.UUID:
    """A fresh random identifier (UUID version 4)."""
    return uuid.uuid4()


def uuid_pk() -> Mapped[uuid.UUID]:
    """A primary key column holding a random UUID."""
    return mapped_column(primary_key=True, default=new_id)


def enum_of(kind: type[StrEnum]) -> Enum:
    """A column type storing a :class:`StrEnum` by its value (``'enterprise'``), as text with a
    check of the allowed values in Python, so new values need no database type change."""
    return Enum(
        kind,
        native_enum=False,
        length=32,
        validate_strings=True,
        values_callable=lambda members: [member.value for member in members],
    )
