"""The ledger's speed on SQLite: appends per second through the real service, and the time
and size of inclusion and consistency proofs at 1,000,000 entries.

Issue 8's targets: appends above 5,000 entries/s on SQLite, proofs under 5 ms. Appends run in
transactions of ``--batch`` entries (each signs a tree head at its end, as a request does);
proofs are made by the service from the stored Merkle nodes (one query each) in a fresh
session, for random indexes and sizes. A measurement, not a test: it prints the figures and
their ratio to the targets, and always exits 0.

    .venv/bin/python -m benchmarks.ledger [--entries 1000000] [--batch 1000] [--proofs 500]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tanzuji.ledger import EventKind, verify_consistency, verify_inclusion
from tanzuji.services.context import Context
from tanzuji.services.ledger import LedgerService
from tanzuji.store import Database, upgrade

APPEND_TARGET = 5000.0
"""Entries per second on SQLite (issue 8)."""
PROOF_TARGET_MS = 5.0
"""Milliseconds per proof (issue 8)."""


def body(number: int) -> dict[str, object]:
    """A body of the form and size of a real ``footprint.computed`` entry (about 390 bytes)."""
    return {
        "footprint_id": f"{number:08d}-0000-4000-8000-000000000000",
        "submission_id": f"{number:08d}-1111-4000-8000-000000000000",
        "revision": 1,
        "rule": {"id": "tea-green", "version": "2026.1"},
        "factor_set_version": "CN-2026.1",
        "gwp": "AR6",
        "data_commitment": f"{number:064x}",
        "footprint_commitment": f"{number * 7:064x}",
    }


def append(database: Database, entries: int, batch: int, key: Ed25519PrivateKey) -> float:
    """Seconds to append ``entries`` in transactions of ``batch``."""
    started = time.perf_counter()
    done = 0
    while done < entries:
        with database.transaction() as session:
            ledger = LedgerService(session, Context.public())
            for number in range(done, min(done + batch, entries)):
                ledger.record(EventKind.FOOTPRINT_COMPUTED, body(number))
            ledger.sign_tree_head(key)
        done = min(done + batch, entries)
        if done % (batch * 100) == 0:
            rate = done / (time.perf_counter() - started)
            print(f"  {done:>9,} entries, {rate:,.0f}/s", flush=True)
    return time.perf_counter() - started


def proof_times(database: Database, size: int, count: int) -> dict[str, tuple[float, float, int]]:
    """Median and 95th percentile milliseconds and the largest size (hashes) of each proof."""
    chooser = random.Random(0)
    figures: dict[str, tuple[float, float, int]] = {}
    with database.transaction() as session:
        ledger = LedgerService(session, Context.public())
        head = ledger.tree_head()
        timings: list[float] = []
        longest = 0
        for _ in range(count):
            index = chooser.randrange(size)
            started = time.perf_counter()
            proof = ledger.inclusion_proof(index, size)
            timings.append((time.perf_counter() - started) * 1000)
            longest = max(longest, len(proof))
            leaf = ledger.entry(index).leaf_hash()
            verify_inclusion(index, size, leaf, proof, head.root_hash)
        figures["inclusion"] = _summary(timings, longest)
        timings, longest = [], 0
        for _ in range(count):
            first = chooser.randrange(1, size)
            started = time.perf_counter()
            proof = ledger.consistency_proof(first, size)
            timings.append((time.perf_counter() - started) * 1000)
            longest = max(longest, len(proof))
        verify_consistency(first, size, ledger.root(first), head.root_hash, proof)
        figures["consistency"] = _summary(timings, longest)
    return figures


def _summary(timings: list[float], longest: int) -> tuple[float, float, int]:
    ordered = sorted(timings)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95)], longest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=1000, help="entries per transaction")
    parser.add_argument("--proofs", type=int, default=500, help="proofs of each kind timed")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tanzuji-ledger-bench-") as folder:
        run(options, Path(folder) / "ledger.db")


def run(options: argparse.Namespace, path: Path) -> None:
    """Append, time the proofs and measure the database at ``path``."""
    database = Database(f"sqlite:///{path}")
    upgrade(database)
    key = Ed25519PrivateKey.generate()
    print(f"appending {options.entries:,} entries to {path}, {options.batch:,} per transaction")
    seconds = append(database, options.entries, options.batch, key)
    rate = options.entries / seconds
    print(
        f"append: {rate:,.0f} entries/s ({seconds:.1f} s); target > {APPEND_TARGET:,.0f}/s: "
        f"ratio {rate / APPEND_TARGET:.2f} {'PASS' if rate > APPEND_TARGET else 'MISS'}"
    )
    for kind, (median, p95, longest) in proof_times(
        database, options.entries, options.proofs
    ).items():
        print(
            f"{kind} proof at {options.entries:,}: median {median:.2f} ms, p95 {p95:.2f} ms, "
            f"at most {longest} hashes ({longest * 32} bytes); target < {PROOF_TARGET_MS} ms: "
            f"ratio {p95 / PROOF_TARGET_MS:.2f} {'PASS' if p95 < PROOF_TARGET_MS else 'MISS'}"
        )
    database.dispose()
    size = sum(p.stat().st_size for p in path.parent.iterdir())
    print(
        f"database: {size / 1e6:,.0f} MB for {options.entries:,} entries "
        f"({size / options.entries:,.0f} bytes per entry, nodes and tree heads included)"
    )


if __name__ == "__main__":
    main()
