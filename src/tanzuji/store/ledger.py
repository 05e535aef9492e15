"""The ledger's tables: entries, the perfect-subtree hashes of the Merkle tree, signed tree
heads, and the one row whose lock serializes appends.

An entry keeps its body as the canonical JSON text it was hashed with and its leaf hash;
``ledger_nodes`` keeps the hash of every complete perfect subtree of level 1 or more (written
as it completes: one row per entry on average), so any proof is one query away
(:func:`subtree_hashes`). Entries and nodes are written in batches, one ``INSERT`` executed
for many rows (:func:`insert_rows`), not as ORM objects: appending is the hot path. Nothing
here is ever updated or deleted by tanzuji, but the size in ``ledger_state``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    and_,
    insert,
    literal,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from tanzuji.errors import StoreError
from tanzuji.ledger.events import EventKind
from tanzuji.ledger.merkle import Subtree
from tanzuji.store.base import Base, enum_of

__all__ = [
    "LedgerEntryRow",
    "LedgerNode",
    "LedgerState",
    "LedgerTreeHead",
    "insert_rows",
    "lock_state",
    "subtree_hashes",
]


class LedgerEntryRow(Base):
    """One entry of the log, at its index (0, 1, 2, … without gaps)."""

    __tablename__ = "ledger_entries"

    index: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    kind: Mapped[EventKind] = mapped_column(enum_of(EventKind))
    recorded_at: Mapped[datetime.datetime] = mapped_column(doc="UTC, whole milliseconds")
    body: Mapped[str] = mapped_column(Text, doc="the body as RFC 8785 canonical JSON")
    leaf_hash: Mapped[bytes] = mapped_column(LargeBinary(32), doc="SHA-256(0x00 || leaf data)")


class LedgerNode(Base):
    """The hash of the complete perfect subtree ``(level, index)``, level ≥ 1: leaves
    ``index·2^level`` up to ``(index+1)·2^level``."""

    __tablename__ = "ledger_nodes"

    level: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    index: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    hash: Mapped[bytes] = mapped_column(LargeBinary(32))


class LedgerTreeHead(Base):
    """A signed tree head: the log key's Ed25519 signature over size, time and root."""

    __tablename__ = "ledger_tree_heads"

    tree_size: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    timestamp: Mapped[int] = mapped_column(BigInteger, doc="milliseconds since 1970 (UTC)")
    root_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    signature: Mapped[bytes] = mapped_column(LargeBinary(64))
    key_id: Mapped[str] = mapped_column(String(64), doc="SHA-256 of the raw public key, hex")


class LedgerState(Base):
    """The single row (``id`` 1, made by the migration) holding the log's size; appending
    locks it, so two transactions never take the same index."""

    __tablename__ = "ledger_state"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    size: Mapped[int] = mapped_column(BigInteger)


def lock_state(session: Session) -> LedgerState:
    """The state row (the log's size), locked until the transaction ends: ``SELECT … FOR
    UPDATE`` on PostgreSQL; on SQLite, which locks the whole database for a writer but only
    at its first write, a no-op ``UPDATE`` of the row first, so that the size read next
    cannot change. The size is written back through the ORM: set ``size`` as the log grows."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        connection.execute(
            update(LedgerState).where(LedgerState.id == 1).values(size=LedgerState.size)
        )
    query = (
        select(LedgerState)
        .where(LedgerState.id == 1)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    state = session.scalars(query).one_or_none()
    if state is None:
        raise StoreError("the ledger_state row is missing: run 'tanzuji db upgrade'")
    return state


def insert_rows(
    session: Session, entries: Sequence[dict[str, Any]], nodes: Sequence[dict[str, Any]]
) -> None:
    """Write entries (``index``, ``kind``, ``recorded_at``, ``body``, ``leaf_hash``) and
    Merkle nodes (``level``, ``index``, ``hash``), one ``INSERT`` executed for all rows of
    each table, in the session's transaction."""
    connection = session.connection()
    if entries:
        connection.execute(insert(LedgerEntryRow), entries)
    if nodes:
        connection.execute(insert(LedgerNode), nodes)


def subtree_hashes(session: Session, subtrees: Iterable[Subtree]) -> dict[Subtree, bytes]:
    """The stored hash of each perfect subtree that exists, in one query (level 0 from the
    entries' leaf hashes, higher levels from ``ledger_nodes``)."""
    wanted = list(subtrees)
    leaves = [index for level, index in wanted if level == 0]
    nodes = [(level, index) for level, index in wanted if level > 0]
    parts = []
    if leaves:
        parts.append(
            select(
                literal(0, SmallInteger).label("level"),
                LedgerEntryRow.index,
                LedgerEntryRow.leaf_hash.label("hash"),
            ).where(LedgerEntryRow.index.in_(leaves))
        )
    if nodes:
        parts.append(
            select(LedgerNode.level, LedgerNode.index, LedgerNode.hash).where(
                or_(*(and_(LedgerNode.level == lv, LedgerNode.index == ix) for lv, ix in nodes))
            )
        )
    if not parts:
        return {}
    query = parts[0] if len(parts) == 1 else union_all(*parts)
    return {(level, index): bytes(hash_) for level, index, hash_ in session.execute(query)}
