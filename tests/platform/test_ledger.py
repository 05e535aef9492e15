"""The ledger service on SQLite and PostgreSQL: appends in the caller's transaction, proofs
from the stored Merkle nodes agree with the in-memory tree, tree heads are signed once."""

from __future__ import annotations

import threading

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tanzuji.errors import InvalidInput, NotFound
from tanzuji.ledger import (
    EventKind,
    MerkleTree,
    verify_consistency,
    verify_inclusion,
    verify_tree_head,
)
from tanzuji.services.context import Context
from tanzuji.services.ledger import MAX_PAGE, PENDING_LIMIT, LedgerService
from tanzuji.services.ledger_audit import audit
from tanzuji.store import Database
from tanzuji.store.models import LedgerEntryRow, LedgerNode
from tests.platform.factories import World

KEY = Ed25519PrivateKey.generate()


def ledger(world: World) -> LedgerService:
    return LedgerService(world.session, Context(None, world.clock))


def fill(service: LedgerService, count: int) -> None:
    for number in range(count):
        service.record(EventKind.FACTOR_SET_PUBLISHED, {"version": f"T-{number}", "n": number})


def in_memory(service: LedgerService) -> MerkleTree:
    size = service.size()
    tree = MerkleTree()
    for start in range(0, size, MAX_PAGE):
        for entry in service.entries(start, min(start + MAX_PAGE, size)):
            tree.append(entry.leaf_data())
    return tree


class TestAppending:
    def test_entries_take_the_next_index_and_keep_their_body(self, world: World) -> None:
        service = ledger(world)
        before = service.size()
        index = service.record(EventKind.VERIFICATION_DECIDED, {"decision": "accept", "x": 1.5})
        assert index == before
        assert service.size() == before + 1
        entry = service.entry(index)
        assert entry.kind is EventKind.VERIFICATION_DECIDED
        assert entry.body == {"decision": "accept", "x": 1.5}
        assert entry.recorded_at == world.clock.now

    def test_the_stored_tree_is_the_tree_of_the_entries(self, world: World) -> None:
        service = ledger(world)
        fill(service, 37)
        world.session.flush()
        tree = in_memory(service)
        size = service.size()
        assert service.root(size) == tree.root()
        for tree_size in (1, 2, 5, 16, size):
            assert service.root(tree_size) == tree.root(tree_size)
            for index in {0, tree_size // 2, tree_size - 1}:
                proof = service.inclusion_proof(index, tree_size)
                assert proof == tree.inclusion_proof(index, tree_size)
                verify_inclusion(
                    index, tree_size, tree.subtree(0, index), proof, tree.root(tree_size)
                )
        for first in (1, 3, 8, size - 1):
            proof = service.consistency_proof(first, size)
            verify_consistency(first, size, tree.root(first), tree.root(), proof)

    def test_about_one_node_is_stored_per_entry(self, world: World) -> None:
        service = ledger(world)
        fill(service, 64 - service.size())
        world.session.flush()
        # a tree of 64 leaves has 32 + 16 + 8 + 4 + 2 + 1 = 63 perfect subtrees above its leaves
        assert world.session.scalar(select(func.count()).select_from(LedgerNode)) == 63

    def test_appends_in_a_savepoint_that_rolls_back_leave_no_trace(self, world: World) -> None:
        service = ledger(world)
        fill(service, 3)
        size = service.size()
        savepoint = world.session.begin_nested()
        fill(service, 5)
        savepoint.rollback()
        assert service.size() == size
        assert service.record(EventKind.BENCHMARK_PUBLISHED, {}) == size
        world.session.flush()
        assert service.root(size + 1) == in_memory(service).root()

    def test_a_body_that_is_not_json_is_refused(self, world: World) -> None:
        with pytest.raises(Exception, match="not JSON"):
            ledger(world).record(EventKind.BENCHMARK_PUBLISHED, {"when": world.clock.now})


class TestTreeHeads:
    def test_a_head_is_signed_when_the_log_grew_and_only_then(self, world: World) -> None:
        service = ledger(world)
        fill(service, 5)
        head = service.sign_tree_head(KEY)
        assert head is not None
        assert head.tree_size == service.size()
        assert head.root_hash == in_memory(service).root()
        verify_tree_head(KEY.public_key(), head)
        assert service.sign_tree_head(KEY) is None
        assert service.tree_head() == head == service.tree_head(head.tree_size)

    def test_a_head_is_not_signed_for_a_new_session_when_nothing_changed(
        self, world: World
    ) -> None:
        with world.session.begin_nested():  # the appender's transaction ends with it
            service = ledger(world)
            fill(service, 2)
            service.sign_tree_head(KEY)
        assert LedgerService(world.session, Context.public()).sign_tree_head(KEY) is None

    def test_an_unknown_head_is_named(self, world: World) -> None:
        service = ledger(world)
        fill(service, 2)
        service.sign_tree_head(KEY)
        with pytest.raises(NotFound, match="no tree head was signed at size 1") as caught:
            service.tree_head(1)
        assert caught.value.field == "tree_size"


class TestBadRequests:
    @pytest.mark.parametrize(
        ("call", "field"),
        [
            (lambda s, n: s.entry(n + 5), "index"),
            (lambda s, _: s.entry(-1), "index"),
            (lambda s, n: s.entries(n, n + 1), "start"),
            (lambda s, _: s.entries(0, 0), "end"),
            (lambda s, _: s.entries(0, MAX_PAGE + 1), "end"),
            (lambda s, n: s.inclusion_proof(0, n + 1), "tree_size"),
            (lambda s, n: s.inclusion_proof(n, n), "index"),
            (lambda s, n: s.consistency_proof(1, n + 1), "second"),
            (lambda s, _: s.consistency_proof(3, 2), "first"),
        ],
    )
    def test_each_bad_index_or_size_is_named(self, world: World, call: object, field: str) -> None:
        service = ledger(world)
        fill(service, 4)
        with pytest.raises((InvalidInput, NotFound)) as caught:
            call(service, service.size())  # type: ignore[operator]
        assert caught.value.field == field


def test_concurrent_appenders_never_take_the_same_index(own_database: Database) -> None:
    """Four threads append 25 entries each, one transaction per entry (retrying where SQLite
    says the database is busy): 100 entries, indexes 0 … 99, one tree."""
    failures: list[BaseException] = []

    def append(worker: int) -> None:
        for number in range(25):
            for _attempt in range(50):
                try:
                    with own_database.transaction() as session:
                        service = LedgerService(session, Context.public())
                        service.record(EventKind.BENCHMARK_PUBLISHED, {"w": worker, "n": number})
                        service.sign_tree_head(KEY)
                    break
                except Exception as exc:  # SQLite: database is locked; retry
                    if "locked" not in str(exc):
                        failures.append(exc)
                        return

    threads = [threading.Thread(target=append, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with own_database.transaction() as session:
        service = LedgerService(session, Context.public())
        assert service.size() == 100
        assert service.root(100) == in_memory(service).root()
        assert service.tree_head().tree_size == 100
        assert _bodies(session) == {(w, n) for w in range(4) for n in range(25)}


def _bodies(session: Session) -> set[tuple[int, int]]:
    service = LedgerService(session, Context.public())
    return {(e.body["w"], e.body["n"]) for e in service.entries(0, service.size())}


@pytest.mark.parametrize("count", [1, PENDING_LIMIT - 1, PENDING_LIMIT, 2 * PENDING_LIMIT + 7])
def test_a_transaction_that_only_appends_commits_every_row(
    own_database: Database, count: int
) -> None:
    """Appended rows wait in the session to be written in batches: a commit with no other
    change (no ORM object new or dirty but the state row) still writes all of them."""
    with own_database.transaction() as session:
        fill(LedgerService(session, Context.public()), count)
    with own_database.transaction() as session:
        service = LedgerService(session, Context.public())
        assert service.size() == count
        assert session.scalar(select(func.count()).select_from(LedgerEntryRow)) == count
        assert service.root(count) == in_memory(service).root()
        assert audit(session) == []


def test_rows_waiting_when_a_savepoint_opens_and_rolls_back_are_kept(
    own_database: Database,
) -> None:
    with own_database.transaction() as session:
        service = LedgerService(session, Context.public())
        fill(service, 3)
        savepoint = session.begin_nested()
        session.expire_all()  # forgets the state row's new size: the commit writes it anyway
        savepoint.rollback()
        assert service.record(EventKind.BENCHMARK_PUBLISHED, {}) == 3
        session.expire_all()  # the session is clean, entry 3 still waits: the commit writes it
    with own_database.transaction() as session:
        service = LedgerService(session, Context.public())
        assert [entry.index for entry in service.entries(0, 10)] == [0, 1, 2, 3]
        assert audit(session) == []
