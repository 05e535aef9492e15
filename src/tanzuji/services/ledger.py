"""The transparency ledger as a service: append in the caller's transaction, read entries,
tree heads and proofs (public), sign tree heads.

Appending locks the ledger's state row for the rest of the transaction (one appender at a
time, so indexes never clash) and keeps the *frontier*, the perfect subtrees of the whole tree
(at most one per level), in the session until the transaction ends: each further append in
the same transaction costs no query, only the rows it adds (the entry, and the Merkle nodes
it completes).

Those rows wait in the session and are written together, one ``INSERT`` per table for many
rows (:func:`_write_pending`), which is what makes appends fast. Nothing pending is ever lost:
they are written when :data:`PENDING_LIMIT` rows wait, before the service reads the log,
before every flush (each append sets the state row's size, so the session is never clean
while rows wait: an autoflush before a query, the flush that opens a savepoint and the flush
of a commit all write them first), and before every commit (``before_commit``, should the
state row have been expired meanwhile). A rollback drops them with the rest.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, SessionTransaction

from tanzuji.errors import InvalidInput, NotFound, Tampered
from tanzuji.ledger import (
    EMPTY_ROOT,
    EventKind,
    LedgerEntry,
    ProofPlan,
    SignedTreeHead,
    Subtree,
    consistency_plan,
    inclusion_plan,
    node_hash,
    root_plan,
    sign_tree_head,
)
from tanzuji.ledger.entries import to_milliseconds
from tanzuji.ledger.merkle import fold
from tanzuji.services.context import Context
from tanzuji.store.ledger import (
    LedgerEntryRow,
    LedgerState,
    LedgerTreeHead,
    insert_rows,
    lock_state,
    subtree_hashes,
)

__all__ = ["MAX_PAGE", "LedgerService", "entry_of", "tree_head_of"]

MAX_PAGE = 1000
"""The most entries one call of :meth:`LedgerService.entries` returns."""
PENDING_LIMIT = 1000
"""The most entries an appender holds before writing them."""
_APPENDER = "tanzuji.ledger.appender"


@dataclass
class _Appender:
    """One transaction's appending: the locked state row, the log's size (with the entries
    not yet written), the frontier of the tree, and the rows waiting to be written."""

    state: LedgerState
    size: int
    frontier: list[tuple[Subtree, bytes]]
    entries: list[dict[str, Any]] = field(default_factory=list)
    nodes: list[dict[str, Any]] = field(default_factory=list)


def _write_pending(session: Session) -> None:
    """Write the entries and nodes waiting in the session's appender, and the size."""
    appender: _Appender | None = session.info.get(_APPENDER)
    if appender is None or not (appender.entries or appender.nodes):
        return
    insert_rows(session, appender.entries, appender.nodes)
    appender.entries, appender.nodes = [], []
    appender.state.size = appender.size


@event.listens_for(Session, "after_transaction_end")
def _forget_appender(session: Session, _transaction: SessionTransaction) -> None:
    """The cached frontier is good for one transaction (or savepoint) only: a rollback
    would leave it ahead of the database."""
    session.info.pop(_APPENDER, None)


@event.listens_for(Session, "before_flush")
def _write_before_flush(session: Session, _context: object, _instances: object) -> None:
    _write_pending(session)


@event.listens_for(Session, "before_commit")
def _write_before_commit(session: Session) -> None:
    _write_pending(session)


def entry_of(row: LedgerEntryRow) -> LedgerEntry:
    """A stored entry as the domain's :class:`LedgerEntry`."""
    return LedgerEntry(row.index, row.kind, row.recorded_at, json.loads(row.body))


def tree_head_of(row: LedgerTreeHead) -> SignedTreeHead:
    """A stored signed tree head as the domain's :class:`SignedTreeHead`."""
    return SignedTreeHead(
        tree_size=row.tree_size,
        timestamp=row.timestamp,
        root_hash=bytes(row.root_hash),
        signature=bytes(row.signature),
        key_id=row.key_id,
    )


class LedgerService:
    """The ledger, read by anyone and appended to by the services that change what it
    records (they check their own permissions)."""

    def __init__(self, session: Session, context: Context) -> None:
        self.session = session
        self.context = context

    # appending ----------------------------------------------------------------------------

    def record(self, kind: EventKind, body: Mapping[str, Any]) -> int:
        """Append an event at ``context.now()`` in the caller's transaction; its index.
        ``body`` holds JSON values only (text, numbers, booleans, null, lists, objects)."""
        appender = self._appender()
        index = appender.size
        entry = LedgerEntry(index, kind, to_milliseconds(self.context.now()), body)
        canonical_body = entry.canonical_body()
        leaf = entry.leaf_hash(canonical_body)
        appender.entries.append(
            {
                "index": index,
                "kind": kind,
                "recorded_at": entry.recorded_at,
                "body": canonical_body.decode("utf-8"),
                "leaf_hash": leaf,
            }
        )
        frontier = appender.frontier
        frontier.append(((0, index), leaf))
        while len(frontier) > 1 and frontier[-1][0][0] == frontier[-2][0][0]:
            (level, right_index), right = frontier.pop()
            _, left = frontier.pop()
            made = (level + 1, right_index >> 1)
            made_hash = node_hash(left, right)
            appender.nodes.append({"level": made[0], "index": made[1], "hash": made_hash})
            frontier.append((made, made_hash))
        appender.size = appender.state.size = index + 1
        if len(appender.entries) >= PENDING_LIMIT:
            _write_pending(self.session)
        return index

    def next_index(self) -> int:
        """The index the next :meth:`record` of this transaction will take. Takes the
        appender's lock (held until the transaction ends), so no other transaction can append
        meanwhile: for a record that must name its own index before it is appended (a
        certificate's credential names its ``certificate.issued`` entry)."""
        return self._appender().size

    def sign_tree_head(self, key: Ed25519PrivateKey) -> SignedTreeHead | None:
        """Sign the current tree with the log key if it grew since the latest signed head
        (in the caller's transaction); ``None`` if there is nothing new to sign."""
        if _APPENDER not in self.session.info:
            size, signed = self._size_and_signed()
            if size == (signed or 0):
                return None
        appender = self._appender()
        size, signed = appender.size, self._latest_signed_size()
        if size == (signed or 0):
            return None
        root = fold([hash_ for _, hash_ in appender.frontier])
        head = sign_tree_head(key, size, self.context.now(), root)
        self.session.add(
            LedgerTreeHead(
                tree_size=head.tree_size,
                timestamp=head.timestamp,
                root_hash=head.root_hash,
                signature=head.signature,
                key_id=head.key_id,
            )
        )
        self.session.flush()
        return head

    # reading (public) ---------------------------------------------------------------------

    def size(self) -> int:
        """Entries in the log (those of the caller's own transaction included)."""
        appender = self.session.info.get(_APPENDER)
        return appender.size if appender is not None else self._size_and_signed()[0]

    def entry(self, index: int) -> LedgerEntry:
        """Entry ``index``; :class:`NotFound` if the log holds no such entry."""
        _write_pending(self.session)
        row = self.session.get(LedgerEntryRow, index) if index >= 0 else None
        if row is None:
            raise NotFound(
                f"no ledger entry {index}: the log holds entries 0 to {self.size() - 1}",
                field="index",
            )
        return entry_of(row)

    def entries(self, start: int, end: int) -> list[LedgerEntry]:
        """Entries ``start`` up to (not including) ``end``, at most :data:`MAX_PAGE`."""
        size = self.size()
        if not 0 <= start < size:
            raise InvalidInput(
                f"start {start} is not an entry index (0 to {size - 1})", field="start"
            )
        if not start < end <= start + MAX_PAGE:
            raise InvalidInput(
                f"end must be above start and at most start + {MAX_PAGE}, not {end}", field="end"
            )
        _write_pending(self.session)
        query = (
            select(LedgerEntryRow)
            .where(LedgerEntryRow.index >= start, LedgerEntryRow.index < min(end, size))
            .order_by(LedgerEntryRow.index)
        )
        return [entry_of(row) for row in self.session.scalars(query)]

    def tree_head(self, tree_size: int | None = None) -> SignedTreeHead:
        """The latest signed tree head, or the one signed at ``tree_size``."""
        if tree_size is None:
            query = select(LedgerTreeHead).order_by(LedgerTreeHead.tree_size.desc()).limit(1)
            latest = self.session.scalars(query).first()
            if latest is None:
                raise NotFound("no tree head is signed yet: the ledger is empty", field=None)
            return tree_head_of(latest)
        row = self.session.get(LedgerTreeHead, tree_size)
        if row is None:
            raise NotFound(
                f"no tree head was signed at size {tree_size}: ask for the latest head, or for "
                "a size an earlier head had",
                field="tree_size",
            )
        return tree_head_of(row)

    def root(self, tree_size: int) -> bytes:
        """The Merkle tree hash of the first ``tree_size`` entries, from the stored nodes."""
        self._check_size(tree_size, "tree_size", smallest=0)
        if tree_size == 0:
            return EMPTY_ROOT
        return self._proof(root_plan(tree_size))[0]

    def inclusion_proof(self, index: int, tree_size: int) -> list[bytes]:
        """The audit path of entry ``index`` in the tree of ``tree_size`` entries."""
        self._check_size(tree_size, "tree_size", smallest=1)
        if not 0 <= index < tree_size:
            raise InvalidInput(
                f"index {index} is not in a tree of {tree_size} entries (0 to {tree_size - 1})",
                field="index",
            )
        return self._proof(inclusion_plan(index, tree_size))

    def consistency_proof(self, first: int, second: int) -> list[bytes]:
        """The proof that the tree of ``first`` entries is a prefix of that of ``second``."""
        self._check_size(second, "second", smallest=1)
        if not 0 <= first <= second:
            raise InvalidInput(
                f"first must be between 0 and second ({second}), not {first}", field="first"
            )
        return self._proof(consistency_plan(first, second))

    # helpers ------------------------------------------------------------------------------

    def _appender(self) -> _Appender:
        found: _Appender | None = self.session.info.get(_APPENDER)
        if found is not None:
            return found
        state = lock_state(self.session)
        needed = root_plan(state.size).subtrees
        hashes = self._hashes(needed)
        appender = _Appender(state, state.size, [(s, hashes[s]) for s in needed])
        self.session.info[_APPENDER] = appender
        return appender

    def _proof(self, plan: ProofPlan) -> list[bytes]:
        return plan.assemble(self._hashes(plan.subtrees))

    def _hashes(self, subtrees: list[Subtree]) -> dict[Subtree, bytes]:
        _write_pending(self.session)
        found = subtree_hashes(self.session, subtrees)
        missing = [s for s in subtrees if s not in found]
        if missing:
            level, index = missing[0]
            raise Tampered(
                f"the ledger's Merkle node at level {level}, index {index} is missing from the "
                "database: run 'tanzuji ledger verify'"
            )
        return found

    def _size_and_signed(self) -> tuple[int, int | None]:
        size = self.session.scalar(select(LedgerState.size).where(LedgerState.id == 1))
        return size or 0, self._latest_signed_size()

    def _latest_signed_size(self) -> int | None:
        return self.session.scalar(select(func.max(LedgerTreeHead.tree_size)))

    def _check_size(self, tree_size: int, field: str, smallest: int) -> None:
        size = self.size()
        if not smallest <= tree_size <= size:
            raise InvalidInput(
                f"{field} must be between {smallest} and the log's size {size}, not {tree_size}",
                field=field,
            )
