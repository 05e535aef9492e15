"""Lists come in pages: ``limit`` items from ``offset``, with the total the filters match."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tanzuji.errors import InvalidInput

__all__ = ["MAX_LIMIT", "Page", "check_window"]

MAX_LIMIT = 500


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
    if offset < 0:
        raise InvalidInput("offset is 0 or more", field="offset")
