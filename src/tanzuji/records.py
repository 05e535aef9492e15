"""The base of every value tanzuji validates from outside data.

A :class:`Record` is immutable, refuses fields it does not define (so a misspelt
field is an error, not silently ignored) and refuses NaN and infinity, so that a
number read from a file or a form is always a finite one.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["Record"]


class Record(BaseModel):
    """An immutable pydantic model: no unknown fields, finite numbers only."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)
