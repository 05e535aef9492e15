"""Adding a row that a unique constraint guards."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tanzuji.errors import Conflict

__all__ = ["add_unique"]


def add_unique(session: Session, row: object, field: str, message: str) -> None:
    """Add ``row``; a unique constraint it breaks becomes :class:`Conflict` on ``field``
    and leaves the session as it was (the savepoint's rollback drops the row)."""
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError as exc:
        raise Conflict(message, field=field) from exc
