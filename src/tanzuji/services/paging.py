"""Lists come in pages: ``limit`` items from ``offset``, with the total the filters match."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tanzuji.errors import InvalidInput

__all__ = ["MAX_INTEGER", "MAX_LIMIT", "MAX_OFFSET", "Page", "check_window"]

MAX_LIMIT = 500
MAX_INTEGER = 2**63 - 1
"""The largest integer SQLite and PostgreSQL take (a signed 64-bit ``BIGINT``): the bound of
every index, size and offset a request may give."""
MAX_OFFSET = MAX_INTEGER - MAX_LIMIT
"""The largest ``offset``: a page from it still ends within :data:`MAX_INTEGER`."""


@dataclass(frozen=True)
class Page:
    """One page of a list, with the total the filters match."""

    items: list[Any]
    total: int
    limit: int
    offset: int


def check_window(limit: int, offset: int) -> None:
    """Refuse a page size or start that makes no sense, naming the field."""
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit is 1…{MAX_LIMIT}", field="limit")
    if not 0 <= offset <= MAX_OFFSET:
        raise InvalidInput(f"offset is 0…{MAX_OFFSET}", field="offset")
