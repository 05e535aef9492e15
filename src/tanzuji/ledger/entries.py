"""Ledger entries and the exact bytes each one hashes to.

The leaf data of entry ``index`` is the RFC 8785 canonical JSON (UTF-8) of::

    {"body": {...}, "index": 41, "kind": "footprint.computed",
     "recorded_at": "2026-03-01T09:00:00.000Z"}

``recorded_at`` is UTC with exactly three decimals (milliseconds) and a ``Z``; ``body`` is the
event's own JSON object. The leaf hash is ``SHA-256(0x00 || leaf data)`` (RFC 9162 §2.1.1).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tanzuji.canonical import canonical_json
from tanzuji.errors import LedgerInconsistent, TanzujiError
from tanzuji.ledger.events import EventKind
from tanzuji.ledger.merkle import leaf_hash

__all__ = ["LedgerEntry", "format_time", "parse_time", "to_milliseconds"]


def to_milliseconds(moment: datetime.datetime) -> datetime.datetime:
    """``moment`` in UTC, cut to whole milliseconds (what an entry and a tree head keep)."""
    if moment.tzinfo is None:
        raise ValueError(f"a naive time {moment} has no place in the ledger: give it a timezone")
    utc = moment.astimezone(datetime.UTC)
    return utc.replace(microsecond=utc.microsecond // 1000 * 1000)


def format_time(moment: datetime.datetime) -> str:
    """A time as the ledger writes it: ``2026-03-01T09:00:00.000Z``.

    >>> format_time(datetime.datetime(2026, 3, 1, 17, 0, 0, 123456, tzinfo=datetime.UTC))
    '2026-03-01T17:00:00.123Z'
    """
    return to_milliseconds(moment).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def parse_time(text: str, field: str) -> datetime.datetime:
    """The time written by :func:`format_time`; :class:`LedgerInconsistent` names ``field``."""
    try:
        moment = datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ")
    except (TypeError, ValueError) as exc:
        raise LedgerInconsistent(
            f"{field}: {text!r} is not a time such as 2026-03-01T09:00:00.000Z"
        ) from exc
    return moment.replace(tzinfo=datetime.UTC)


@dataclass(frozen=True)
class LedgerEntry:
    """One event in the log: its position, kind, time (UTC, milliseconds) and body."""

    index: int
    kind: EventKind
    recorded_at: datetime.datetime
    body: Mapping[str, Any]

    def to_json(self) -> dict[str, Any]:
        """The entry as the object its leaf data serializes (and the API returns)."""
        return {
            "index": self.index,
            "kind": self.kind.value,
            "recorded_at": format_time(self.recorded_at),
            "body": dict(self.body),
        }

    def canonical_body(self) -> bytes:
        """The body as RFC 8785 canonical JSON."""
        try:
            return canonical_json(dict(self.body))
        except TanzujiError as exc:
            raise LedgerInconsistent(f"entry {self.index}: the body is not JSON: {exc}") from exc

    def leaf_data(self, canonical_body: bytes | None = None) -> bytes:
        """The bytes the tree hashes: the canonical JSON of :meth:`to_json`. It is written
        around the canonical body (given, or made here: canonicalizing is the costly part),
        the members in the canonical order ``body``, ``index``, ``kind``, ``recorded_at``,
        whose values need no escaping."""
        body = self.canonical_body() if canonical_body is None else canonical_body
        tail = (
            f',"index":{self.index},"kind":"{self.kind.value}",'
            f'"recorded_at":"{format_time(self.recorded_at)}"}}'
        )
        return b'{"body":' + body + tail.encode("ascii")

    def leaf_hash(self, canonical_body: bytes | None = None) -> bytes:
        """``SHA-256(0x00 || leaf data)``."""
        return leaf_hash(self.leaf_data(canonical_body))

    @classmethod
    def from_json(cls, value: Any, where: str = "entry") -> LedgerEntry:
        """An entry from its JSON object (a download, an export file); every fault names its
        field, e.g. ``entries[41].kind``."""
        if not isinstance(value, dict):
            raise LedgerInconsistent(f"{where}: not a JSON object")
        missing = sorted({"index", "kind", "recorded_at", "body"} - set(value))
        if missing:
            raise LedgerInconsistent(f"{where}: {', '.join(missing)} missing")
        index, kind, body = value["index"], value["kind"], value["body"]
        if isinstance(index, bool) or not isinstance(index, int) or index < 0:
            raise LedgerInconsistent(f"{where}.index: {index!r} is not an entry index")
        try:
            known = EventKind(kind)
        except ValueError as exc:
            raise LedgerInconsistent(f"{where}.kind: {kind!r} is not a kind of event") from exc
        if not isinstance(body, dict):
            raise LedgerInconsistent(f"{where}.body: not a JSON object")
        recorded_at = parse_time(value["recorded_at"], f"{where}.recorded_at")
        return cls(index, known, recorded_at, body)
