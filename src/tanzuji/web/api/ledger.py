"""The transparency ledger, public (no sign-in): signed tree heads, entries, inclusion and
consistency proofs, and the log's public key. Hashes and signatures are standard base64;
times are ISO 8601 UTC. See ``docs/ledger.md``."""

from __future__ import annotations

from typing import Annotated, Any

from cryptography.hazmat.primitives import serialization
from fastapi import APIRouter, Path, Query, Request

from tanzuji.ledger.tree_heads import b64, key_id, raw_public_key
from tanzuji.services.ledger import MAX_PAGE, LedgerService
from tanzuji.services.paging import MAX_INTEGER
from tanzuji.web.work import keys_of, unit_of_work

router = APIRouter(prefix="/ledger", tags=["ledger"])

Index = Annotated[int, Path(ge=0, le=MAX_INTEGER, description="an entry's index")]
"""An index or size in the path: from 0 to the largest integer the database takes (a larger
one is refused with 422 naming it, not left to overflow)."""


def bounded(description: str) -> Any:
    """A query parameter that is an index or a size: 0 to :data:`MAX_INTEGER`."""
    return Query(ge=0, le=MAX_INTEGER, description=description)


@router.get("/tree-head")
def tree_head(
    request: Request,
    tree_size: Annotated[int | None, bounded("the size of an earlier signed head")] = None,
) -> dict[str, Any]:
    """The latest signed tree head, or the one signed at ``tree_size``."""
    with unit_of_work(request) as work:
        return LedgerService(work.session, work.context).tree_head(tree_size).to_json()


@router.get("/entries/{index}")
def entry(index: Index, request: Request) -> dict[str, Any]:
    """One entry: ``index``, ``kind``, ``recorded_at`` and ``body``, the object whose RFC 8785
    canonical JSON is the leaf data."""
    with unit_of_work(request) as work:
        return LedgerService(work.session, work.context).entry(index).to_json()


@router.get("/entries")
def entries(
    request: Request,
    start: Annotated[int, bounded("the first index")] = 0,
    end: Annotated[
        int | None, bounded(f"after the last index (at most start + {MAX_PAGE})")
    ] = None,
) -> dict[str, Any]:
    """Entries ``start`` up to (not including) ``end``, in order; ``size`` is the log's."""
    with unit_of_work(request) as work:
        service = LedgerService(work.session, work.context)
        size = service.size()
        stop = min(size, start + MAX_PAGE) if end is None else end
        items = service.entries(start, stop)
        return {"size": size, "start": start, "items": [e.to_json() for e in items]}


@router.get("/proofs/inclusion")
def inclusion_proof(
    index: Annotated[int, bounded("the entry's index")],
    tree_size: Annotated[int, bounded("the size of the tree")],
    request: Request,
) -> dict[str, Any]:
    """The audit path of entry ``index`` in the tree of ``tree_size`` entries (RFC 9162
    §2.1.3), from the leaf up."""
    with unit_of_work(request) as work:
        proof = LedgerService(work.session, work.context).inclusion_proof(index, tree_size)
        return {"index": index, "tree_size": tree_size, "audit_path": [b64(h) for h in proof]}


@router.get("/proofs/consistency")
def consistency_proof(
    first: Annotated[int, bounded("the size of the earlier tree")],
    second: Annotated[int, bounded("the size of the later tree")],
    request: Request,
) -> dict[str, Any]:
    """The proof that the tree of ``first`` entries is a prefix of the tree of ``second``
    (RFC 9162 §2.1.4)."""
    with unit_of_work(request) as work:
        proof = LedgerService(work.session, work.context).consistency_proof(first, second)
        return {"first": first, "second": second, "consistency": [b64(h) for h in proof]}


@router.get("/public-key")
def public_key(request: Request) -> dict[str, Any]:
    """The Ed25519 key that signs the tree heads: PEM, raw (base64) and its key id."""
    key = keys_of(request).log.public_key()
    pem = key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return {
        "algorithm": "Ed25519",
        "pem": pem.decode("ascii"),
        "raw": b64(raw_public_key(key)),
        "key_id": key_id(key),
    }
